// Every refusal the engine can give, as a stable code: the log stores it, the renderer translates it (errors.<code>).
export const ERROR_CODES = [
  // boundary
  'invalid_input',
  'unknown_method',
  'not_allowed_in_step',
  'no_session',
  'internal',
  'out_of_service',
  // identify
  'email_invalid',
  'email_domain_not_allowed',
  'email_not_on_roster',
  // add-device
  'device_name_invalid',
  // refused for its accents alone: `params.suggestion` is the name without them
  'device_name_accented',
  'device_name_taken',
  'pin_format',
  'pin_mismatch',
  'pin_too_common',
  // scan-qr / confirm-device / test-login
  'qr_expired',
  'pin_wrong',
  'code_format',
  'code_wrong',
  'code_replayed',
  'clock_offset',
  'verification_number_wrong',
  'device_locked',
  // done: the recap saved as PDF
  'recap_no_drive',
  'recap_failed',
  // identify (returning agent): a device locked by wrong PINs can only be removed by a supervisor
  'device_locked_ask_supervisor',
  // supervisor
  'passphrase_too_short',
  'passphrase_wrong',
  'console_locked',
  'not_authorised',
  'setup_required',
  'roster_invalid',
  // the roster picker: a file or folder outside the drives it lists, gone, or too large (`params.file`)
  'roster_file_unreadable',
  'passphrase_mismatch',
  'agent_not_found',
  'export_folder_invalid',
  'export_busy',
  'export_failed',
  // station bundles (store/bundle.ts, store/import.ts): every refusal names the file in `params.file`
  'bundle_not_a_bundle',
  'bundle_too_large',
  'bundle_truncated',
  'bundle_edited',
  'bundle_signature_invalid',
  'bundle_unknown_key',
  'bundle_own_station',
  'bundle_schema_newer',
  'bundle_chain_broken',
  'bundle_diverges',
  'bundle_read_failed',
  'bundle_failed',
  'bundle_schema_differs',
  'bundle_value_invalid',
  'bundle_too_big_to_merge',
  'bundle_cancelled',
  // not a refusal: signed by a key this head does not trust yet; `params.fingerprint` is compared, then approved
  'bundle_held',
  'identity_unavailable',
  // a supervisor task (verify, import) stopped by its cancel button
  'task_cancelled',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why the station is out of service, shown to the supervisor with what to do (agents only read that it is
 * unavailable). Each is a stable code (README "When something goes wrong"); `unknown` is for the unforeseen only.
 */
export const OUT_OF_SERVICE_REASONS = [
  // the disk or the folder
  'disk_full',
  'data_folder_unwritable',
  'data_folder_in_use',
  // the log
  'log_unreadable',
  'log_corrupt',
  'log_missing',
  'log_replaced',
  'log_foreign',
  'log_newer',
  // the keys
  'key_missing',
  'key_truncated',
  'key_mismatch',
  'unknown',
] as const;
export type OutOfServiceReason = (typeof OUT_OF_SERVICE_REASONS)[number];

/** A cause found by one of the kiosk's own checks (the data folder, the log, the keys), thrown with its reason. */
export class OutOfServiceError extends Error {
  readonly reason: OutOfServiceReason;

  constructor(reason: OutOfServiceReason, detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'OutOfServiceError';
    this.reason = reason;
  }
}

/** Parameters a message may show: attempts left, minutes of offset, seconds until expiry... */
export type ErrorParams = Record<string, string | number>;

export interface KioskErrorShape {
  code: ErrorCode;
  params: ErrorParams;
}

/** The `code` a thrown error carries (Node's fs errors, better-sqlite3's SqliteError, parseArgs), or '' when none. */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : '';
}

/** The one error the engine throws for a refusal; the transports turn it into `{ ok: false, error }`. */
export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}) {
    super(code);
    this.name = 'KioskError';
    this.code = code;
    this.params = params;
  }

  toShape(): KioskErrorShape {
    return { code: this.code, params: this.params };
  }
}
