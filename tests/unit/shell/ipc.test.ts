// The IPC door: every contract method registered, foreign senders refused, bad payloads refused, nothing thrown.
import { describe, expect, it, vi } from 'vitest';
import type { KioskHandlers, Snapshot } from '../../../shared/contract';
import { KioskError } from '../../../shared/errors';
import { METHOD_NAMES } from '../../../shared/methods';
import { APP_ENTRY_URL } from '../../../electron/shell/app-origin';
import { outOfServiceHandlers } from '../../../electron/engine/out-of-service';
import {
  isTrustedSender,
  registerIpc,
  type FrameLike,
  type SenderEventLike,
  type WindowLike,
} from '../../../electron/shell/ipc';

const mainFrame: FrameLike = { url: APP_ENTRY_URL, processId: 4, routingId: 1, parent: null };

function fakeWindow(destroyed = false): WindowLike {
  return { isDestroyed: () => destroyed, webContents: { id: 7, mainFrame } };
}

function eventFrom(frame: Partial<FrameLike> | null, senderId = 7): SenderEventLike {
  return { sender: { id: senderId }, senderFrame: frame === null ? null : { ...mainFrame, ...frame } };
}

const welcome: Snapshot = {
  step: 'welcome',
  station: { name: 'PIF Roissy', mode: 'enrolment', language: 'fr', status: 'ready', idleSeconds: 120, keyboard: true, allowedDomains: [] },
  now: 0,
  idle: null,
  canGoBack: false,
  canCancel: false,
};

/** Every method refuses as out of service, except the agent-flow ones a test gives a body. */
function fakeHandlers(override: Partial<KioskHandlers> = {}): KioskHandlers {
  return { ...outOfServiceHandlers('disk_full'), start: async () => welcome, next: async () => welcome, ...override };
}

function fakeIpcMain() {
  const registered = new Map<string, (event: SenderEventLike, input: unknown) => Promise<unknown>>();
  return {
    registered,
    handle: (channel: string, listener: (event: SenderEventLike, input: unknown) => Promise<unknown>) => {
      registered.set(channel, listener);
    },
    removeHandler: (channel: string) => {
      registered.delete(channel);
    },
  };
}

function setUp(handlers = fakeHandlers(), window: WindowLike | null = fakeWindow()) {
  const ipcMain = fakeIpcMain();
  const log = vi.fn();
  const onInternalError = vi.fn();
  const unregister = registerIpc({ ipcMain, handlers, getWindow: () => window, log, onInternalError });
  const call = (method: string, input: unknown, event = eventFrom({})) => {
    const listener = ipcMain.registered.get(`kiosk:${method}`);
    if (!listener) throw new Error(`no handler for ${method}`);
    return listener(event, input);
  };
  return { ipcMain, log, onInternalError, unregister, call };
}

describe('isTrustedSender', () => {
  it("trusts the kiosk window's main frame showing the app", () => {
    expect(isTrustedSender(eventFrom({}), fakeWindow())).toBe(true);
  });

  it('refuses another web contents', () => {
    expect(isTrustedSender(eventFrom({}, 99), fakeWindow())).toBe(false);
  });

  it('refuses a sub-frame of the kiosk window', () => {
    expect(isTrustedSender(eventFrom({ parent: mainFrame, routingId: 2 }), fakeWindow())).toBe(false);
    expect(isTrustedSender(eventFrom({ routingId: 2 }), fakeWindow())).toBe(false);
  });

  it('refuses a frame showing anything but the app', () => {
    expect(isTrustedSender(eventFrom({ url: 'https://evil.example/' }), fakeWindow())).toBe(false);
  });

  it('refuses a frame that is gone, and any sender when there is no window', () => {
    expect(isTrustedSender(eventFrom(null), fakeWindow())).toBe(false);
    expect(isTrustedSender(eventFrom({}), null)).toBe(false);
    expect(isTrustedSender(eventFrom({}), fakeWindow(true))).toBe(false);
  });
});

describe('registerIpc', () => {
  it('registers one kiosk:<method> channel per contract method, and nothing else', () => {
    const { ipcMain } = setUp();
    expect([...ipcMain.registered.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `kiosk:${m}`).sort());
  });

  it('answers the trusted window with the envelope', async () => {
    const { call } = setUp();
    await expect(call('start', { language: 'fr' })).resolves.toEqual({ ok: true, value: welcome });
  });

  it('refuses a foreign sender without reaching the engine, and logs it', async () => {
    const start = vi.fn(async () => welcome);
    const { call, log } = setUp(fakeHandlers({ start }));
    const result = await call('start', { language: 'fr' }, eventFrom({ url: 'https://evil.example/' }, 99));
    expect(result).toEqual({ ok: false, error: { code: 'not_authorised', params: {} } });
    expect(start).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('ipc-sender-refused', { method: 'start', url: 'https://evil.example/' });
  });

  it('refuses a malformed payload with invalid_input, without reaching the engine', async () => {
    const start = vi.fn(async () => welcome);
    const { call } = setUp(fakeHandlers({ start }));
    await expect(call('start', { language: 'de' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(call('start', { language: 'fr', extra: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(call('start', 'not an object')).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(start).not.toHaveBeenCalled();
  });

  it('passes an engine refusal through as its code', async () => {
    const { call } = setUp(fakeHandlers({ next: async () => Promise.reject(new KioskError('not_allowed_in_step')) }));
    await expect(call('next', {})).resolves.toEqual({ ok: false, error: { code: 'not_allowed_in_step', params: {} } });
  });

  it('never throws across IPC: an unexpected error becomes internal and is reported', async () => {
    const { call, onInternalError } = setUp(fakeHandlers({ next: async () => Promise.reject(new Error('disk on fire')) }));
    await expect(call('next', {})).resolves.toEqual({ ok: false, error: { code: 'internal', params: {} } });
    expect(onInternalError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk on fire' }));
  });

  it('removes every channel it registered', () => {
    const { ipcMain, unregister } = setUp();
    unregister();
    expect(ipcMain.registered.size).toBe(0);
  });
});

describe('outOfServiceHandlers', () => {
  it('answers every method with out_of_service when the engine could not open', async () => {
    const { call } = setUp(outOfServiceHandlers('disk_full'));
    for (const method of METHOD_NAMES) {
      const input = method === 'start' ? { language: 'fr' } : {};
      const result = (await call(method, input)) as { ok: boolean; error?: { code: string } };
      if (result.ok === false && result.error?.code === 'invalid_input') continue;
      expect(result, method).toEqual({ ok: false, error: { code: 'out_of_service', params: { reason: 'disk_full' } } });
    }
  });
});
