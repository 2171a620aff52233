// The console's dashboard carries what holds the browser shell's window, as the shell says it now; Electron's says nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { ShellLock } from '../../../shared/supervisor-contract';
import { openKiosk, type Kiosk } from '../../../electron/kiosk';
import { dispatch } from '../../../electron/transport/dispatch';
import { tempDataDir } from '../engine/harness';
import { PASSPHRASE } from './harness';

let kiosk: Kiosk | null = null;
let cleanup = () => {};
afterEach(() => {
  kiosk?.close();
  cleanup();
});

async function dashboardLock(shellLock?: () => ShellLock): Promise<{ read: () => Promise<unknown>; canPrint: () => Promise<unknown> }> {
  const data = tempDataDir();
  cleanup = data.cleanup;
  kiosk = await openKiosk({ dataDir: data.dir, ...(shellLock ? { shellLock } : {}) });
  const handlers = kiosk.handlers;
  const setup = { stationName: 'PIF test', passphrase: PASSPHRASE, passphraseConfirm: PASSPHRASE, mode: 'enrolment', language: 'fr' };
  expect((await dispatch(handlers, 'completeSetup', setup)).ok).toBe(true);
  expect((await dispatch(handlers, 'openConsole', { passphrase: PASSPHRASE })).ok).toBe(true);
  return {
    read: async () => {
      const result = await dispatch(handlers, 'getDashboard', { range: 'today' });
      if (!result.ok) throw new Error(result.error.code);
      return (result.value as { shellLock: unknown }).shellLock;
    },
    canPrint: async () => {
      const result = await dispatch(handlers, 'getReport', {});
      if (!result.ok) throw new Error(result.error.code);
      return (result.value as { canPrint: unknown }).canPrint;
    },
  };
}

describe("the dashboard's kiosk lock", () => {
  it('shows what holds the window now, so a lock that stops holding is seen', async () => {
    let lock: ShellLock = { window: 'held', policies: false };
    const { read } = await dashboardLock(() => lock);
    expect(await read()).toEqual({ window: 'held', policies: false });
    lock = { window: 'not-held', policies: false };
    expect(await read()).toEqual({ window: 'not-held', policies: false });
  });

  it('is null for a shell that holds its own window (Electron)', async () => {
    const { read } = await dashboardLock();
    expect(await read()).toBeNull();
  });

  it("says the report cannot be printed where the held window has printing off, so the preview offers no dead Print", async () => {
    let lock: ShellLock = { window: 'held', policies: true };
    const { canPrint } = await dashboardLock(() => lock);
    expect(await canPrint()).toBe(false);
    lock = { window: 'not-held', policies: false };
    expect(await canPrint()).toBe(true);
  });

  it('lets Electron, which holds no browser-shell lock, print the report', async () => {
    const { canPrint } = await dashboardLock();
    expect(await canPrint()).toBe(true);
  });
});
