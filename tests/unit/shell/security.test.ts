// The shell's guards driven with fake contents and sessions: navigation, window.open, permissions, requests, keys, crashes.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../../electron/shell/app-origin';
import { denyWindowOpen, guardNavigation, guardWindowClose, hardenWebContents } from '../../../electron/shell/security/contents';
import { UNRESPONSIVE_GRACE_MS, recoveryDelayMs, watchRenderer } from '../../../electron/shell/security/renderer-watch';
import {
  APP_SCHEME_PRIVILEGES,
  denyPermissionCheck,
  denyPermissionRequest,
  guardSession,
  isAllowedRequest,
} from '../../../electron/shell/security/session';
import { isBlockedShortcut, type KeyInput } from '../../../electron/shell/security/shortcuts';

const quiet = () => {};

function preventable(url?: string) {
  return { url, preventDefault: vi.fn() };
}

type Listener = (...args: never[]) => void;

/** Records listeners the way a WebContents does, typed loosely enough to take any guard's listener. */
class FakeContents {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    // The fake delivers whatever the test passes, as Electron delivers its own event arguments.
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  closeDevTools = vi.fn();
  forcefullyCrashRenderer = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
}

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

  it('registers app:// as a standard, secure scheme without CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeUndefined();
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBeUndefined();
  });
});

