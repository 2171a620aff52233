// Holds the kiosk Chromium over its DevTools pipe: one page on the kiosk's origin, every other window closed, no download, no browser shortcut.
import type { CdpClient, CdpEvent } from './devtools-pipe';

/** What the lock did, for the shell's log: a kind and values only, never a page's content. */
export type LockEventType = 'window-open-blocked' | 'navigation-blocked' | 'renderer-gone' | 'lock-failed';
export type LockEvent = (type: LockEventType, details: Record<string, string | number | boolean | null>) => void;

/**
 * Browser shortcuts a page may still cancel (Chromium gives the page the key first), each opening a
 * dialog or a browser screen rather than a window the lock would close: save and open dialogs,
 * print, history, downloads, help, clearing data, DevTools, view source, bookmarks, the task manager
 * (which can end the kiosk) and the address bar. New window, new tab, close and quit are "reserved"
 * keys no page can cancel: their windows are closed, and a closed kiosk is opened again.
 * The kiosk's own keys (Ctrl+Alt+S for the console, digits, Tab, Enter, copy and paste) pass.
 */
export const BLOCKED_SHORTCUTS: readonly string[] = [
  'Ctrl+S',
  'Ctrl+Shift+S',
  'Ctrl+O',
  'Ctrl+P',
  'Ctrl+Shift+P',
  'Ctrl+H',
  'Ctrl+J',
  'Ctrl+Shift+Delete',
  'Ctrl+Shift+I',
  'Ctrl+Shift+J',
  'Ctrl+Shift+C',
  'Ctrl+U',
  'Ctrl+D',
  'Ctrl+Shift+D',
  'Ctrl+Shift+B',
  'Ctrl+Shift+O',
  'Ctrl+Shift+M',
  'Ctrl+Shift+A',
  'Ctrl+L',
  'Ctrl+K',
  'Ctrl+E',
  'Ctrl+F',
  'Ctrl+G',
  'Alt+D',
  'Alt+E',
  'Alt+F',
  'Alt+Home',
  'Shift+Escape',
  'F1',
  'F3',
  'F6',
  'F7',
  'F10',
  'F11',
  'F12',
];

/** The key of a keydown as written in BLOCKED_SHORTCUTS ("Ctrl+Shift+Delete"). */
export function shortcutName(event: { key: string; ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }): string {
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  return [event.ctrlKey || event.metaKey ? 'Ctrl' : '', event.altKey ? 'Alt' : '', event.shiftKey ? 'Shift' : '', key]
    .filter((part) => part !== '')
    .join('+');
}

/**
 * Runs in an isolated world of the kiosk page (the page's own scripts and CSP are untouched): a
 * capture-phase listener that cancels the shortcuts above before Chromium acts on them.
 */
export function keyGuardScript(): string {
  return `(() => {
  const blocked = new Set(${JSON.stringify(BLOCKED_SHORTCUTS)});
  const name = ${shortcutName.toString()};
  const guard = (event) => {
    if (blocked.has(name(event))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  window.addEventListener('keydown', guard, true);
  window.addEventListener('keyup', guard, true);
})();`;
}

/** Only the page's scheme and host reach the log: a URL can carry anything. */
export function urlOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : parsed.protocol;
  } catch {
    return 'unparsable';
  }
}

export function onKioskOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

export interface KioskLockOptions {
  /** The kiosk's origin; its page is the only one allowed. */
  origin: string;
  /** The empty page Chromium was started on, allowed until the kiosk page has loaded. */
  firstPage: string;
  /** Where the kiosk page goes first: the token travels in it over the pipe, on no command line. */
  startUrl: string;
  onEvent: LockEvent;
}

