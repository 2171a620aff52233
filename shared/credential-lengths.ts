// How many digits the agent types: the engine checks them, the renderer sizes its fields and keypads by them.

/** PRODUCT.md: the device's PIN is 4 digits. */
export const PIN_LENGTH = 4;

/** The authenticator app's code: 6 digits, as the portal asks for (RFC 6238's default). */
export const CODE_DIGITS = 6;
