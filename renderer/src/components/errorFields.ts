// Which field an engine refusal is about, so its reason is shown next to that field (presentation only).
import type { ErrorCode } from '../../../shared/errors';

export type FieldName = 'email' | 'deviceName' | 'pin' | 'code' | 'verificationNumber';

const FIELD_OF: Partial<Record<ErrorCode, FieldName>> = {
  email_invalid: 'email',
  email_domain_not_allowed: 'email',
  email_not_on_roster: 'email',
  device_name_invalid: 'deviceName',
  device_name_accented: 'deviceName',
  device_name_taken: 'deviceName',
  pin_format: 'pin',
  pin_mismatch: 'pin',
  pin_too_common: 'pin',
  pin_wrong: 'pin',
  code_format: 'code',
  code_wrong: 'code',
  code_replayed: 'code',
  clock_offset: 'code',
  verification_number_wrong: 'verificationNumber',
};

export function fieldOf(code: ErrorCode): FieldName | null {
  return FIELD_OF[code] ?? null;
}
