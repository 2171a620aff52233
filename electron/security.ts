// The shell's guards as named functions: navigation, window.open, permissions, requests, keys, crashes.
// Each takes the Electron object it hardens as an argument, so tests drive it with fakes.
import type { CustomScheme } from 'electron';
import { APP_ORIGIN, APP_SCHEME, isAppUrl } from './app-origin';

/** Where the shell writes what it refused or recovered from; main.ts decides where that goes. */
export type ShellLog = (event: string, details?: Record<string, unknown>) => void;

/**
 * `standard` gives app://kiosk a real origin (so 'self' in the CSP means the app) and `secure`
 * makes it a secure context like https. No bypassCSP, no CORS exemption.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Longest URL kept in the log: enough to see what was tried, not a dump of a data: URL. */
const LOGGED_URL_LENGTH = 200;

function forLog(url: string): string {
  return url.length > LOGGED_URL_LENGTH ? `${url.slice(0, LOGGED_URL_LENGTH)}…` : url;
}

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

interface PreventableEvent {
  preventDefault(): void;
}

interface NavigationEvent extends PreventableEvent {
  /** Electron >= 25 puts the target on the event; older listeners received it as the 2nd argument. */
  url?: string;
  isMainFrame?: boolean;
}

/** will-navigate / will-redirect / will-frame-navigate: a frame may move between app pages, never off the app. */
export function guardNavigation(event: NavigationEvent, url: string | undefined, log: ShellLog): void {
  const target = event.url ?? url ?? '';
  if (isAppUrl(target)) return;
  event.preventDefault();
  log('navigation-blocked', { url: forLog(target) });
}

