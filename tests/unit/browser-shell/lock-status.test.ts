// The launcher says in one line whether the kiosk lock is in effect, and where each Chromium reads the policies.
import { describe, expect, it } from 'vitest';
import { lockLine, managedPoliciesInstalled, policyFile } from '../../../electron/browser-shell/lock-status';

describe('kiosk lock status', () => {
  it('reads the policies where Debian Chromium and Google Chrome look for them', () => {
    expect(policyFile('/usr/bin/chromium')).toBe('/etc/chromium/policies/managed/enrolment-kiosk.json');
    expect(policyFile('/usr/bin/google-chrome-stable')).toBe('/etc/opt/chrome/policies/managed/enrolment-kiosk.json');
    expect(managedPoliciesInstalled('/usr/bin/chromium', (p) => p === '/etc/chromium/policies/managed/enrolment-kiosk.json')).toBe(true);
    expect(managedPoliciesInstalled('/usr/bin/chromium', () => false)).toBe(false);
  });

  it('says NOT in effect for serve and a developer window, and names each layer, in effect or NOT', () => {
    expect(lockLine({ window: 'not-held', policies: false })).toMatch(/^Kiosk lock: NOT in effect .*DevTools pipe NOT in effect; kiosk profile NOT in effect/);
    expect(lockLine({ window: 'windowed', policies: true })).toMatch(/^Kiosk lock: NOT in effect .*DevTools pipe NOT in effect/);
    const withoutPolicies = lockLine({ window: 'held', policies: false });
    expect(withoutPolicies).toMatch(/^Kiosk lock: in effect: DevTools pipe in effect .*; kiosk profile in effect .*; managed policies NOT in effect/);
    const finished = lockLine({ window: 'held', policies: true });
    expect(finished).toMatch(/; managed policies in effect\.$/);
    expect(finished).not.toContain('NOT');
    for (const window of ['held', 'windowed', 'not-held'] as const) expect(lockLine({ window, policies: false }).split('\n')).toHaveLength(1);
  });
});
