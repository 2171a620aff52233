// A wrong station clock is noticed, not obeyed: jumps are logged, the purge waits for a supervisor, sessions run on the monotonic clock.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { sessionClock, systemClock } from '../../../electron/engine/clock';
import { totp } from '../../../electron/engine/totp';
import { RETENTION_INTERVAL_MS } from '../../../electron/engine/supervisor/retention';
import { verifyLog } from '../../../electron/store/verify';
import { openLog } from '../../../electron/store/open';
import { at, completeSetup, EMAIL, fakeClock, openTestKiosk, PIN_OK, query, T0, tempFolderPerTest, type FakeClock, type TestKiosk } from '../engine/harness';
import { toScanQr } from '../engine/flow';
import { PASSPHRASE, sup } from '../supervisor/harness';

const folder = tempFolderPerTest();
const DAY = 86_400_000;

interface StationClock extends FakeClock {
  monotonic(): number;
  /** Someone (or a bad NTP answer) moves the station's wall clock; real time goes on at its pace. */
  jump(ms: number): void;
  /** The real time: what the agent's phone shows. */
  real(): number;
}

/** The engine's clock port driven both ways: `advance` is time passing (both clocks), `jump` moves the wall clock alone. */
function stationClock(start = T0): StationClock {
  const real = fakeClock(start);
  let offset = 0;
  return {
    ...real,
    now: () => real.now() + offset,
    monotonic: () => real.now(),
    jump: (ms) => {
      offset += ms;
    },
    real: () => real.now(),
  };
}

/** The code the agent's phone shows: on real time, whatever the station's clock says. */
const phoneCode = (clock: StationClock, secret: string) => totp(secret, Math.floor(clock.real() / 1000));

async function station(clock: StationClock): Promise<TestKiosk> {
  const dir = folder();
  const k = await openTestKiosk(dir, clock);
  await completeSetup(k.kiosk);
  return k;
}

function chainVerifies(dir: string): boolean {
  const copy = folder();
  for (const name of ['kiosk.db', 'kiosk.db-wal']) if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(copy, name));
  const { db } = openLog(join(copy, 'kiosk.db'));
  try {
    return verifyLog(db).problem === null;
  } finally {
    db.close();
  }
}

const count = (dir: string, table: 'sessions' | 'events') => query<{ n: number }>(dir, `SELECT count(*) AS n FROM ${table}`)[0]?.n ?? 0;

