// The session guards and the app scheme's privileges: permissions, requests that are not the app's own, downloads.
import type { CustomScheme } from 'electron';
import { APP_ORIGIN, APP_SCHEME, isAppUrl } from '../app-origin';
import { forLog, type HardeningOptions, type PreventableEvent, type ShellLog } from './shell-log';

/**
 * `standard` gives app://kiosk a real origin (so 'self' in the CSP means the app) and `secure`
 * makes it a secure context like https; `codeCache` lets V8 keep compiled code between loads, as Chromium
 * does for http (Electron enables it for standard schemes only). Chromium 156 applies it to classic scripts, not
 * to the renderer's modules: it is there for the Chromium that does.
 * No bypassCSP, no CORS exemption.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/**
 * A request may go ahead only if it is the app's own: its files, data: images and blobs it made.
 * DevTools' own pages are let through only where DevTools are allowed at all (not in production).
 */
export function isAllowedRequest(url: string, allowDevTools: boolean): boolean {
  if (isAppUrl(url)) return true;
  if (url.startsWith('data:')) return true;
  if (url.startsWith(`blob:${APP_ORIGIN}/`)) return true;
  return allowDevTools && url.startsWith('devtools:');
}

/** Camera, microphone, notifications, geolocation, clipboard...: the kiosk needs none of them. */
export function denyPermissionRequest(
  permission: string,
  callback: (granted: boolean) => void,
  log: ShellLog,
): void {
  log('permission-denied', { permission });
  callback(false);
}

/** Synchronous permission checks get the same answer as requests. */
export function denyPermissionCheck(): boolean {
  return false;
}

/** The parts of a Session the guards touch. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
  };
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
}

/** Denies every permission, every request that is not the app's own, and every download. */
export function guardSession(session: GuardedSession, { isProduction, log }: HardeningOptions): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    denyPermissionRequest(permission, callback, log),
  );
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyPermissionCheck);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, !isProduction);
    if (!allowed) log('request-blocked', { url: forLog(details.url) });
    callback({ cancel: !allowed });
  });
  session.on('will-download', (event) => {
    event.preventDefault();
    log('download-blocked');
  });
}
