// Retention is enforced by the station itself: at start and every hour while it runs, logged, shown on the dashboard.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RETENTION_INTERVAL_MS } from '../../../electron/engine/supervisor/retention';
import { openLog } from '../../../electron/store/open';
import { confirmClockTime } from '../../../electron/store/station';
import { fakeClock, openTestKiosk, query, T0, type TestKiosk } from '../engine/harness';
import { enrol } from '../engine/flow';
import { setUpAndOpen, sup } from './harness';

const DAY = 86_400_000;
const JEANNE = 'jeanne.martin@agriculture.gouv.fr';
let k: TestKiosk;
afterEach(() => k.close());

type PurgeDetails = { trigger: string; sessions: number; agents: number; events: number; retentionDays: number };

function purges(t: TestKiosk): PurgeDetails[] {
  return query<{ details: string }>(t.dataDir, "SELECT details FROM events WHERE type = 'retention_purge' ORDER BY id").map(
    (r) => JSON.parse(r.details) as PurgeDetails,
  );
}

const agents = (t: TestKiosk) => query<{ email: string }>(t.dataDir, 'SELECT email FROM agents').map((r) => r.email);

/** A purge runs in a worker: waits until the one the clock's last hour asked for is logged (30 s at most). */
async function caughtUp(t: TestKiosk): Promise<void> {
  const lastAt = () => query<{ at: number }>(t.dataDir, "SELECT at FROM events WHERE type = 'retention_purge' ORDER BY id DESC LIMIT 1")[0]?.at;
  await vi.waitFor(() => expect(lastAt()).toBe(t.clock.now()), { timeout: 30_000, interval: 20 });
}

describe('retention enforced by the station', () => {
  it('purges an agent and their sessions within the hour they pass the retention period, with nobody pressing anything', async () => {
    k = await openTestKiosk();
    await caughtUp(k);
    await enrol(k, JEANNE);
    await k.call('cancel');
    expect(purges(k).map((p) => p.trigger)).toEqual(['start']);

    // 180 days less an hour: still kept, whatever the hourly checks in between.
    k.clock.advance(180 * DAY - RETENTION_INTERVAL_MS);
    await caughtUp(k);
    expect(agents(k)).toEqual([JEANNE]);
    // The next hourly check after the 180th day has gone by removes her.
    k.clock.advance(DAY + RETENTION_INTERVAL_MS);
    await caughtUp(k);
    expect(agents(k)).toEqual([]);
    expect(query(k.dataDir, 'SELECT id FROM sessions')).toEqual([]);
    expect(query(k.dataDir, 'SELECT id FROM devices')).toEqual([]);
    const last = purges(k).at(-1);
    expect(last).toMatchObject({ trigger: 'hourly', sessions: 1, agents: 1, retentionDays: 180 });
    expect(last?.events).toBeGreaterThan(0);

    await setUpAndOpen(k);
    const dashboard = await sup(k, 'getDashboard', { range: 'today' });
    expect(dashboard.housekeeping.lastPurge).toMatchObject({ at: k.clock.now(), trigger: 'hourly', sessions: 1, agents: 1 });
  });

  it('runs a check every hour, and the dashboard says when the last one ran and that it removed nothing', async () => {
    k = await openTestKiosk();
    await caughtUp(k);
    for (let hour = 0; hour < 3; hour += 1) {
      k.clock.advance(RETENTION_INTERVAL_MS);
      await caughtUp(k);
    }
    expect(purges(k).map((p) => p.trigger)).toEqual(['start', 'hourly', 'hourly', 'hourly']);
    await setUpAndOpen(k);
    expect((await sup(k, 'getDashboard', { range: 'all' })).housekeeping.lastPurge).toEqual({
      at: T0 + 3 * RETENTION_INTERVAL_MS,
      trigger: 'hourly',
      retentionDays: 180,
      sessions: 0,
      agents: 0,
      events: 0,
    });
  });

  it('purges what expired while the station was off once a supervisor has confirmed the clock, never on its word alone', async () => {
    const first = await openTestKiosk();
    await enrol(first, JEANNE);
    await first.call('cancel');
    first.close(true);
    expect(first.clock.pending()).toBe(0);

    // Switched off for 200 days (or a clock set 200 days ahead: at start the two look alike). No timer ran meanwhile.
    const clock = fakeClock(T0 + 200 * DAY);
    k = await openTestKiosk(first.dataDir, clock);
    expect(agents(k)).toEqual([JEANNE]);
    // The supervisor confirms the time: the next purge applies the retention.
    const { db } = openLog(join(k.dataDir, 'kiosk.db'));
    confirmClockTime(db, clock.now());
    db.close();
    clock.advance(RETENTION_INTERVAL_MS);
    await caughtUp(k);
    expect(agents(k)).toEqual([]);
    expect(purges(k).at(-1)).toMatchObject({ trigger: 'hourly', agents: 1, sessions: 1 });
  });

  it('follows the retention the supervisor set', async () => {
    k = await openTestKiosk();
    await enrol(k, JEANNE);
    await k.call('cancel');
    await setUpAndOpen(k);
    await sup(k, 'updateSettings', { retentionDays: 30 });
    k.clock.advance(31 * DAY);
    await caughtUp(k);
    expect(agents(k)).toEqual([]);
    expect(purges(k).at(-1)).toMatchObject({ trigger: 'hourly', retentionDays: 30, agents: 1 });
  });

  it('does not keep the process alive: a kiosk process with nothing else to do exits', () => {
    // The real clock's hourly timer is unref'd: a shell that stops its server and closes nothing else still exits.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "import('./electron/engine/clock.ts').then((m) => m.systemClock.after(3_600_000, () => {}))"],
      { timeout: 15_000, encoding: 'utf8' },
    );
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
  });
});
