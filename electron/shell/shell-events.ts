// Which shell events reach the hash-chained log (stderr gets them all), and in what shape.
import type { ShellEventDetails } from '../kiosk';

/** What a supervisor should be able to read back: the app broke, hung, or was made to try to leave. */
export const LOGGED_SHELL_EVENTS: ReadonlySet<string> = new Set([
  'renderer-gone',
  'renderer-unresponsive',
  'renderer-killed-after-hang',
  'child-process-gone',
  'request-blocked',
  'navigation-blocked',
  'window-open-blocked',
  'webview-blocked',
  'permission-denied',
  'preload-error',
  'ipc-sender-refused',
  'window-close-blocked',
]);

/** Keeps plain values only, each string cut to 200 characters: a log line, not a dump. */
export function shellEventDetails(details: Record<string, unknown>): ShellEventDetails {
  const kept: ShellEventDetails = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string') kept[key] = value.slice(0, 200);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) kept[key] = value;
  }
  return kept;
}
