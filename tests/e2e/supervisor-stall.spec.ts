// The kiosk keeps answering while the supervisor's work runs: a cheap call timed every 50 ms through a verify, an import, dashboards, an export and a purge.
// Its own Playwright project (stall), run once the other specs are done, so that no other Chromium shares the two cores.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { IDENTITY_KEY_FILE_NAME } from '../../electron/engine/key-store';
import { openStationLog, recordedIdentity } from '../../electron/store/admin-log';
import { writeBundle } from '../../electron/store/bundle';
import { importBundle } from '../../electron/store/import';
import { openLog } from '../../electron/store/open';
import { openStation } from '../../electron/store/station';
import { fillDayLog } from '../bench/day-log';
import { expect, test } from '../support/kiosk';
import { api, openConsole } from './supervisor-helpers';
import type { ShellProcess } from '../support/kiosk';

/** The sessions of two logs of 100,000 events (10 each, store/day-log), as the console prints the number. */
const SESSIONS = /^20\s?000$/;

/** Times the agent's cheap call every 50 ms while `work` runs; the waits, in ms. */
async function waitsDuring(shell: ShellProcess, work: () => Promise<void>): Promise<number[]> {
  const waits: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      await api(shell, 'getSnapshot');
      waits.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await work();
  } finally {
    polling = false;
    await poller;
  }
  return waits;
}

test('the kiosk keeps answering while the console verifies and imports a 100,000-event log', async ({ kiosk: { page, shell, dataDir } }) => {
  test.setTimeout(180_000);
  test.skip(shell === null, 'the cheap call is timed over the browser shell');
  if (!shell) return;
  const day0 = Date.UTC(2026, 10, 25, 7, 0, 0);
  const drive = await mkdtemp(join(tmpdir(), 'usb-drive-'));
  const other = await mkdtemp(join(tmpdir(), 'kiosk-e2e-station-'));
  try {
    // A long day's log on another station, its bundle on the drive; the head's own log as long.
    const station = openLog(join(other, 'kiosk.db')).db;
    const identity = openStation(station, randomBytes(32), day0);
    fillDayLog(station, identity, 100_000, day0);
    await writeBundle(station, identity, join(drive, 'poste-b.ekb'), () => day0 + 86_400_000);
    station.close();
    const head = openStationLog(join(dataDir, 'kiosk.db'));
    const headIdentity = recordedIdentity(head, await readFile(join(dataDir, IDENTITY_KEY_FILE_NAME)));
    if (!headIdentity) throw new Error('the head has no identity');
    fillDayLog(head, headIdentity, 100_000, day0);
    head.close();

    await page.setViewportSize({ width: 1366, height: 768 });
    await openConsole(page);
    await page.getByTestId('console-tab-stations').click();
    // An agent's cheap call every 50 ms, each timed, for as long as the supervisor's work runs.
    const waits = await waitsDuring(shell, async () => {
      await page.getByTestId('verify-log').click();
      await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
      await page.getByTestId('import-folder').fill(drive);
      await page.getByTestId('import-bundles').click();
      await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
      await page.getByTestId('approve-bundle').click();
      await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
      await expect(page.getByTestId('import-added')).toContainText('Poste');
    });
    expect(waits.length).toBeGreaterThan(20);
    expect(Math.max(...waits)).toBeLessThanOrEqual(250);
  } finally {
    await Promise.all([drive, other].map((d) => rm(d, { recursive: true, force: true })));
  }
});

test('the kiosk keeps answering while the console shows dashboards, exports and purges a 100,000-event log', async ({ kiosk: { page, shell, dataDir } }) => {
  test.setTimeout(180_000);
  test.skip(shell === null, 'the cheap call is timed over the browser shell');
  if (!shell) return;
  const drive = await mkdtemp(join(tmpdir(), 'usb-drive-'));
  const other = await mkdtemp(join(tmpdir(), 'kiosk-e2e-station-'));
  try {
    // The head's own log: a long week of 100,000 events, within the retention period.
    const head = openStationLog(join(dataDir, 'kiosk.db'));
    const headIdentity = recordedIdentity(head, await readFile(join(dataDir, IDENTITY_KEY_FILE_NAME)));
    if (!headIdentity) throw new Error('the head has no identity');
    fillDayLog(head, headIdentity, 100_000, Date.now() - 8 * 86_400_000);
    // Another station's campaign of 100,000 events, 200 days old, merged here: what "purge now" removes.
    const old = Date.now() - 200 * 86_400_000;
    const station = openLog(join(other, 'kiosk.db')).db;
    const otherIdentity = openStation(station, randomBytes(32), old);
    fillDayLog(station, otherIdentity, 100_000, old);
    const bundle = join(other, 'poste-b.ekb');
    await writeBundle(station, otherIdentity, bundle, () => old + 86_400_000);
    station.close();
    await importBundle(head, headIdentity, bundle, () => Date.now(), { scratchDir: dataDir, trust: otherIdentity.fingerprint });
    head.close();
    // What a crash left on the drive during an earlier export: removed, never taken for an export.
    await writeFile(join(drive, 'kiosk-events-20261101-120000.csv.part'), 'id,session_id\r\n1,');

    await page.setViewportSize({ width: 1366, height: 768 });
    await openConsole(page);
    const stalls: Record<string, number> = {};
    const dashboards = await waitsDuring(shell, async () => {
      await page.getByTestId('dashboard-station').selectOption('all');
      for (const range of ['all', 'today', 'all', '7d', 'all'] as const) {
        const answered = page.waitForResponse((r) => r.url().endsWith('/api/getDashboard'));
        await page.getByTestId(`range-${range}`).click();
        await answered;
      }
      await expect(page.locator('[data-figure="sessions"] dd')).toHaveText(SESSIONS);
    });
    stalls.dashboards = Math.max(...dashboards);

    await page.getByTestId('console-tab-exports').click();
    await page.getByTestId('export-folder').fill(drive);
    const exporting = await waitsDuring(shell, async () => {
      await page.getByTestId('export-events').click();
      await expect(page.getByTestId('export-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    });
    stalls.export = Math.max(...exporting);
    const files = await readdir(drive);
    expect(files.filter((f) => f.endsWith('.csv'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.part'))).toEqual([]);

    await page.getByTestId('console-tab-maintenance').click();
    const purging = await waitsDuring(shell, async () => {
      await page.getByTestId('purge-start').click();
      await page.getByTestId('purge-confirm').click();
      await expect(page.getByTestId('purge-done')).toBeVisible({ timeout: 60_000 });
    });
    stalls.purge = Math.max(...purging);
    const after = openLog(join(dataDir, 'kiosk.db')).db;
    const left = after.prepare<[], { n: number }>('SELECT count(*) AS n FROM station_events').get();
    after.close();
    expect(left?.n).toBe(0);

    console.log(`stall (longest wait of a cheap call, ms): ${JSON.stringify(Object.fromEntries(Object.entries(stalls).map(([k, v]) => [k, Math.round(v)])))}`);
    for (const waits of [dashboards, exporting, purging]) expect(waits.length).toBeGreaterThan(3);
    expect(Math.max(...Object.values(stalls))).toBeLessThanOrEqual(250);
  } finally {
    await Promise.all([drive, other].map((d) => rm(d, { recursive: true, force: true })));
  }
});
