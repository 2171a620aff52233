// How many characters the agent types: the engine checks them, the renderer sizes its fields and keypads by them.

/** PRODUCT.md: the device's PIN is 4 digits. */
export const PIN_LENGTH = 4;

/** The authenticator app's code: 6 digits, as the portal asks for (RFC 6238's default). */
export const CODE_DIGITS = 6;

/** PRODUCT.md add-device: a device name has 1 to 30 characters; the rule, the field and its messages read this one. */
export const DEVICE_NAME_MAX = 30;
