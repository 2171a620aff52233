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

/** The launcher's one line about the lock: a station must never run unlocked without anyone being told. */
export function lockLine(lock: ShellLock): string {
  if (lock.window === 'not-held') {
    return 'Kiosk lock: NOT in effect (serve: the page opens in a browser the kiosk does not hold; for development only).';
  }
  if (lock.window === 'windowed') return 'Kiosk lock: NOT in effect (KIOSK_WINDOWED=1: an ordinary window, for development only).';
  return lock.policies
    ? 'Kiosk lock: in effect (DevTools pipe, and the Chromium managed policies).'
    : "Kiosk lock: in effect through the DevTools pipe; Chromium's managed policies are not installed (README, 'Walk-up station').";
}