describe('navigation', () => {
  it('blocks navigation to any other origin and logs it', () => {
    const log = vi.fn();
    const event = preventable('https://eulogin.example/');
    guardNavigation(event, undefined, log);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('navigation-blocked', { url: 'https://eulogin.example/' });
  });

  it('blocks file:// navigation, such as a file dropped on the window', () => {
    const event = preventable();
    guardNavigation(event, 'file:///home/agent/secret.pdf', quiet);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('lets the app load its own pages', () => {
    const event = preventable(APP_ENTRY_URL);
    guardNavigation(event, undefined, quiet);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('truncates a long URL in the log', () => {
    const log = vi.fn();
    guardNavigation(preventable(`data:text/html,${'x'.repeat(5000)}`), undefined, log);
    const logged = log.mock.calls[0]?.[1] as { url: string };
    expect(logged.url.length).toBeLessThan(250);
  });
});

describe('window.open and permissions', () => {
  it('denies window.open, even for an app URL', () => {
    expect(denyWindowOpen({ url: 'https://example.com/' }, quiet)).toEqual({ action: 'deny' });
    expect(denyWindowOpen({ url: APP_ENTRY_URL }, quiet)).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      denyPermissionRequest(permission, callback, quiet);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(denyPermissionCheck()).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it("lets only the app's own requests through", () => {
    expect(isAllowedRequest('app://kiosk/assets/app.js', false)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', false)).toBe(true);
    expect(isAllowedRequest('blob:app://kiosk/1234', false)).toBe(true);
    expect(isAllowedRequest('https://fonts.googleapis.com/css', false)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/', false)).toBe(false);
    expect(isAllowedRequest('ws://127.0.0.1:9229/', false)).toBe(false);
    expect(isAllowedRequest('file:///etc/hosts', false)).toBe(false);
    expect(isAllowedRequest('blob:https://example.com/1', false)).toBe(false);
  });

  it('lets DevTools pages through only where DevTools are allowed', () => {
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', true)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', false)).toBe(false);
  });
});

describe('guardSession', () => {
  function fakeSession() {
    const emitter = new EventEmitter();
    const session = {
      permissionRequest: null as null | ((c: unknown, p: string, cb: (granted: boolean) => void) => void),
      permissionCheck: null as null | (() => boolean),
      devicePermission: null as null | (() => boolean),
      beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
      setPermissionRequestHandler(handler: (c: unknown, p: string, cb: (granted: boolean) => void) => void) {
        session.permissionRequest = handler;
      },
      setPermissionCheckHandler(handler: () => boolean) {
        session.permissionCheck = handler;
      },
      setDevicePermissionHandler(handler: () => boolean) {
        session.devicePermission = handler;
      },
      webRequest: {
        onBeforeRequest(listener: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) {
          session.beforeRequest = listener;
        },
      },
      on: emitter.on.bind(emitter),
      emit: emitter.emit.bind(emitter),
    };
    return session;
  }

  it('cancels and logs every request that is not the app’s own', () => {
    const session = fakeSession();
    const log = vi.fn();
    guardSession(session, { isProduction: true, log });
    const decide = (url: string) => {
      const callback = vi.fn();
      session.beforeRequest?.({ url }, callback);
      return callback.mock.calls[0]?.[0];
    };
    expect(decide('app://kiosk/index.html')).toEqual({ cancel: false });
    expect(decide('https://cdn.example/font.woff2')).toEqual({ cancel: true });
    expect(log).toHaveBeenCalledWith('request-blocked', { url: 'https://cdn.example/font.woff2' });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('denies permission requests, checks and device access', () => {
    const session = fakeSession();
    guardSession(session, { isProduction: true, log: quiet });
    const callback = vi.fn();
    session.permissionRequest?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.permissionCheck?.()).toBe(false);
    expect(session.devicePermission?.()).toBe(false);
  });

  it('refuses every download', () => {
    const session = fakeSession();
    guardSession(session, { isProduction: true, log: quiet });
    const event = preventable();
    session.emit('will-download', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('isBlockedShortcut', () => {
  const press = (key: string, mods: Partial<Omit<KeyInput, 'key'>> = {}): KeyInput => ({
    key,
    control: false,
    alt: false,
    shift: false,
    meta: false,
    ...mods,
  });

  it.each([
    ['Alt+F4', press('F4', { alt: true })],
    ['Ctrl+W', press('w', { control: true })],
    ['Ctrl+F4', press('F4', { control: true })],
    ['Ctrl+Q', press('q', { control: true })],
    ['Cmd+Q', press('q', { meta: true })],
    ['Ctrl+R', press('r', { control: true })],
    ['Ctrl+Shift+R', press('R', { control: true, shift: true })],
    ['F5', press('F5')],
    ['Ctrl+F5', press('F5', { control: true })],
    ['F11', press('F11')],
    ['F12', press('F12')],
    ['Ctrl+Shift+I', press('I', { control: true, shift: true })],
    ['Ctrl+Shift+J', press('J', { control: true, shift: true })],
    ['Ctrl+Shift+C', press('C', { control: true, shift: true })],
    ['Ctrl+N', press('n', { control: true })],
    ['Ctrl+T', press('t', { control: true })],
    ['Ctrl+P', press('p', { control: true })],
    ['Ctrl+S', press('s', { control: true })],
    ['Ctrl+U', press('u', { control: true })],
    ['Alt+Left', press('ArrowLeft', { alt: true })],
    ['Browser Back key', press('BrowserBack')],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['a digit', press('7')],
    ['a letter', press('a')],
    ['Shift+A', press('A', { shift: true })],
    ['Backspace', press('Backspace')],
    ['Enter', press('Enter')],
    ['Tab', press('Tab')],
    ['Escape', press('Escape')],
    ['Ctrl+A (select all)', press('a', { control: true })],
    ['Ctrl+C (copy)', press('c', { control: true })],
    ['Ctrl+V (paste)', press('v', { control: true })],
    ['Ctrl+Z (undo)', press('z', { control: true })],
    ['Ctrl+Alt+S (the supervisor console)', press('s', { control: true, alt: true })],
    ['AltGr+0 typing @ on a French keyboard', press('@', { control: true, alt: true })],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });
});

describe('hardenWebContents', () => {
  function hardened(isProduction = true) {
    const contents = new FakeContents();
    const log = vi.fn();
    hardenWebContents(contents, { isProduction, log });
    return { contents, log };
  }

  it('denies navigation away from the app, in the main frame, sub-frames and redirects', () => {
    const { contents } = hardened();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const event = { ...preventable('https://example.com/'), isMainFrame: name !== 'will-frame-navigate' };
      contents.emit(name, event);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
  });

  it('logs a blocked main-frame navigation once, not once per event that reports it', () => {
    const { contents, log } = hardened();
    const event = { ...preventable('https://example.com/'), isMainFrame: true };
    contents.emit('will-navigate', event);
    contents.emit('will-frame-navigate', event);
    expect(log.mock.calls.filter(([name]) => name === 'navigation-blocked')).toHaveLength(1);
  });

  it('denies window.open', () => {
    const { contents } = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = hardened();
    const event = preventable();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('swallows the escape shortcuts and lets typing through', () => {
    const { contents } = hardened();
    const blocked = preventable();
    contents.emit('before-input-event', blocked, { key: 'F4', alt: true, control: false, shift: false, meta: false });
    expect(blocked.preventDefault).toHaveBeenCalled();
    const typed = preventable();
    contents.emit('before-input-event', typed, { key: '4', alt: false, control: false, shift: false, meta: false });
    expect(typed.preventDefault).not.toHaveBeenCalled();
  });

  it('logs a preload error', () => {
    const { contents, log } = hardened();
    contents.emit('preload-error', {}, '/app/out/preload/preload.cjs', new Error('boom'));
    expect(log).toHaveBeenCalledWith('preload-error', { preloadPath: '/app/out/preload/preload.cjs', message: 'boom' });
  });

  it('closes DevTools as soon as they open in production, not in development', () => {
    const production = hardened(true);
    production.contents.emit('devtools-opened');
    expect(production.contents.closeDevTools).toHaveBeenCalled();
    const development = hardened(false);
    development.contents.emit('devtools-opened');
    expect(development.contents.closeDevTools).not.toHaveBeenCalled();
  });
});

describe('watchRenderer', () => {
  function watched(quitting = false) {
    const contents = new FakeContents();
    const log = vi.fn();
    const recover = vi.fn();
    const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
    watchRenderer(contents, {
      log,
      recover,
      isQuitting: () => quitting,
      now: () => 0,
      setTimer: (callback, ms) => {
        const timer = { callback, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (timer) => {
        (timer as { cleared: boolean }).cleared = true;
      },
    });
    return { contents, log, recover, timers };
  }

  it('logs a crashed renderer and reloads it to welcome', () => {
    const { contents, log, recover, timers } = watched();
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(log).toHaveBeenCalledWith('renderer-gone', expect.objectContaining({ reason: 'crashed', exitCode: 139 }));
    timers[0]?.callback();
    expect(recover).toHaveBeenCalledTimes(1);
  });

  it('backs off when the renderer keeps crashing', () => {
    const { contents, timers } = watched();
    for (let i = 0; i < 4; i += 1) contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000, 4000, 8000]);
    expect(recoveryDelayMs(50)).toBe(60_000);
  });

  it('kills a renderer hung past the grace period, which then reloads', () => {
    const { contents, log, timers } = watched();
    contents.emit('unresponsive');
    expect(log).toHaveBeenCalledWith('renderer-unresponsive');
    expect(timers[0]?.ms).toBe(UNRESPONSIVE_GRACE_MS);
    timers[0]?.callback();
    expect(contents.forcefullyCrashRenderer).toHaveBeenCalled();
  });

  it('leaves a renderer alone that answers again within the grace period', () => {
    const { contents, timers } = watched();
    contents.emit('unresponsive');
    contents.emit('responsive');
    expect(timers[0]?.cleared).toBe(true);
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });

  it('does not reload while the app is quitting', () => {
    const { contents, recover, timers } = watched(true);
    contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(timers).toHaveLength(0);
    expect(recover).not.toHaveBeenCalled();
  });
});

describe('guardWindowClose', () => {
  it('refuses a close the app did not ask for, and allows it while quitting', () => {
    const window = new EventEmitter();
    let quitting = false;
    guardWindowClose(window, () => quitting, quiet);
    const refused = preventable();
    window.emit('close', refused);
    expect(refused.preventDefault).toHaveBeenCalled();
    quitting = true;
    const allowed = preventable();
    window.emit('close', allowed);
    expect(allowed.preventDefault).not.toHaveBeenCalled();
  });
});
