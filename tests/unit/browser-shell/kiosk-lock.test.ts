// The lock over the DevTools pipe: every other window closed, the page kept on the kiosk's origin, browser shortcuts cancelled.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { findChromium, printReportPdf } from '../../../electron/browser-shell/chromium';
import type { CdpClient, CdpEvent } from '../../../electron/browser-shell/devtools-pipe';
import { BLOCKED_SHORTCUTS, FIRST_PAGE_WAIT_MS, isZoomKey, lockKiosk, shortcutName, urlOrigin, type LockEventType } from '../../../electron/browser-shell/kiosk-lock';

const ORIGIN = 'http://127.0.0.1:4000';
const START = `${ORIGIN}/`;
const TOKEN = 'a'.repeat(64);

/** A Chromium seen through its pipe: one page at first; the test makes it open others and navigate. */
function fakeChromium() {
  let ratio = 1;
  const sent: { method: string; params: Record<string, unknown>; sessionId?: string }[] = [];
  const listeners: ((event: CdpEvent) => void)[] = [];
  const cdp: CdpClient = {
    async send(method, params = {}, sessionId) {
      sent.push({ method, params, ...(sessionId ? { sessionId } : {}) });
      if (method === 'Target.getTargets') return { targetInfos: [{ targetId: 'kiosk', type: 'page', url: 'data:text/html,' }] };
      if (method === 'Target.attachToTarget') return { sessionId: 'session-kiosk' };
      if (method === 'Page.printToPDF') return { data: Buffer.from('%PDF-recap').toString('base64') };
      if (method === 'Runtime.evaluate') return { result: { value: ratio } };
      return {};
    },
    onEvent: (listener) => listeners.push(listener),
    closed: new Promise(() => {}),
  };
  const emit = (method: string, params: Record<string, unknown>, sessionId?: string) =>
    listeners.forEach((l) => l({ method, params, ...(sessionId ? { sessionId } : {}) }));
  return { cdp, sent, emit, zoomTo: (value: number) => (ratio = value) };
}

async function locked() {
  const chromium = fakeChromium();
  const events: { type: LockEventType; details: Record<string, unknown> }[] = [];
  const lock = await lockKiosk(chromium.cdp, {
    origin: ORIGIN,
    firstPage: 'data:text/html,',
    startUrl: START,
    token: { value: TOKEN, storageKey: 'kiosk-token' },
    onEvent: (type, details) => events.push({ type, details }),
  });
  return { ...chromium, events, lock };
}

