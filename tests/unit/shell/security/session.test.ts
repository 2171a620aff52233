// The session guards driven with a fake session: requests that are not the app's own, permissions, downloads.
import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { guardSession, isAllowedRequest } from '../../../../electron/shell/security/session';
import { preventable, quiet } from './fakes';

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
