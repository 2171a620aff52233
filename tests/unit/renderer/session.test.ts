// The session store: the engine's snapshot replaces ours, a refusal is kept and the snapshot fetched again, a reset forgets all.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/contract';
import type { KioskErrorShape } from '../../../shared/errors';
import { METHOD_NAMES } from '../../../shared/methods';

type Reply = Result<Record<string, unknown>>;
type Handler = (input: unknown) => Promise<Reply>;

/** Plays the Electron preload's `window.kiosk`: one function per method, answers set by each test. */
const calls: string[] = [];
const handlers = new Map<string, Handler>();
const snapshot = (step: string, extra: Record<string, unknown> = {}) => ({
  station: { name: 'PIF', mode: 'enrolment', language: 'fr', status: 'ready', idleSeconds: 120, keyboard: true, allowedDomains: [] },
  now: 1_000_000,
  canGoBack: false,
  canCancel: step !== 'welcome',
  step,
  ...extra,
});
const ok = (value: Record<string, unknown>): Reply => ({ ok: true, value });
const refused = (error: KioskErrorShape): Reply => ({ ok: false, error });

Object.assign(globalThis, {
  window: {
    kiosk: Object.fromEntries(
      METHOD_NAMES.map((method) => [
        method,
        (input: unknown) => {
          calls.push(method);
          return (handlers.get(method) ?? (async () => ok(snapshot('welcome'))))(input);
        },
      ]),
    ),
  },
});

interface SessionStore {
  snapshot: { step: string; returning?: unknown } | null;
  error: KioskErrorShape | null;
  clockOffset: number;
  send: (method: string, input: unknown) => Promise<boolean>;
  end: (method: 'timeout' | 'cancel') => Promise<void>;
  refresh: () => Promise<boolean>;
  startPage: () => Promise<boolean>;
  stillHere: (now?: boolean) => Promise<void>;
}
/** Browser code outside the Node tests' TypeScript project: loaded by path, with the few types used here. */
const STORE_PATH = '../../../renderer/src/stores/session.ts';
const CLIENT_PATH = '../../../renderer/src/client.ts';
const { useSessionStore } = (await import(/* @vite-ignore */ STORE_PATH)) as { useSessionStore: () => SessionStore };

beforeEach(() => {
  setActivePinia(createPinia());
  calls.length = 0;
  handlers.clear();
});

