// Whether the kiosk window is held, and whether the machine's Chromium policies back the hold: one line for the journal.
import { existsSync } from 'node:fs';
import type { ShellLock } from '../../shared/supervisor-contract';

/** The file the README's root step installs (build/chromium-policies/enrolment-kiosk.json). */
export const POLICY_FILE_NAME = 'enrolment-kiosk.json';

/** Where each Chromium build reads its managed policies on Linux: Debian's chromium, and Google Chrome. */
export function policyFile(chromium: string): string {
  return /google-chrome|\/opt\/google\//.test(chromium)
    ? `/etc/opt/chrome/policies/managed/${POLICY_FILE_NAME}`
    : `/etc/chromium/policies/managed/${POLICY_FILE_NAME}`;
}

export function managedPoliciesInstalled(chromium: string, exists: (path: string) => boolean = existsSync): boolean {
  return exists(policyFile(chromium));
}

/** The layers of a held window that need no root: each shuts a set of Chromium's own screens. */
const PIPE = 'DevTools pipe in effect (one window, no history, zoom or download, token in no URL)';
const PROFILE = 'kiosk profile in effect (no password manager, autofill, translate, printing or permission prompt)';

/**
 * The launcher's one line about the lock, layer by layer: a station must never run unlocked without
 * anyone being told, and the line never says "in effect" for a layer that is not. The pipe and the
 * profile close every route the README lists; the managed policies are defence in depth behind them.
 */
export function lockLine(lock: ShellLock): string {
  if (lock.window === 'not-held') {
    return 'Kiosk lock: NOT in effect (serve: the page opens in a browser the kiosk does not hold; for development only): DevTools pipe NOT in effect; kiosk profile NOT in effect.';
  }
  if (lock.window === 'windowed') {
    return 'Kiosk lock: NOT in effect (KIOSK_WINDOWED=1: an ordinary window, for development only): DevTools pipe NOT in effect; kiosk profile in effect.';
  }
  const policies = lock.policies
    ? 'managed policies in effect'
    : "managed policies NOT in effect (not installed: README, 'Walk-up station')";
  return `Kiosk lock: in effect: ${PIPE}; ${PROFILE}; ${policies}.`;
}