export interface KioskLock {
  /** Resolves when the kiosk page is gone (closed by Ctrl+W, Alt+F4...): the launcher opens it again. */
  kioskClosed: Promise<void>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

function targetInfo(params: Record<string, unknown>): TargetInfo | null {
  const info = params.targetInfo;
  if (typeof info !== 'object' || info === null) return null;
  const { targetId, type, url } = info as Record<string, unknown>;
  if (typeof targetId !== 'string' || typeof type !== 'string' || typeof url !== 'string') return null;
  return { targetId, type, url };
}

/**
 * Targets that are windows or screens a person could open and use. Workers go with their page; the
 * browser's own UI pieces are `browser_ui`; print preview (the console's "Print" button, the only
 * window.print there is) is `other` and stays: Ctrl+P itself is cancelled by the key guard.
 */
const WINDOW_TYPES = new Set(['page', 'tab', 'webview']);

/** Chromium's first page: among those already listed, else the next one created. */
function waitForFirstPage(cdp: CdpClient, existing: TargetInfo[]): Promise<TargetInfo> {
  return new Promise((resolvePage, reject) => {
    void cdp.closed.then(() => reject(new Error('Chromium closed its DevTools pipe before opening a page')));
    cdp.onEvent((event) => {
      if (event.method !== 'Target.targetCreated') return;
      const info = targetInfo(event.params);
      if (info?.type === 'page') resolvePage(info);
    });
    const page = existing.find((t) => t.type === 'page');
    if (page) resolvePage(page);
  });
}

function listTargets(result: Record<string, unknown>): TargetInfo[] {
  const { targetInfos } = result;
  return (Array.isArray(targetInfos) ? targetInfos : []).map((t: unknown) => targetInfo({ targetInfo: t })).filter((t) => t !== null);
}

/** `npm run dev`'s window: sends Chromium's first page to `url` over the pipe, and holds nothing (DevTools stay). */
export async function showPage(cdp: CdpClient, url: string): Promise<void> {
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  const page = await waitForFirstPage(cdp, listTargets(await cdp.send('Target.getTargets')));
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
  await cdp.send('Page.navigate', { url }, String(sessionId));
}

/**
 * Takes the kiosk window over: finds the one page Chromium opened (on its empty first page), gives it the
 * key guard, sends it to the kiosk, and from then on closes every other window and brings the
 * page back whenever it leaves the kiosk's origin. Rejects if the pipe does not answer.
 */
export async function lockKiosk(cdp: CdpClient, options: KioskLockOptions): Promise<KioskLock> {
  const { origin, firstPage, startUrl, onEvent } = options;
  let kioskId: string | null = null;
  let kioskSession: string | null = null;
  let closedResolve: () => void = () => {};
  const kioskClosed = new Promise<void>((resolveClosed) => (closedResolve = resolveClosed));
  void cdp.closed.then(() => closedResolve());

  const earlyPages: TargetInfo[] = [];
  function police(event: CdpEvent): void {
    if (event.method === 'Inspector.targetCrashed' && event.sessionId !== undefined && event.sessionId === kioskSession) {
      // The page's renderer died (killed, out of memory): Chromium would show its "Aw, Snap!" page with a button.
      onEvent('renderer-gone', {});
      cdp.send('Page.navigate', { url: startUrl }, event.sessionId).catch(() => {});
      return;
    }
    if (event.method === 'Target.targetDestroyed') {
      if (event.params.targetId === kioskId) closedResolve();
      return;
    }
    if (event.method !== 'Target.targetCreated' && event.method !== 'Target.targetInfoChanged') return;
    const info = targetInfo(event.params);
    if (info === null || !WINDOW_TYPES.has(info.type)) return;
    if (kioskId === null) {
      // Before the kiosk page is known: the first of these is it, the others are closed once it is.
      if (event.method === 'Target.targetCreated') earlyPages.push(info);
      return;
    }
    if (info.targetId === kioskId) {
      if (info.url !== firstPage && !onKioskOrigin(info.url, origin)) {
        onEvent('navigation-blocked', { to: urlOrigin(info.url) });
        // Back to the start URL, token included, so the page comes back in service.
        if (kioskSession !== null) cdp.send('Page.navigate', { url: startUrl }, kioskSession).catch(() => {});
      }
      return;
    }
    if (event.method === 'Target.targetCreated') closeIntruder(info);
  }
  function closeIntruder(info: TargetInfo): void {
    onEvent('window-open-blocked', { kind: info.type, url: urlOrigin(info.url) });
    cdp.send('Target.closeTarget', { targetId: info.targetId }).catch(() => {});
  }
  cdp.onEvent(police);

  await cdp.send('Target.setDiscoverTargets', { discover: true });
  // Ctrl+S would save the page through the download manager; nothing is ever written from the kiosk page.
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'deny' });
  const existing = listTargets(await cdp.send('Target.getTargets'));
  // Pages Chromium announced while the list was on its way count as listed.
  const kiosk = await waitForFirstPage(cdp, [...existing, ...earlyPages]);
  kioskId = kiosk.targetId;
  for (const other of [...existing, ...earlyPages]) {
    if (other.targetId !== kioskId && WINDOW_TYPES.has(other.type)) closeIntruder(other);
  }
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: kioskId, flatten: true });
  const session = String(sessionId);
  kioskSession = session;
  await cdp.send('Page.enable', {}, session);
  await cdp.send('Inspector.enable', {}, session);
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: keyGuardScript(), worldName: 'kiosk-key-guard' }, session);
  await cdp.send('Page.navigate', { url: startUrl }, session);

  return { kioskClosed };
}
