// The command line's words for the refusals it can print (English: IT staff read it next to the service log).
import type { ErrorCode, ErrorParams } from '../../shared/errors';

const MESSAGES: Partial<Record<ErrorCode, (file: string) => string>> = {
  bundle_not_a_bundle: (f) => `${f} is not a station bundle`,
  bundle_too_large: (f) => `${f} is too large to be a station bundle (over 1 GiB); it was not read`,
  bundle_truncated: (f) => `${f} is incomplete (cut short while copying?); copy it again from the station`,
  bundle_edited: (f) => `${f} was changed after the station wrote it (its content does not match its signed manifest)`,
  bundle_signature_invalid: (f) => `${f}: the manifest's signature does not match; the file was altered`,
  bundle_unknown_key: (f) => `${f} claims a station already imported but is signed by another key`,
  bundle_own_station: (f) => `${f} is this station's own bundle; import it on the head station`,
  bundle_schema_newer: (f) => `${f} comes from a newer version of the kiosk; update this station first`,
  bundle_chain_broken: (f) => `${f}: the station's log inside is broken or not signed`,
  bundle_diverges: (f) => `${f}: its past differs from what was imported before from that station`,
  bundle_read_failed: (f) => `${f} could not be read to the end (drive removed?); nothing was imported`,
  bundle_failed: (f) => `${f} could not be imported; nothing was changed`,
  bundle_schema_differs: (f) => `${f} does not have the schema this kiosk writes (extra tables, views or triggers); it was not read`,
  bundle_value_invalid: (f) => `${f} holds a value no kiosk would have accepted (too long or malformed); nothing was imported`,
  bundle_too_big_to_merge: (f) => `${f} would grow this station's log far beyond the bundle's size; nothing was imported`,
  bundle_cancelled: (f) => `${f}: the import was cancelled; nothing was changed`,
  identity_unavailable: (f) => `${f}: this station's identity key is not readable here`,
};

export function describeRefusal(code: ErrorCode, params: ErrorParams): string {
  const file = String(params.file ?? '');
  return MESSAGES[code]?.(file) ?? `${file}: refused (${code})`;
}