describe('the kiosk lock', () => {
  it('sends the first page to the kiosk over the pipe, with the key guard first and downloads denied', async () => {
    const { sent } = await locked();
    const methods = sent.map((s) => s.method);
    expect(methods).toContain('Browser.setDownloadBehavior');
    expect(sent.find((s) => s.method === 'Browser.setDownloadBehavior')?.params).toEqual({ behavior: 'deny' });
    expect(methods.indexOf('Page.addScriptToEvaluateOnNewDocument')).toBeLessThan(methods.indexOf('Page.navigate'));
    expect(sent.find((s) => s.method === 'Page.navigate')).toEqual({ method: 'Page.navigate', params: { url: START }, sessionId: 'session-kiosk' });
  });

  it('gives the page its token through session storage, on its origin only: never in a URL (the window title showed it)', async () => {
    const { sent } = await locked();
    for (const message of sent.filter((s) => s.method === 'Page.navigate')) expect(JSON.stringify(message)).not.toContain(TOKEN);
    const scripts = sent.filter((s) => s.method === 'Page.addScriptToEvaluateOnNewDocument');
    const tokenScript = scripts.find((s) => String(s.params.source).includes(TOKEN));
    expect(tokenScript?.params.worldName).toBeUndefined();
    const storage = new Map<string, string>();
    const run = (origin: string) =>
      new Function('location', 'sessionStorage', String(tokenScript?.params.source))({ origin }, { setItem: (k: string, v: string) => storage.set(k, v) });
    run('https://elsewhere.example');
    expect(storage.size).toBe(0);
    run(ORIGIN);
    expect(storage.get('kiosk-token')).toBe(TOKEN);
  });

  it("lays the kiosk page out as a PDF over the pipe, from the kiosk's own session, with no dialog", async () => {
    const { sent, lock } = await locked();
    const pdf = await lock.printPage();
    expect(Buffer.from(pdf).toString()).toBe('%PDF-recap');
    expect(sent.find((s) => s.method === 'Page.printToPDF')?.sessionId).toBe('session-kiosk');
  });

  it('closes every other window (new window, new tab, history, settings), and logs it without the URL', async () => {
    const { sent, emit, events } = await locked();
    emit('Target.targetCreated', { targetInfo: { targetId: 'intruder', type: 'page', url: 'chrome://history/?q=secret' } });
    emit('Target.targetCreated', { targetInfo: { targetId: 'ui', type: 'browser_ui', url: 'chrome://omnibox-popup.top-chrome/' } });
    // The console's print preview: the supervisor's report must still print.
    emit('Target.targetCreated', { targetInfo: { targetId: 'print-preview', type: 'other', url: '' } });
    expect(sent.filter((s) => s.method === 'Target.closeTarget').map((s) => s.params.targetId)).toEqual(['intruder']);
    expect(events).toEqual([{ type: 'window-open-blocked', details: { kind: 'page', url: 'chrome:' } }]);
  });

  it('brings the kiosk page back when it leaves the kiosk origin', async () => {
    const { sent, emit, events } = await locked();
    emit('Page.frameNavigated', { frame: { id: 'main', url: `${ORIGIN}/` } }, 'session-kiosk');
    expect(sent.filter((s) => s.method === 'Page.navigate')).toHaveLength(1);
    // A frame inside the page is not the page.
    emit('Page.frameNavigated', { frame: { id: 'sub', parentId: 'main', url: 'about:blank' } }, 'session-kiosk');
    emit('Page.frameNavigated', { frame: { id: 'main', url: 'file:///home/kiosk/' } }, 'session-kiosk');
    expect(sent.filter((s) => s.method === 'Page.navigate').at(-1)?.params).toEqual({ url: START });
    expect(events).toEqual([{ type: 'navigation-blocked', details: { to: 'file:' } }]);
  });

  it('keeps no history to go back to, and brings the kiosk back from its empty first page once the kiosk has loaded (Alt+Left)', async () => {
    const { sent, emit, events } = await locked();
    // Before the kiosk has loaded, the first page is where the window is: nothing to do.
    emit('Page.frameNavigated', { frame: { id: 'main', url: 'data:text/html,' } }, 'session-kiosk');
    expect(events).toEqual([]);
    emit('Page.frameNavigated', { frame: { id: 'main', url: `${ORIGIN}/` } }, 'session-kiosk');
    emit('Page.loadEventFired', {}, 'session-kiosk');
    expect(sent.filter((s) => s.method === 'Page.resetNavigationHistory' && s.sessionId === 'session-kiosk')).toHaveLength(1);
    emit('Page.navigatedWithinDocument', { url: `${ORIGIN}/` }, 'session-kiosk');
    expect(sent.filter((s) => s.method === 'Page.resetNavigationHistory')).toHaveLength(2);
    emit('Page.frameNavigated', { frame: { id: 'main', url: 'data:text/html,' } }, 'session-kiosk');
    expect(events).toEqual([{ type: 'navigation-blocked', details: { to: 'data:' } }]);
    expect(sent.filter((s) => s.method === 'Page.navigate').at(-1)?.params).toEqual({ url: START });
  });

  it("intercepts the page's file choosers, so none ever shows, and logs each", async () => {
    const { sent, emit, events } = await locked();
    expect(sent.find((s) => s.method === 'Page.setInterceptFileChooserDialog')).toEqual({
      method: 'Page.setInterceptFileChooserDialog',
      params: { enabled: true },
      sessionId: 'session-kiosk',
    });
    emit('Page.fileChooserOpened', { frameId: 'main', mode: 'selectSingle' }, 'session-kiosk');
    expect(events).toEqual([{ type: 'file-chooser-blocked', details: {} }]);
  });

  it('logs the back and forward the guard refused, keys or mouse buttons, and only from its own binding', async () => {
    const { sent, emit, events } = await locked();
    expect(sent.find((s) => s.method === 'Runtime.addBinding')?.params).toEqual({ name: 'kioskLockReport', executionContextName: 'kiosk-key-guard' });
    emit('Runtime.bindingCalled', { name: 'kioskLockReport', payload: 'mouse' }, 'session-kiosk');
    emit('Runtime.bindingCalled', { name: 'kioskLockReport', payload: 'key' }, 'session-kiosk');
    emit('Runtime.bindingCalled', { name: 'kioskLockReport', payload: 'key' }, 'another-session');
    expect(events).toEqual([
      { type: 'history-blocked', details: { via: 'mouse' } },
      { type: 'history-blocked', details: { via: 'key' } },
    ]);
  });

  it('ends the window when the page shows zoomed on a later load, so the next starts at 100 %', async () => {
    const { sent, emit, events, zoomTo } = await locked();
    emit('Page.loadEventFired', {}, 'session-kiosk');
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.some((s) => s.method === 'Target.closeTarget')).toBe(false);
    zoomTo(1.5);
    emit('Page.loadEventFired', {}, 'session-kiosk');
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([{ type: 'zoom-reset', details: { ratio: 1.5 } }]);
    expect(sent.filter((s) => s.method === 'Target.closeTarget').map((s) => s.params.targetId)).toEqual(['kiosk']);
  });

  it("reloads the kiosk when its page's renderer dies, instead of leaving Chromium's crash page", async () => {
    const { sent, emit, events } = await locked();
    emit('Inspector.targetCrashed', {}, 'some-other-session');
    expect(events).toEqual([]);
    emit('Inspector.targetCrashed', {}, 'session-kiosk');
    expect(events).toEqual([{ type: 'renderer-gone', details: {} }]);
    expect(sent.filter((s) => s.method === 'Page.navigate').at(-1)).toEqual({ method: 'Page.navigate', params: { url: START }, sessionId: 'session-kiosk' });
  });

  it('tells the launcher at once when the page is closed while the lock is still being set up', async () => {
    const chromium = fakeChromium();
    let closed = 0;
    const locking = lockKiosk(chromium.cdp, {
      origin: ORIGIN,
      firstPage: 'data:text/html,',
      startUrl: START,
      token: { value: TOKEN, storageKey: 'kiosk-token' },
      onEvent: () => {},
      onClosed: () => (closed += 1),
    });
    chromium.emit('Target.targetCreated', { targetInfo: { targetId: 'kiosk', type: 'page', url: 'data:text/html,' } });
    chromium.emit('Target.targetDestroyed', { targetId: 'kiosk' });
    await new Promise((r) => setTimeout(r, 0));
    expect(closed).toBe(1);
    await locking;
  });

  it('counts a Chromium that shows no page as closed (its window closed as it mapped), instead of waiting on it', async () => {
    vi.useFakeTimers();
    try {
      const chromium = fakeChromium();
      const send = chromium.cdp.send;
      chromium.cdp.send = async (method, params, sessionId) => (method === 'Target.getTargets' ? { targetInfos: [] } : send(method, params, sessionId));
      let closed = 0;
      const locking = lockKiosk(chromium.cdp, {
        origin: ORIGIN,
        firstPage: 'data:text/html,',
        startUrl: START,
        token: { value: TOKEN, storageKey: 'kiosk-token' },
        onEvent: () => {},
        onClosed: () => (closed += 1),
      });
      const refused = expect(locking).rejects.toThrow('closed before the lock');
      await vi.advanceTimersByTimeAsync(FIRST_PAGE_WAIT_MS);
      await refused;
      expect(closed).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells the launcher when the kiosk page is gone', async () => {
    const { emit, lock } = await locked();
    let closed = false;
    void lock.kioskClosed.then(() => (closed = true));
    emit('Target.targetDestroyed', { targetId: 'intruder' });
    await Promise.resolve();
    expect(closed).toBe(false);
    emit('Target.targetDestroyed', { targetId: 'kiosk' });
    await lock.kioskClosed;
    expect(closed).toBe(true);
  });

  it('cancels the zoom keys on any layout, and Alt+Left / Alt+Right', () => {
    const zoom = (key: string, code: string, ctrlKey = true) => isZoomKey({ key, code, ctrlKey, metaKey: false });
    expect(zoom('+', 'Equal')).toBe(true);
    expect(zoom('=', 'Equal')).toBe(true);
    expect(zoom('-', 'Minus')).toBe(true);
    expect(zoom('+', 'NumpadAdd')).toBe(true);
    expect(zoom('à', 'Digit0')).toBe(true);
    expect(zoom('+', 'Equal', false)).toBe(false);
    expect(zoom('c', 'KeyC')).toBe(false);
    const blocked = new Set(BLOCKED_SHORTCUTS);
    expect(blocked.has(shortcutName({ key: 'ArrowLeft', ctrlKey: false, altKey: true, shiftKey: false, metaKey: false }))).toBe(true);
    expect(blocked.has(shortcutName({ key: 'ArrowLeft', ctrlKey: false, altKey: false, shiftKey: false, metaKey: false }))).toBe(false);
  });

  it('cancels the browser shortcuts but lets the kiosk keys through', () => {
    const key = (k: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) =>
      shortcutName({ key: k, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });
    const blocked = new Set(BLOCKED_SHORTCUTS);
    for (const name of [key('s', { ctrlKey: true }), key('P', { ctrlKey: true }), key('Delete', { ctrlKey: true, shiftKey: true }), key('F1'), key('l', { ctrlKey: true })]) {
      expect(blocked.has(name), name).toBe(true);
    }
    for (const name of [key('s', { ctrlKey: true, altKey: true }), key('5'), key('Enter'), key('Tab'), key('c', { ctrlKey: true }), key('v', { ctrlKey: true })]) {
      expect(blocked.has(name), name).toBe(false);
    }
  });

  it('logs a page by its origin or scheme only', () => {
    expect(urlOrigin('https://support.google.com/chromium/?p=help&x=1')).toBe('https://support.google.com');
    expect(urlOrigin('file:///home/kiosk/.config/station.key')).toBe('file:');
    expect(urlOrigin('not a url')).toBe('unparsable');
  });
});

const chromium = findChromium();
const pdftotext = existsSync('/usr/bin/pdftotext');
describe.skipIf(chromium === null || !pdftotext)('the report as PDF (system Chromium, headless, over its pipe)', () => {
  it('lays the report out as a PDF with its text, and runs none of its scripts', async () => {
    const pdf = await printReportPdf(chromium ?? '', '<h1>Rapport du poste PIF Roissy</h1><p id="x">statique</p><script>document.body.append("SCRIPT-RAN")</script>');
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
    expect(text).toContain('Rapport du poste PIF Roissy');
    expect(text).not.toContain('SCRIPT-RAN');
  }, 60_000);
});
