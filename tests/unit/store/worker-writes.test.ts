// The kiosk's thread writes while a worker's purge commits its steps: its transactions wait for the lock, never refused for reading a snapshot the worker moved on from.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLog } from '../../../electron/store/open';
import { createEngineLog } from '../../../electron/store/port';
import { openStation } from '../../../electron/store/station';
import { createSupervisorLog } from '../../../electron/store/supervisor-log';
import { fillDayLog } from '../../bench/day-log';

const DAY = 86_400_000;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Holds the thread as a long transaction would, so that a worker's step commits in the middle of it. */
function hold(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('the kiosk thread beside a purging worker', () => {
  it("commits a transaction that read before the worker's step and writes after it", async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-worker-writes-'));
    const { db } = openLog(join(dir, 'kiosk.db'));
    const old = Date.now() - 250 * DAY;
    const identity = openStation(db, randomBytes(32), old);
    // 250 days old (the log spans 21): the purge has 15 steps of events to delete, each committed on its own.
    fillDayLog(db, identity, 300_000, old);
    const supervisor = createSupervisorLog(db, identity);
    const engine = createEngineLog(db, identity);
    let steps = 0;
    const purge = supervisor.purge(Date.now(), 'supervisor', () => (steps += 1));
    const written: string[] = [];
    try {
      // While the steps commit: read, hold the thread past a step, then write, through both ports.
      for (let i = 0; steps < 10 && i < 200; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        supervisor.transaction(() => {
          const before = supervisor.settings().stationName;
          hold(40);
          supervisor.writeSettings({ stationName: `${before.slice(0, 10)} ${i}` });
        });
        engine.transaction(() => {
          engine.settings();
          hold(40);
          engine.append({ sessionId: null, at: Date.now(), step: null, type: 'settings_changed', details: { keys: 'stationName' } });
        });
        written.push(supervisor.settings().stationName);
      }
      const counts = await purge.answer;
      expect(counts.events).toBeGreaterThanOrEqual(300_000);
    } finally {
      await supervisor.close();
      db.close();
    }
    expect(steps).toBeGreaterThanOrEqual(10);
    expect(written.length).toBeGreaterThan(3);
  }, 120_000);
});