/** setWindowOpenHandler: a kiosk has one window; links with target=_blank and window.open go nowhere. */
export function denyWindowOpen(details: { url: string }, log: ShellLog): { action: 'deny' } {
  log('window-open-blocked', { url: forLog(details.url) });
  return { action: 'deny' };
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

/** The fields of Electron's `Input` the keyboard guard reads. */
export interface KeyInput {
  key: string;
  control: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/** Refresh, fullscreen toggle, DevTools, caret browsing and the browser keys, whatever the modifiers. */
const ALWAYS_BLOCKED = new Set([
  'f5',
  'f7',
  'f11',
  'f12',
  'browserback',
  'browserforward',
  'browserrefresh',
  'browserhome',
  'browsersearch',
  'browserfavorites',
  'browserstop',
]);
/** Ctrl/Cmd + key: close, quit, reload, new window or tab, open, print, save, view source, downloads, history, address. */
const BLOCKED_WITH_COMMAND = new Set(['w', 'q', 'r', 'n', 't', 'o', 'p', 's', 'u', 'j', 'h', 'l', 'f4']);
/** Ctrl/Cmd + Shift + key: DevTools (I, J, C, K), hard reload, new windows, quit, clear data, profiles. */
const BLOCKED_WITH_COMMAND_SHIFT = new Set(['i', 'j', 'c', 'k', 'r', 'n', 't', 'w', 'q', 'delete', 'm']);
/** Alt + key: close window, history back and forward, home page. */
const BLOCKED_WITH_ALT = new Set(['f4', 'arrowleft', 'arrowright', 'home']);

/**
 * True for a key press that would leave, close, reload or inspect the kiosk. Ctrl+Alt combos
 * are never blocked: AltGr is Ctrl+Alt on Windows (French keyboards type @ with it) and the
 * supervisor console opens with Ctrl+Alt+S.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  const key = input.key.toLowerCase();
  if (ALWAYS_BLOCKED.has(key)) return true;
  const command = input.control || input.meta;
  if (command && input.alt) return false;
  if (command) return (input.shift ? BLOCKED_WITH_COMMAND_SHIFT : BLOCKED_WITH_COMMAND).has(key);
  if (input.alt) return BLOCKED_WITH_ALT.has(key);
  return false;
}

/** The parts of a WebContents the hardening touches; a real WebContents fits, so does a test fake. */
export interface HardenableContents {
  on(event: string, listener: (...args: never[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  closeDevTools(): void;
}

export interface HardeningOptions {
  isProduction: boolean;
  log: ShellLog;
}

/**
 * Applied to every web contents the app creates (app 'web-contents-created'), not only the
 * kiosk window's, so a contents we did not plan for is no way out either (Signal's
 * handleCommonWindowEvents).
 */
export function hardenWebContents(contents: HardenableContents, { isProduction, log }: HardeningOptions): void {
  const onNavigate = (event: NavigationEvent, url?: string) => guardNavigation(event, url, log);
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  // Sub-frames only: the main frame's navigations already came through will-navigate.
  contents.on('will-frame-navigate', (event: NavigationEvent) => {
    if (event.isMainFrame !== true) onNavigate(event);
  });
  contents.on('will-attach-webview', (event: PreventableEvent) => {
    event.preventDefault();
    log('webview-blocked');
  });
  contents.setWindowOpenHandler((details) => denyWindowOpen(details, log));
  contents.on('before-input-event', (event: PreventableEvent, input: KeyInput) => {
    if (isBlockedShortcut(input)) event.preventDefault();
  });
  contents.on('preload-error', (_event: unknown, preloadPath: string, error: Error) => {
    log('preload-error', { preloadPath, message: error.message });
  });
  // webPreferences.devTools is already false in production; this catches any other way in.
  contents.on('devtools-opened', () => {
    if (isProduction) contents.closeDevTools();
  });
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

/** Time a hung page gets to answer again before its renderer is killed and reloaded. */
export const UNRESPONSIVE_GRACE_MS = 10_000;

/**
 * Wait before the n-th reload in a row: 1 s, 2 s, 4 s... capped at a minute, so a page that
 * crashes at load does not spin the CPU while it keeps being reloaded.
 */
export function recoveryDelayMs(recentRecoveries: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, recentRecoveries));
}

/** Recoveries closer together than this count as a crash loop for the back-off. */
const CRASH_LOOP_WINDOW_MS = 5 * 60_000;

export interface WatchedContents {
  on(event: string, listener: (...args: never[]) => void): unknown;
  forcefullyCrashRenderer(): void;
}

export interface RendererWatchOptions {
  log: ShellLog;
  /** Ends the session and loads the welcome page again. */
  recover: () => void;
  /** During quit, a renderer going away is expected, not a crash. */
  isQuitting: () => boolean;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * A crashed renderer is logged and reloaded to welcome; a hung one gets a grace period, then
 * is killed, which brings it to the crash path. An agent never faces a blank or frozen screen.
 */
export function watchRenderer(contents: WatchedContents, options: RendererWatchOptions): void {
  const { log, recover, isQuitting } = options;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as NodeJS.Timeout));
  let recent: number[] = [];
  let hang: unknown = null;

  contents.on('render-process-gone', (_event: unknown, details: { reason: string; exitCode: number }) => {
    if (hang !== null) clearTimer(hang);
    hang = null;
    if (isQuitting()) return;
    const at = now();
    recent = recent.filter((t) => at - t < CRASH_LOOP_WINDOW_MS);
    const delay = recoveryDelayMs(recent.length);
    recent.push(at);
    log('renderer-gone', { reason: details.reason, exitCode: details.exitCode, reloadInMs: delay });
    setTimer(recover, delay);
  });
  contents.on('unresponsive', () => {
    if (hang !== null || isQuitting()) return;
    log('renderer-unresponsive');
    hang = setTimer(() => {
      hang = null;
      log('renderer-killed-after-hang');
      contents.forcefullyCrashRenderer();
    }, UNRESPONSIVE_GRACE_MS);
  });
  contents.on('responsive', () => {
    if (hang === null) return;
    clearTimer(hang);
    hang = null;
    log('renderer-responsive-again');
  });
}

export interface ClosableWindow {
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
}

/**
 * The window closes only when the app is quitting (supervisor exit, OS shutdown, SIGTERM):
 * a window-manager close (Alt+F4 handled by the OS, a title-bar button) is refused.
 */
export function guardWindowClose(window: ClosableWindow, isExitAllowed: () => boolean, log: ShellLog): void {
  window.on('close', (event) => {
    if (isExitAllowed()) return;
    event.preventDefault();
    log('window-close-blocked');
  });
}
