// The kiosk window's Chromium: kiosk mode on the shell's URL, a throw-away profile, quiet, sandboxed unless root.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { chromiumArgs, findChromium, FIRST_PAGE, hasLocale, kioskPreferences, parseWindowSize, removeProfile, writeKioskProfile } from '../../../electron/browser-shell/chromium';

describe('chromium launcher', () => {
  const base = { url: 'http://127.0.0.1:4000/#token=ab', profileDir: '/tmp/profile-x' };

  it('opens the URL as a kiosk app on its own profile with background networking off', () => {
    const args = chromiumArgs({ ...base, runningAsRoot: false });
    expect(args).toContain('--kiosk');
    expect(args).toContain('--app=http://127.0.0.1:4000/#token=ab');
    expect(args).toContain('--user-data-dir=/tmp/profile-x');
    for (const flag of ['--disable-background-networking', '--disable-component-update', '--disable-sync']) {
      expect(args).toContain(flag);
    }
  });

  it('fills the screen: fullscreen at the origin, and the given size where no window manager would do it', () => {
    expect(chromiumArgs({ ...base, runningAsRoot: false })).toEqual(expect.arrayContaining(['--start-fullscreen', '--window-position=0,0']));
    expect(chromiumArgs({ ...base, runningAsRoot: false }).some((a) => a.startsWith('--window-size'))).toBe(false);
    const sized = chromiumArgs({ ...base, runningAsRoot: false, windowSize: parseWindowSize('1366x768') });
    expect(sized).toContain('--window-size=1366,768');
    expect(parseWindowSize('big')).toBeNull();
  });

  it('is held over a DevTools pipe, never a TCP port, and starts on a page that carries no token', () => {
    const args = chromiumArgs({ url: FIRST_PAGE, profileDir: '/tmp/p', runningAsRoot: false });
    expect(args).toContain('--remote-debugging-pipe');
    expect(args.some((a) => a.startsWith('--remote-debugging-port'))).toBe(false);
    expect(args).toContain(`--app=${FIRST_PAGE}`);
    expect(FIRST_PAGE).not.toMatch(/token|127\.0\.0\.1/);
    const printer = chromiumArgs({ url: FIRST_PAGE, profileDir: '/tmp/p', runningAsRoot: false, kiosk: false, headless: true });
    expect(printer).toContain('--headless');
    expect(printer).not.toContain('--kiosk');
  });

  it("speaks the station's language and shows no permission prompt, pinch zoom or swipe back", () => {
    expect(chromiumArgs({ ...base, runningAsRoot: false, language: 'fr' })).toContain('--lang=fr');
    expect(chromiumArgs({ ...base, runningAsRoot: false, language: 'en' })).toContain('--lang=en-GB');
    const args = chromiumArgs({ ...base, runningAsRoot: false });
    for (const flag of ['--deny-permission-prompts', '--disable-pinch', '--overscroll-history-navigation=0']) expect(args).toContain(flag);
    // It would swap print preview for the system's dialog, "Print to file" included: printing is off in the profile instead.
    expect(args).not.toContain('--disable-print-preview');
  });

  it("finds Chromium's strings for the station's language where Debian's chromium-l10n and Google Chrome put them", () => {
    const debian = (path: string) => path === '/usr/lib/chromium/locales/fr.pak';
    expect(hasLocale('/no/such/chromium', 'fr', debian)).toBe(true);
    expect(hasLocale('/no/such/chromium', 'en', debian)).toBe(false);
    expect(hasLocale('/opt/google/chrome/chrome', 'en', (path) => path === '/opt/google/chrome/locales/en-GB.pak')).toBe(true);
  });

  it('writes a profile with no password manager, autofill, translate or printing before Chromium starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-profile-test-'));
    await writeKioskProfile(dir, 'en');
    const prefs = JSON.parse(readFileSync(join(dir, 'Default', 'Preferences'), 'utf8')) as Record<string, Record<string, unknown> | boolean>;
    expect(prefs).toEqual(kioskPreferences('en'));
    expect(prefs.credentials_enable_service).toBe(false);
    expect(prefs.profile).toMatchObject({ password_manager_enabled: false });
    expect(prefs.autofill).toEqual({ enabled: false, profile_enabled: false, credit_card_enabled: false });
    expect(prefs.translate).toEqual({ enabled: false });
    expect(prefs.printing).toEqual({ enabled: false });
    expect(prefs.intl).toEqual({ accept_languages: 'en-GB,en' });
  });

  it('keeps the sandbox unless running as root', () => {
    expect(chromiumArgs({ ...base, runningAsRoot: false })).not.toContain('--no-sandbox');
    expect(chromiumArgs({ ...base, runningAsRoot: true })).toContain('--no-sandbox');
  });

  it('prefers CHROMIUM_PATH and reports none when nothing is installed', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/c' }, (p) => p === '/opt/c')).toBe('/opt/c');
    expect(findChromium({}, () => false)).toBeNull();
    expect(findChromium({}, (p) => p === '/usr/bin/chromium')).toBe('/usr/bin/chromium');
  });
});

describe('removing the throw-away profile', () => {
  it('removes a profile that its helper processes are still writing into', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-profile-test-'));
    mkdirSync(join(dir, 'Default', 'Cache'), { recursive: true });
    // A helper process still writing for a moment after Chromium exited.
    let n = 0;
    const writer = setInterval(() => {
      try {
        writeFileSync(join(dir, 'Default', 'Cache', `entry-${(n += 1)}`), 'x');
      } catch {
        // The folder went meanwhile.
      }
    }, 1);
    setTimeout(() => clearInterval(writer), 200);
    await removeProfile(dir);
    clearInterval(writer);
    expect(existsSync(dir)).toBe(false);
  });

  it('never rejects: a profile it cannot remove is warned, and the launcher goes on', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const failing = (async () => {
      throw Object.assign(new Error('ENOTEMPTY: directory not empty'), { code: 'ENOTEMPTY' });
    }) as unknown as typeof rm;
    await expect(removeProfile('/tmp/enrolment-kiosk-profile-x', failing)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('/tmp/enrolment-kiosk-profile-x was not removed: ENOTEMPTY'));
    warn.mockRestore();
  });
});
