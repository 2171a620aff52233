// Holds the kiosk Chromium over its DevTools pipe: one page on the kiosk's origin, every other window closed, no history, zoom, download or browser shortcut.
import type { CdpClient, CdpEvent } from './devtools-pipe';

/** What the lock did, for the shell's log: a kind and values only, never a page's content. */
export type LockEventType =
  | 'window-open-blocked'
  | 'navigation-blocked'
  | 'history-blocked'
  | 'file-chooser-blocked'
  | 'zoom-reset'
  | 'renderer-gone'
  | 'lock-failed';
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
  // Back and forward: the page's history holds nothing but the kiosk (see lockKiosk), and these keys are refused too.
  'Alt+ArrowLeft',
  'Alt+ArrowRight',
  'BrowserBack',
  'BrowserForward',
  'BrowserHome',
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

/** The isolated world the guard runs in; the launcher's binding exists there alone, never in the page's own scripts. */
export const GUARD_WORLD = 'kiosk-key-guard';
/** How the guard tells the launcher it refused a way back or forward (the shell's log gets it). */
export const GUARD_BINDING = 'kioskLockReport';

/**
 * Zoom keys, on any layout: Chromium's accelerators follow the key's code as well as its character
 * (Ctrl+plus, Ctrl+equals, Ctrl+minus, Ctrl+0 and the keypad's). A zoomed page stays zoomed for the
 * next agent: at 200 % the illustration covered "Commencer".
 */