describe('a wrong station clock', () => {
  it('200 days ahead at start: logged, and the start-up purge erases nothing until a supervisor confirms the time', async () => {
    const clock = stationClock();
    const k = await station(clock);
    for (let i = 0; i < 3; i += 1) {
      await k.call('start', { language: 'fr' });
      await k.call('cancel', {});
    }
    k.close(true);
    const sessions = count(k.dataDir, 'sessions');
    const wrong = stationClock(T0 + 200 * DAY);
    const restarted = await openTestKiosk(k.dataDir, wrong);
    // Before: 58 sessions and 28,468 events erased by this very start. Now every one is still there.
    expect(count(k.dataDir, 'sessions')).toBe(sessions);
    const jumps = query<{ type: string; details: string }>(k.dataDir, "SELECT type, details FROM events WHERE type LIKE 'clock_jumped%'");
    expect(jumps).toEqual([{ type: 'clock_jumped_forward', details: JSON.stringify({ seconds: 200 * 86_400 }) }]);
    // The hourly purge holds too.
    wrong.advance(RETENTION_INTERVAL_MS);
    expect(count(k.dataDir, 'sessions')).toBe(sessions);
    // The console shows the jump; the supervisor confirms the time (it really is 200 days later) and the next
    // hourly purge applies the retention. The console is the only door: an agent's call cannot confirm it.
    await expect(restarted.call('confirmClock', {})).rejects.toThrow(/not_authorised/);
    await sup(restarted, 'openConsole', { passphrase: PASSPHRASE });
    expect(await sup(restarted, 'getClockStatus')).toMatchObject({ jump: { direction: 'forward', seconds: 200 * 86_400 } });
    await sup(restarted, 'confirmClock');
    expect(await sup(restarted, 'getClockStatus')).toMatchObject({ jump: null });
    wrong.advance(RETENTION_INTERVAL_MS);
    // The purge runs in a worker: it is over within seconds.
    await vi.waitFor(() => expect(count(k.dataDir, 'sessions')).toBe(0), { timeout: 30_000, interval: 20 });
    restarted.close(true);
    expect(chainVerifies(k.dataDir)).toBe(true);
  });

  it("set back an hour mid-session: the phone's correct code is accepted and the session's duration stays true", async () => {
    const clock = stationClock();
    const k = await station(clock);
    const secret = await toScanQr(k, EMAIL, 'phone-1', PIN_OK);
    clock.advance(20_000);
    clock.jump(-3_600_000);
    at(await k.call('next'), 'confirm-device');
    // Before: refused as code_wrong, using up an attempt.
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(clock, secret) }), 'registered');
    clock.advance(10_000);
    await k.call('cancel', {});
    const [row] = query<{ duration_ms: number }>(k.dataDir, 'SELECT duration_ms FROM sessions ORDER BY id DESC LIMIT 1');
    // Before: -3,599,399 ms. The monotonic clock measured the 30 s the agent really spent.
    expect(row?.duration_ms).toBeGreaterThanOrEqual(30_000);
    expect(row?.duration_ms).toBeLessThan(60_000);
    expect(query(k.dataDir, "SELECT type FROM events WHERE type = 'clock_jumped_back'")).toHaveLength(1);
    k.close(true);
    expect(chainVerifies(k.dataDir)).toBe(true);
  });

  it('a jump back mid-session is logged once, not again when the next session starts behind the last one', async () => {
    const clock = stationClock();
    const k = await station(clock);
    await toScanQr(k);
    clock.advance(20_000);
    clock.jump(-3_600_000);
    at(await k.call('next'), 'confirm-device');
    clock.advance(10_000);
    await k.call('cancel', {});
    // The ended session's events carry its own clock, an hour ahead of the wall clock the next session starts on.
    clock.advance(10_000);
    await k.call('start', { language: 'fr' });
    await k.call('cancel', {});
    const jumps = query<{ details: string }>(k.dataDir, "SELECT details FROM events WHERE type = 'clock_jumped_back'");
    expect(jumps).toEqual([{ details: JSON.stringify({ seconds: 3600 }) }]);
    k.close(true);
  });

  it('set forward a day mid-session: the open session goes on instead of ending at once as timed out', async () => {
    const clock = stationClock();
    const k = await station(clock);
    await toScanQr(k);
    clock.jump(DAY + 60_000);
    clock.advance(5_000);
    // Before: the next call found the session timed out and answered welcome.
    at(await k.call('next'), 'confirm-device');
    expect(query(k.dataDir, "SELECT type FROM events WHERE type = 'clock_jumped_forward'")).toHaveLength(1);
    k.close(true);
  });

  it("while a jump is unconfirmed, a refused code tells the agent the station's clock is the likely cause", async () => {
    const clock = stationClock();
    const k = await station(clock);
    await toScanQr(k);
    at(await k.call('next'), 'confirm-device');
    clock.jump(-7_200_000);
    const refusal = await k.refused('confirmDevice', { pin: PIN_OK, code: '000000' });
    expect(refusal).toMatchObject({ code: 'code_wrong', params: { stationClock: 'suspect' } });
    k.close(true);
  });

  it('a clock that only moves at the pace of time is never reported', async () => {
    const clock = stationClock();
    const k = await station(clock);
    await toScanQr(k);
    clock.advance(50_000);
    at(await k.call('next'), 'confirm-device');
    expect(query(k.dataDir, "SELECT type FROM events WHERE type LIKE 'clock_%'")).toHaveLength(0);
    k.close(true);
  });

  it("the session clock reads whole milliseconds on the system's monotonic clock, as the log's INTEGER columns need", () => {
    const clock = sessionClock(systemClock);
    for (let i = 0; i < 50; i += 1) expect(Number.isInteger(clock.now())).toBe(true);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1000);
  });
});