describe('session store', () => {
  it('takes the engine snapshot of a successful intent and the offset of the station clock', async () => {
    handlers.set('start', async () => ok(snapshot('identify', { returning: null, now: Date.now() + 60_000 })));
    const session = useSessionStore();
    expect(await session.send('start', { language: 'en' })).toBe(true);
    expect(session.snapshot?.step).toBe('identify');
    expect(session.clockOffset).toBeGreaterThan(59_000);
    expect(session.error).toBeNull();
  });

  it('keeps a refusal for the screen and asks the engine where the session is now', async () => {
    handlers.set('confirmDevice', async () => refused({ code: 'device_locked', params: {} }));
    handlers.set('getSnapshot', async () => ok(snapshot('welcome')));
    const session = useSessionStore();
    expect(await session.send('confirmDevice', { pin: '1111', code: '000000' })).toBe(false);
    expect(session.error).toEqual({ code: 'device_locked', params: {} });
    expect(calls).toEqual(['confirmDevice', 'getSnapshot']);
    expect(session.snapshot?.step).toBe('welcome');
  });

  it('sends one intent at a time: a second tap while the first is on its way is ignored', async () => {
    let release: (reply: Reply) => void = () => {};
    handlers.set('next', () => new Promise<Reply>((resolve) => (release = resolve)));
    const session = useSessionStore();
    const first = session.send('next', {});
    expect(await session.send('next', {})).toBe(false);
    release(ok(snapshot('add-device', { email: 'a@b.fr' })));
    expect(await first).toBe(true);
    expect(calls).toEqual(['next']);
  });

  it('forgets the agent at once on a timeout, and drops an answer that arrives for the previous agent', async () => {
    let release: (reply: Reply) => void = () => {};
    handlers.set('getSnapshot', async () => ok(snapshot('scan-qr', { qrSvg: '<svg/>', secretGroups: ['ABCD'] })));
    const session = useSessionStore();
    await session.refresh();
    handlers.set('revealSecret', () => new Promise<Reply>((resolve) => (release = resolve)));
    const late = session.send('revealSecret', {});
    handlers.set('timeout', async () => ok(snapshot('welcome')));
    const ending = session.end('timeout');
    expect(session.snapshot).toBeNull();
    await ending;
    release(ok(snapshot('scan-qr', { qrSvg: '<svg/>', secretGroups: ['WXYZ'] })));
    expect(await late).toBe(false);
    expect(session.snapshot?.step).toBe('welcome');
    expect(JSON.stringify(session.snapshot)).not.toContain('WXYZ');
  });

  it('on a page load asks the engine to start the page, which answers welcome whatever was open', async () => {
    handlers.set('startPage', async () => ok(snapshot('welcome')));
    const session = useSessionStore();
    await session.startPage();
    expect(calls).toEqual(['startPage']);
    expect(session.snapshot?.step).toBe('welcome');
  });

  it("forwards the agent's input as stillHere at most every few seconds, taking only the engine's new deadline", async () => {
    const idle = (warnsAt: number) => ({ warnsAt, endsAt: warnsAt + 20_000 });
    handlers.set('getSnapshot', async () => ok(snapshot('add-device', { email: 'a@b.fr', idle: idle(1) })));
    const session = useSessionStore();
    await session.refresh();
    handlers.set('stillHere', async () => ok(snapshot('add-device', { email: 'other@b.fr', idle: idle(2) })));
    await session.stillHere();
    await session.stillHere();
    expect(calls.filter((c) => c === 'stillHere')).toHaveLength(1);
    expect(session.snapshot).toMatchObject({ email: 'a@b.fr', idle: idle(2) });
    // While "Still there?" shows, at once.
    await session.stillHere(true);
    expect(calls.filter((c) => c === 'stillHere')).toHaveLength(2);
  });

  it('takes the whole new state when the engine has moved meanwhile (it ended the idle session)', async () => {
    handlers.set('getSnapshot', async () => ok(snapshot('prepare-phone', { idle: { warnsAt: 1, endsAt: 2 } })));
    const session = useSessionStore();
    await session.refresh();
    handlers.set('stillHere', async () => ok(snapshot('welcome', { idle: null })));
    handlers.set('getSnapshot', async () => ok(snapshot('welcome', { idle: null })));
    await session.stillHere(true);
    expect(session.snapshot?.step).toBe('welcome');
  });

  it('shows out of service at once when Start is refused for the station, even though a read still answers welcome', async () => {
    const full = { code: 'out_of_service', params: { reason: 'disk_full' } } as const;
    handlers.set('start', async () => refused(full));
    // The read that used to wipe the refusal: the disk is full, yet getSnapshot still reads welcome.
    handlers.set('getSnapshot', async () => ok(snapshot('welcome')));
    const session = useSessionStore();
    await session.startPage();
    expect(await session.send('start', { language: 'fr' })).toBe(false);
    expect(session.error).toEqual(full);
    expect(session.snapshot).toBeNull();
  });

  it('shows out of service from any step, and on a refused stillHere too', async () => {
    handlers.set('next', async () => refused({ code: 'out_of_service', params: { reason: 'log_replaced' } }));
    const session = useSessionStore();
    handlers.set('start', async () => ok(snapshot('identify', { returning: null, idle: { warnsAt: 1, endsAt: 2 } })));
    await session.send('start', { language: 'fr' });
    expect(await session.send('next', {})).toBe(false);
    expect(session.error?.params.reason).toBe('log_replaced');
    expect(session.snapshot).toBeNull();

    setActivePinia(createPinia());
    const other = useSessionStore();
    await other.send('start', { language: 'fr' });
    handlers.set('stillHere', async () => refused({ code: 'out_of_service', params: { reason: 'disk_full' } }));
    await other.stillHere(true);
    expect(other.error?.params.reason).toBe('disk_full');
    expect(other.snapshot).toBeNull();
  });

  it('comes back by itself once the engine answers again, without anyone pressing a button', async () => {
    vi.useFakeTimers();
    try {
      let full = true;
      handlers.set('start', async () => refused({ code: 'out_of_service', params: { reason: 'disk_full' } }));
      handlers.set('getSnapshot', async () => (full ? refused({ code: 'out_of_service', params: { reason: 'disk_full' } }) : ok(snapshot('welcome'))));
      const session = useSessionStore();
      await session.send('start', { language: 'fr' });
      await vi.advanceTimersByTimeAsync(3_000);
      expect(session.error?.code).toBe('out_of_service');
      full = false;
      await vi.advanceTimersByTimeAsync(3_000);
      expect(session.error).toBeNull();
      expect(session.snapshot?.step).toBe('welcome');
      // Back in service: no more asking.
      const asked = calls.filter((c) => c === 'getSnapshot').length;
      await vi.advanceTimersByTimeAsync(30_000);
      expect(calls.filter((c) => c === 'getSnapshot')).toHaveLength(asked);
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows out of service when any other call meets it, the supervisor console's included", async () => {
    const session = useSessionStore();
    await session.startPage();
    expect(session.snapshot?.step).toBe('welcome');
    handlers.set('getDashboard', async () => refused({ code: 'out_of_service', params: { reason: 'log_replaced' } }));
    const client = (await import(/* @vite-ignore */ CLIENT_PATH)) as { kioskClient: () => Record<string, (input: unknown) => Promise<unknown>> };
    await client.kioskClient().getDashboard?.({ range: 'today' });
    expect(session.error?.params.reason).toBe('log_replaced');
    expect(session.snapshot).toBeNull();
  });
});
