// electron/shell/main.ts on a data folder the engine cannot open: the window still opens and every method answers out_of_service.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../electron/shell/app-origin';
import { captureShellLog, keepProcessListeners } from './fake-electron';

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron());

vi.mock('electron', async () => (await import('./fake-electron')).electronModule(fake));

let root: string;
let logged: Record<string, unknown>[] = [];
let restoreProcessListeners = () => {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kiosk-main-oos-'));
  fake.app.appPath = join(root, 'app');
  await mkdir(join(fake.app.appPath, 'out', 'renderer'), { recursive: true });
  // A data "folder" under a plain file: nothing can be created there, as on a broken or full disk.
  await writeFile(join(root, 'not-a-folder'), '');
  vi.stubEnv('KIOSK_DATA_DIR', join(root, 'not-a-folder', 'data'));
  logged = captureShellLog((capture) => vi.spyOn(console, 'error').mockImplementation(capture));
  restoreProcessListeners = keepProcessListeners();
  await import('../../../electron/shell/main');
  fake.markReady();
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 10_000 });
});

afterAll(async () => {
  restoreProcessListeners();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('when the engine cannot open', () => {
  it('logs why, for the supervisor and the service logs', () => {
    expect(logged).toContainEqual(expect.objectContaining({ event: 'engine-failed', message: expect.any(String) }));
  });

  it('still opens the kiosk window on the app, rather than leaving a blank screen or a crash dialog', () => {
    expect(fake.windows[0]?.loaded).toEqual([APP_ENTRY_URL]);
  });

  it('answers every call with out_of_service, never a stack trace', async () => {
    const window = fake.windows[0];
    const listener = fake.handled.get('kiosk:getSnapshot');
    const result = await listener?.({ sender: { id: window?.webContents.id }, senderFrame: window?.webContents.mainFrame }, {});
    expect(result).toEqual({ ok: false, error: { code: 'out_of_service', params: { reason: 'data_folder_unwritable' } } });
  });
});
