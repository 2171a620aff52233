// electron/shell/main.ts booted against a recording fake 'electron' and the real engine on a temporary data folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../electron/shell/app-origin';
import { captureShellLog, FakeWebContents, keepProcessListeners } from './fake-electron';
import { METHOD_NAMES } from '../../../shared/methods';

// Everything main.ts asks of Electron, recorded; the real package would look for its binary.
const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron());

vi.mock('electron', async () => (await import('./fake-electron')).electronModule(fake));

let root: string;
let dataDir: string;
let logged: Record<string, unknown>[] = [];
let restoreProcessListeners = () => {};

function kioskWindow() {
  const window = fake.windows[0];
  if (!window) throw new Error('no window yet');
  return window;
}

function trustedEvent() {
  const window = kioskWindow();
  return { sender: { id: window.webContents.id }, senderFrame: window.webContents.mainFrame };
}

async function call(method: string, input: unknown, event: unknown = trustedEvent()) {
  const listener = fake.handled.get(`kiosk:${method}`);
  if (!listener) throw new Error(`kiosk:${method} is not handled`);
  return listener(event, input);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kiosk-main-'));
  dataDir = join(root, 'data');
  fake.app.appPath = join(root, 'app');
  await mkdir(join(fake.app.appPath, 'out', 'renderer'), { recursive: true });
  await writeFile(join(fake.app.appPath, 'out', 'renderer', 'index.html'), '<!doctype html><title>kiosk</title>');
  vi.stubEnv('KIOSK_DATA_DIR', dataDir);
  logged = captureShellLog((capture) => vi.spyOn(console, 'error').mockImplementation(capture));
  restoreProcessListeners = keepProcessListeners();
  await import('../../../electron/shell/main');
});

afterAll(async () => {
  restoreProcessListeners();
  fake.app.emit('before-quit');
  fake.app.emit('will-quit');
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('before ready', () => {
  it('enables the sandbox and registers the app scheme before waiting for ready, after taking the lock', () => {
    expect(fake.order).toEqual(['registerSchemesAsPrivileged', 'enableSandbox', 'requestSingleInstanceLock', 'whenReady']);
  });

  it('puts userData, and so the single-instance lock, in KIOSK_DATA_DIR', () => {
    expect(fake.app.getPath('userData')).toBe(dataDir);
  });

  it('hardens every web contents the app will create', () => {
    const contents = new FakeWebContents(99);
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.count('will-navigate')).toBe(1);
    expect(contents.count('before-input-event')).toBe(1);
  });
});

describe('once ready', () => {
  beforeAll(async () => {
    fake.markReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 10_000 });
  });

  it('removes the menu and guards the session', () => {
    expect(fake.menu).toEqual([null]);
    expect(fake.session.permissionRequest).toEqual(expect.any(Function));
    const decide = (url: string) => {
      let answer: unknown;
      fake.session.beforeRequest?.({ url }, (r) => (answer = r));
      return answer;
    };
    expect(decide('https://example.com/')).toEqual({ cancel: true });
    expect(decide(APP_ENTRY_URL)).toEqual({ cancel: false });
  });

  it('opens one hidden kiosk window with the preload and loads the app into it', () => {
    const window = kioskWindow();
    expect(window.options).toMatchObject({ kiosk: true, show: false });
    expect((window.options.webPreferences as { preload: string; devTools: boolean }).preload).toBe(
      join(fake.app.appPath, 'out', 'preload', 'preload.cjs'),
    );
    expect((window.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
    expect(window.loaded).toEqual([APP_ENTRY_URL]);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('serves the built renderer at app://kiosk with the CSP', async () => {
    const handler = fake.protocols.get('app');
    const response = await handler?.(new Request(APP_ENTRY_URL));
    expect(response?.status).toBe(200);
    expect(response?.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('uses the key file where there is no real keychain', () => {
    expect(logged).toContainEqual(expect.objectContaining({ event: 'engine-opening', keyStore: 'key-file' }));
  });

  it("handles every contract method, answering the window's main frame from the real engine", async () => {
    expect([...fake.handled.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `kiosk:${m}`).sort());
    const result = (await call('getSnapshot', {})) as { ok: boolean; value?: { step: string } };
    expect(result.ok).toBe(true);
    expect(result.value?.step).toBe('welcome');
  });

  it('refuses a call from any other sender', async () => {
    const stranger = { sender: { id: 42 }, senderFrame: { url: 'https://evil.example/', processId: 9, routingId: 1, parent: null } };
    await expect(call('getSnapshot', {}, stranger)).resolves.toEqual({ ok: false, error: { code: 'not_authorised', params: {} } });
  });

  it('refuses a window close it did not ask for', () => {
    const event = { preventDefault: vi.fn() };
    kioskWindow().emit('close', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('reloads the welcome page after a renderer crash, and logs it', async () => {
    const window = kioskWindow();
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(logged).toContainEqual(expect.objectContaining({ event: 'renderer-gone', reason: 'crashed' }));
    await vi.waitFor(() => expect(window.loaded).toEqual([APP_ENTRY_URL, APP_ENTRY_URL]), { timeout: 5_000 });
    // The supervisor reads it back from the hash-chained log, not only from the service's stderr.
    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
    const row = db.prepare("SELECT session_id AS sessionId, details FROM events WHERE type = 'shell_renderer_gone'").get();
    db.close();
    expect(row).toMatchObject({ sessionId: null, details: expect.stringContaining('"reason":"crashed"') });
  });

  it("quits when the supervisor chooses exit in the console, the kiosk's one way out", async () => {
    const passphrase = 'correct horse battery staple';
    const setup = { stationName: 'PIF test', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' };
    expect(await call('completeSetup', setup)).toMatchObject({ ok: true });
    expect(await call('openConsole', { passphrase })).toMatchObject({ ok: true });
    const before = fake.app.quitCalls;
    expect(await call('exitKiosk', {})).toEqual({ ok: true, value: {} });
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(before + 1), { timeout: 5_000 });
  });

  it('lets the window close once the app quits', () => {
    fake.app.emit('before-quit');
    const event = { preventDefault: vi.fn() };
    kioskWindow().emit('close', event);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('quits when the window is gone', () => {
    const before = fake.app.quitCalls;
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(before + 1);
  });
});
