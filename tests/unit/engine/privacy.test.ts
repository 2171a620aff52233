// The engine owns the session's privacy: it ends an idle session itself, and a page load never sees a session it did not start.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeFor, enrol, testWithPin } from './flow';
import { at, EMAIL, fakeClock, openTestKiosk, query, setSettings, T0, type FakeClock, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

const outcomes = (t: TestKiosk) => query<{ outcome: string | null }>(t.dataDir, 'SELECT outcome FROM sessions ORDER BY id').map((r) => r.outcome);

/** A clock whose timers never run: the moment after a machine wakes from sleep, before any timer has fired. */
function clockWithoutTimers(): FakeClock {
  return { ...fakeClock(), after: () => () => {} };
}

async function atPreparePhone(clock: FakeClock = fakeClock()): Promise<void> {
  k = await openTestKiosk(undefined, clock);
  await k.call('start', { language: 'fr' });
  at(await k.call('identify', { email: EMAIL }), 'prepare-phone');
}

/** On add-device, a step with the station's own idle delay (prepare-phone has a longer one, for installing the app). */
async function atAddDevice(clock: FakeClock = fakeClock()): Promise<void> {
  await atPreparePhone(clock);
  at(await k.call('next'), 'add-device');
}

describe('idle expiry, enforced by the engine', () => {
  it('ends an idle session as timed_out with no renderer at all, 120 s + 20 s after the last input', async () => {
    await atAddDevice();
    // Nothing calls the engine from here on: no screen, no countdown, only time going by.
    k.clock.advance(139_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes(k)).toEqual([null]);
    k.clock.advance(1);
    await vi.waitFor(() => expect(outcomes(k)).toEqual(['timed_out']));
    const ended = query<{ step: string; details: string }>(k.dataDir, "SELECT step, details FROM events WHERE type = 'session_ended'");
    // The closing event carries the session's figures too (store/sessions sessionEndDetails): the chain covers them.
    expect(ended.map((e) => ({ step: e.step, outcome: (JSON.parse(e.details) as { outcome: string }).outcome }))).toEqual([
      { step: 'add-device', outcome: 'timed_out' },
    ]);
    // What a screen then gets is the welcome, with nothing of the agent.
    const welcome = at(await k.call('getSnapshot'), 'welcome');
    expect(JSON.stringify(welcome)).not.toContain(EMAIL);
  });

  it('gives the screen its deadline: "Still there?" at 120 s, the end at 140 s, moved by each input', async () => {
    await atAddDevice();
    expect((await k.call('getSnapshot')).idle).toEqual({ warnsAt: T0 + 120_000, endsAt: T0 + 140_000 });
    k.clock.advance(50_000);
    // Reading the snapshot is not input: a screen refreshing itself keeps no one's session alive.
    expect((await k.call('getSnapshot')).idle).toEqual({ warnsAt: T0 + 120_000, endsAt: T0 + 140_000 });
    // A key pressed on a screen with nothing to send: the renderer forwards it.
    expect((await k.call('stillHere')).idle).toEqual({ warnsAt: T0 + 170_000, endsAt: T0 + 190_000 });
    k.clock.advance(30_000);
    // A refused intent is input too: the agent is there, typing.
    await k.refused('revealSecret');
    expect((await k.call('getSnapshot')).idle).toEqual({ warnsAt: T0 + 200_000, endsAt: T0 + 220_000 });
    k.clock.advance(139_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes(k)).toEqual([null]);
    k.clock.advance(1_000);
    await vi.waitFor(() => expect(outcomes(k)).toEqual(['timed_out']));
    expect((await k.call('getSnapshot')).idle).toBeNull();
  });

  it('gives prepare-phone the time an app install takes: "Still there?" after 10 minutes there, not 2', async () => {
    await atPreparePhone();
    expect((await k.call('getSnapshot')).idle).toEqual({ warnsAt: T0 + 600_000, endsAt: T0 + 620_000 });
    k.clock.advance(200_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes(k)).toEqual([null]);
    // Back on a step with the station's delay, the usual 120 s count again from the last input.
    at(await k.call('next'), 'add-device');
    expect((await k.call('getSnapshot')).idle).toEqual({ warnsAt: T0 + 320_000, endsAt: T0 + 340_000 });
  });

  it("follows the supervisor's idle delay", async () => {
    k = await openTestKiosk();
    setSettings(k.dataDir, { idleSeconds: 60 });
    await k.call('start', { language: 'fr' });
    expect((await k.call('getSnapshot')).idle).toEqual({ warnsAt: T0 + 60_000, endsAt: T0 + 80_000 });
    k.clock.advance(80_000);
    await vi.waitFor(() => expect(outcomes(k)).toEqual(['timed_out']));
  });

  it('keeps a session the agent is active in, however long', async () => {
    await atPreparePhone();
    await activeFor(k, 15 * 60_000);
    at(await k.call('next'), 'add-device');
    expect(outcomes(k)).toEqual([null]);
  });

  it('an input arriving after the deadline finds the session already ended', async () => {
    // The timer has not run yet (a machine waking from sleep): the intent itself ends the session first.
    await atAddDevice(clockWithoutTimers());
    k.clock.advance(140_000);
    expect((await k.refused('next')).code).toBe('no_session');
    expect(outcomes(k)).toEqual(['timed_out']);
  });

  it("counts an idle end on done as completed, and the screen's own timeout after the engine's is no error", async () => {
    k = await openTestKiosk();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    k.clock.advance(140_000);
    await vi.waitFor(() => expect(outcomes(k)).toEqual(['completed']));
    at(await k.call('timeout'), 'welcome');
    expect(outcomes(k)).toEqual(['completed']);
  });

  it('leaves no timer behind when the kiosk closes', async () => {
    await atPreparePhone();
    expect(k.clock.pending()).toBeGreaterThan(0);
    const clock = k.clock;
    k.close(true);
    expect(clock.pending()).toBe(0);
    k = await openTestKiosk(k.dataDir, clock);
  });
});

describe('a page load starts from welcome', () => {
  it('ends the open session as abandoned and answers welcome, with nothing of the agent', async () => {
    await atPreparePhone();
    await k.call('next');
    const page = at(await k.call('startPage'), 'welcome');
    expect(JSON.stringify(page)).not.toContain(EMAIL);
    expect(page.idle).toBeNull();
    expect(outcomes(k)).toEqual(['abandoned']);
    expect(query(k.dataDir, "SELECT step FROM events WHERE type = 'page_loaded'")).toEqual([{ step: 'add-device' }]);
    // And the abandoned session takes no intent any more.
    expect((await k.refused('addDevice', { deviceName: 'phone-1', pin: '2580', pinConfirm: '2580' })).code).toBe('no_session');
  });

  it('counts a session already past its idle deadline as timed out, not as left by the page', async () => {
    await atAddDevice(clockWithoutTimers());
    k.clock.advance(140_000);
    at(await k.call('startPage'), 'welcome');
    expect(outcomes(k)).toEqual(['timed_out']);
  });

  it('changes nothing when no session is open', async () => {
    k = await openTestKiosk();
    at(await k.call('startPage'), 'welcome');
    expect(outcomes(k)).toEqual([]);
    expect(query(k.dataDir, "SELECT id FROM events WHERE type = 'page_loaded'")).toEqual([]);
  });

  it('counts a reload on done as completed: the test had passed', async () => {
    k = await openTestKiosk();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    at(await k.call('startPage'), 'welcome');
    expect(outcomes(k)).toEqual(['completed']);
  });
});
