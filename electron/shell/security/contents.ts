// The web-contents guards: navigation, window.open, <webview>, keys, preloads, DevTools, and the window's close.
import { isAppUrl } from '../app-origin';
import { forLog, type HardeningOptions, type PreventableEvent, type ShellLog } from './shell-log';
import { isBlockedShortcut, type KeyInput } from './shortcuts';

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

/** The parts of a WebContents the hardening touches; a real WebContents fits, so does a test fake. */
export interface HardenableContents {
  on(event: string, listener: (...args: never[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  closeDevTools(): void;
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
