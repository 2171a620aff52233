// The web-contents guards driven with a fake contents: navigation, window.open, keys, DevTools, the window's close.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../../electron/shell/app-origin';
import { denyWindowOpen, guardNavigation, guardWindowClose, hardenWebContents } from '../../../../electron/shell/security/contents';
import { denyPermissionCheck, denyPermissionRequest } from '../../../../electron/shell/security/session';
import { FakeContents, preventable, quiet } from './fakes';

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
