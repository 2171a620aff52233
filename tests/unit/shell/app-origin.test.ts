// Which URLs are the app's own: app://kiosk pages, nothing that only looks like one.
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../../electron/shell/app-origin';
import { APP_SCHEME_PRIVILEGES } from '../../../electron/shell/security/session';

describe('isAppUrl', () => {
  it('accepts the app origin only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://kiosk/assets/index-abc.js')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5173/',
      'file:///etc/passwd',
      'app://kiosk.evil.example/',
      'app://evil@kiosk:8080/',
      'app://kiosk@evil/',
      'app://other/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('registers app:// as a standard, secure scheme with V8 code cache, without CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, codeCache: true });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeUndefined();
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBeUndefined();
  });
});
