// The formats the engine accepts at entry (rules.ts), shared with the store, which holds a bundle from another station to the same rules.

/** One @, a non-empty local part without spaces, a dotted domain: what an institutional address looks like. */
export const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** PRODUCT.md add-device: no spaces, 1–30 letters, digits, '-' or '_'. */
export const DEVICE_NAME = /^[A-Za-z0-9_-]{1,30}$/;
