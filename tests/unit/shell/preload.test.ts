// The preload, run against a fake 'electron': it exposes exactly the contract's methods, each an invoke on its channel.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../../shared/methods';

// The real 'electron' package would look for (or fetch) the binary: the preload gets a recording fake.
const bridge = vi.hoisted(() => ({
  exposed: [] as { key: string; api: unknown }[],
  invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.push({ key, api }),
  },
  ipcRenderer: {
    invoke: bridge.invoke,
    send: () => {
      throw new Error('the preload must not send');
    },
    on: () => {
      throw new Error('the preload must not listen');
    },
  },
}));

let api: Record<string, unknown>;

beforeAll(async () => {
  await import('../../../electron/shell/preload');
  api = (bridge.exposed[0]?.api ?? {}) as Record<string, unknown>;
});

describe('preload', () => {
  it('exposes one object, window.kiosk, once', () => {
    expect(bridge.exposed.map((e) => e.key)).toEqual(['kiosk']);
  });

  it("exposes exactly the contract's methods, all functions, and nothing else", () => {
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
    for (const name of METHOD_NAMES) expect(typeof api[name], name).toBe('function');
    const values = Object.values(api);
    expect(values).not.toContain(bridge.invoke);
    expect(Object.keys(api)).not.toEqual(expect.arrayContaining(['invoke', 'send', 'on', 'ipcRenderer']));
  });

  it('forwards each call as an invoke on kiosk:<method> with only its one argument', async () => {
    for (const name of METHOD_NAMES) {
      bridge.invoke.mockClear();
      const fn = api[name] as (...args: unknown[]) => Promise<unknown>;
      const result = await fn({ probe: name }, 'smuggled', () => 'callback');
      expect(bridge.invoke).toHaveBeenCalledTimes(1);
      expect(bridge.invoke).toHaveBeenCalledWith(`kiosk:${name}`, { probe: name });
      expect(result).toEqual({ ok: true, value: { channel: `kiosk:${name}`, input: { probe: name } } });
    }
  });
});