export function isZoomKey(event: { key: string; code: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  if (!event.ctrlKey && !event.metaKey) return false;
  return ['+', '=', '-', '_', '0'].includes(event.key) || ['Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0'].includes(event.code);
}

/**
 * Runs in an isolated world of the kiosk page (the page's own scripts and CSP are untouched):
 * capture-phase listeners that cancel, before Chromium acts on them, the shortcuts above, the zoom keys,
 * Ctrl+wheel zoom, and the mouse's back and forward buttons (3 and 4 in the DOM, 8 and 9 in X).
 */
export function keyGuardScript(): string {
  return `(() => {
  const blocked = new Set(${JSON.stringify(BLOCKED_SHORTCUTS)});
  const history = new Set(['Alt+ArrowLeft', 'Alt+ArrowRight', 'BrowserBack', 'BrowserForward']);
  const name = ${shortcutName.toString()};
  const isZoomKey = ${isZoomKey.toString()};
  const report = (what) => {
    const binding = globalThis[${JSON.stringify(GUARD_BINDING)}];
    if (typeof binding === 'function') binding(what);
  };
  const cancel = (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const guard = (event) => {
    const shortcut = name(event);
    if (blocked.has(shortcut) || isZoomKey(event)) {
      cancel(event);
      if (event.type === 'keydown' && history.has(shortcut)) report('key');
    }
  };
  window.addEventListener('keydown', guard, true);
  window.addEventListener('keyup', guard, true);
  window.addEventListener('wheel', (event) => {
    if (event.ctrlKey || event.metaKey) cancel(event);
  }, { capture: true, passive: false });
  const button = (event) => {
    if (event.button !== 3 && event.button !== 4) return;
    cancel(event);
    if (event.type === 'mouseup') report('mouse');
  };
  // Not pointerdown: cancelling it would hold back the mouseup that Chromium's back button waits on, and the report with it.
  for (const type of ['mousedown', 'mouseup', 'auxclick']) window.addEventListener(type, button, true);
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
  /** Where the kiosk page goes: its origin's root, with no token in it. */
  startUrl: string;
  /**
   * The launch token, and the session-storage key the page reads it from (renderer/src/client.ts).
   * It is put there over the pipe before any of the page's scripts run, never in a URL: a URL with the
   * token was the window's title while the page loaded (the X window name, which any X client reads).
   */
  token: { value: string; storageKey: string };
  onEvent: LockEvent;
  /** Called as soon as the kiosk page is gone, even before the lock is in place (kioskClosed comes only with the lock). */
  onClosed?: () => void;
}

export interface KioskLock {
  /** Resolves when the kiosk page is gone (closed by Ctrl+W, Alt+F4...): the launcher opens it again. */
  kioskClosed: Promise<void>;
  /** Resolves once the kiosk page has loaded: from then on, a window that ends was closed, not failing to start. */
  ready: Promise<void>;
  /** The kiosk page laid out as an A4 PDF (its print layout: the recap sheet alone while the recap is open), with no dialog. */
  printPage(): Promise<Uint8Array>;
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
 * browser's own UI pieces are `browser_ui`. Print preview cannot open: printing is off in the profile.
 */
const WINDOW_TYPES = new Set(['page', 'tab', 'webview']);

/** How long a Chromium that answers on its pipe may take to show its first page before it counts as closed. */
export const FIRST_PAGE_WAIT_MS = 5_000;

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

/**
 * Runs in the kiosk page's main world before its own scripts, on each new document (F5 included):
 * gives it the token through session storage, on the kiosk's origin only.
 */
export function tokenScript(origin: string, token: { value: string; storageKey: string }): string {
  return `if (location.origin === ${JSON.stringify(origin)}) sessionStorage.setItem(${JSON.stringify(token.storageKey)}, ${JSON.stringify(token.value)});`;
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
 * key guard and the token, sends it to the kiosk, and from then on closes every other window, keeps its
 * history empty, and brings the page back whenever it leaves the kiosk's origin (its empty first page
 * included, once the kiosk has loaded: Alt+Left used to leave it there). Rejects if the pipe does not answer.
 */
export async function lockKiosk(cdp: CdpClient, options: KioskLockOptions): Promise<KioskLock> {
  const { origin, firstPage, startUrl, onEvent } = options;
  let kioskId: string | null = null;
  let kioskSession: string | null = null;
  let kioskLoaded = false;
  /** The page's device pixel ratio when it first loaded: any other later is a zoom. */
  let firstRatio: number | null = null;
  let closedResolve: () => void = () => {};
  const kioskClosed = new Promise<void>((resolveClosed) => (closedResolve = resolveClosed));
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((resolveReady) => (readyResolve = resolveReady));
  void cdp.closed.then(() => closedResolve());
  void kioskClosed.then(() => options.onClosed?.());

  const backToKiosk = () => {
    if (kioskSession !== null) cdp.send('Page.navigate', { url: startUrl }, kioskSession).catch(() => {});
  };
  /** Back and forward have nowhere to go: the history holds the current kiosk page alone. */
  const forgetHistory = () => {
    if (kioskSession !== null) cdp.send('Page.resetNavigationHistory', {}, kioskSession).catch(() => {});
  };
  /** A zoom that got past the guard ends with the window: the next Chromium starts at 100 %. */
  const checkZoom = async (session: string) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'devicePixelRatio', returnByValue: true }, session);
    const ratio = typeof result === 'object' && result !== null ? (result as { value?: unknown }).value : null;
    if (typeof ratio !== 'number') return;
    if (firstRatio === null) firstRatio = ratio;
    else if (Math.abs(ratio - firstRatio) > 0.001 && kioskId !== null) {
      onEvent('zoom-reset', { ratio: Math.round((ratio / firstRatio) * 100) / 100 });
      await cdp.send('Target.closeTarget', { targetId: kioskId });
    }
  };

  const earlyPages: TargetInfo[] = [];
  function police(event: CdpEvent): void {
    if (event.sessionId !== undefined && event.sessionId === kioskSession) {
      onKioskEvent(event, event.sessionId);
      return;
    }
    if (event.method === 'Target.targetDestroyed') {
      // Before the kiosk page is known, the first page Chromium opened is the one that will be it.
      if (event.params.targetId === (kioskId ?? earlyPages[0]?.targetId)) closedResolve();
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
    // The kiosk page's own navigations are policed by its session's Page.frameNavigated, in order with its
    // loads: its target's info changes arrive late (its first page's once came after the kiosk had loaded).
    if (info.targetId === kioskId) return;
    if (event.method === 'Target.targetCreated') closeIntruder(info);
  }
  function allowed(url: string): boolean {
    return onKioskOrigin(url, origin) || (!kioskLoaded && url === firstPage);
  }
  function onKioskEvent(event: CdpEvent, session: string): void {
    switch (event.method) {
      case 'Inspector.targetCrashed':
        // The page's renderer died (killed, out of memory): Chromium would show its "Aw, Snap!" page with a button.
        onEvent('renderer-gone', {});
        backToKiosk();
        return;
      case 'Runtime.bindingCalled':
        if (event.params.name === GUARD_BINDING) onEvent('history-blocked', { via: event.params.payload === 'mouse' ? 'mouse' : 'key' });
        return;
      case 'Page.fileChooserOpened':
        // Intercepted: the GTK chooser, which browses the whole disk and saves anywhere the account can, never shows.
        onEvent('file-chooser-blocked', {});
        return;
      case 'Page.navigatedWithinDocument':
        forgetHistory();
        return;
      case 'Page.frameNavigated': {
        const frame = event.params.frame as { parentId?: unknown; url?: unknown } | undefined;
        if (frame === undefined || frame.parentId !== undefined || typeof frame.url !== 'string') return;
        if (onKioskOrigin(frame.url, origin)) forgetHistory();
        else if (!allowed(frame.url)) {
          onEvent('navigation-blocked', { to: urlOrigin(frame.url) });
          backToKiosk();
        }
        return;
      }
      case 'Page.loadEventFired':
        if (!kioskLoaded) {
          kioskLoaded = true;
          readyResolve();
        }
        void checkZoom(session).catch(() => {});
        return;
    }
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
  // A window closed as it mapped (Ctrl+W at once) leaves a Chromium with no page that the pipe keeps
  // running: without this wait's end the window stayed away until the launcher's 30 s timeout.
  let noPage: ReturnType<typeof setTimeout> | undefined;
  const kiosk = await Promise.race([
    waitForFirstPage(cdp, [...existing, ...earlyPages]),
    new Promise<never>((_resolve, reject) => {
      noPage = setTimeout(() => {
        closedResolve();
        reject(new Error('the first page was closed before the lock took it'));
      }, FIRST_PAGE_WAIT_MS);
    }),
  ]).finally(() => clearTimeout(noPage));
  kioskId = kiosk.targetId;
  for (const other of [...existing, ...earlyPages]) {
    if (other.targetId !== kioskId && WINDOW_TYPES.has(other.type)) closeIntruder(other);
  }
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: kioskId, flatten: true });
  const session = String(sessionId);
  kioskSession = session;
  await cdp.send('Page.enable', {}, session);
  // The kiosk draws its own pickers (roster files, export drives): a page's file chooser is never shown.
  await cdp.send('Page.setInterceptFileChooserDialog', { enabled: true }, session);
  await cdp.send('Inspector.enable', {}, session);
  await cdp.send('Runtime.enable', {}, session);
  await cdp.send('Runtime.addBinding', { name: GUARD_BINDING, executionContextName: GUARD_WORLD }, session);
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: keyGuardScript(), worldName: GUARD_WORLD }, session);
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: tokenScript(origin, options.token) }, session);
  await cdp.send('Page.navigate', { url: startUrl }, session);

  return {
    kioskClosed,
    ready,
    async printPage() {
      // A4 unless the page's own @page rule says otherwise, as Electron's printToPDF does; no dialog ever opens.
      const { data } = await cdp.send('Page.printToPDF', { paperWidth: 8.27, paperHeight: 11.69, printBackground: true, preferCSSPageSize: true }, session);
      return new Uint8Array(Buffer.from(String(data), 'base64'));
    },
  };
}
