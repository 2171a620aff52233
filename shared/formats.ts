// The formats of what an agent types, checked once by the engine at entry and again by a head station reading a bundle.
import { DEVICE_NAME_MAX } from './credential-lengths';

/** One @, a non-empty local part without spaces, a dotted domain: what an institutional address looks like. */
export const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** PRODUCT.md add-device: no spaces, 1–30 letters, digits, '-' or '_' (EU Login's rule is « sans espace »). */
export const DEVICE_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${DEVICE_NAME_MAX}}$`);
