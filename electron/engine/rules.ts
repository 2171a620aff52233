// The input rules of identify and add-device, as plain functions returning the refusal (or null).
import { CODE_DIGITS, DEVICE_NAME_MAX, PIN_LENGTH } from '../../shared/credential-lengths';
import type { ErrorCode, ErrorParams } from '../../shared/errors';
import { DEVICE_NAME, EMAIL } from '../../shared/formats';
import { COMMON_PINS } from './pin-blocklist';

export interface Refusal {
  code: ErrorCode;
  params: ErrorParams;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `@Interieur.Gouv.fr` -> `interieur.gouv.fr`: allowed domains are kept and compared in this form. */
export function normaliseDomain(domain: string): string {
  return domain.toLowerCase().replace(/^@/, '');
}

export function checkEmail(email: string, allowedDomains: readonly string[]): Refusal | null {
  if (email.length > 254 || !EMAIL.test(email)) return { code: 'email_invalid', params: {} };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const allowed = allowedDomains.map(normaliseDomain);
  if (allowed.length > 0 && !allowed.includes(domain)) {
    return { code: 'email_domain_not_allowed', params: { domains: allowed.join(', ') } };
  }
  return null;
}

/** `téléphone-pro` -> `telephone-pro`: the accents dropped (NFD, then the combining marks), `œ`/`æ` spelt out. */
export function withoutAccents(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE');
}

export function checkDeviceName(name: string, existingNames: readonly string[]): Refusal | null {
  if (!DEVICE_NAME.test(name)) {
    // A name refused only for its accents gets the same name without them to accept with one touch.
    const suggestion = withoutAccents(name);
    if (suggestion !== name && DEVICE_NAME.test(suggestion)) return { code: 'device_name_accented', params: { suggestion } };
    return { code: 'device_name_invalid', params: { max: DEVICE_NAME_MAX } };
  }
  const lower = name.toLowerCase();
  if (existingNames.some((n) => n.toLowerCase() === lower)) return { code: 'device_name_taken', params: {} };
  return null;
}

export const PIN = new RegExp(`^[0-9]{${PIN_LENGTH}}$`);

export function checkNewPin(pin: string, confirm: string): Refusal | null {
  if (!PIN.test(pin)) return { code: 'pin_format', params: { length: PIN_LENGTH } };
  if (pin !== confirm) return { code: 'pin_mismatch', params: {} };
  if (COMMON_PINS.includes(pin)) return { code: 'pin_too_common', params: {} };
  return null;
}

export const CODE = new RegExp(`^[0-9]{${CODE_DIGITS}}$`);
