// The kiosk keeps answering while the supervisor's work runs: a cheap call timed every 50 ms through a verify and an import.
// Its own Playwright project (stall), run once the other specs are done, so that no other Chromium shares the two cores.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { IDENTITY_KEY_FILE_NAME } from '../../electron/engine/key-store';
import { openStationLog, recordedIdentity } from '../../electron/store/admin-log';
import { writeBundle } from '../../electron/store/bundle';
import { openLog } from '../../electron/store/open';
import { openStation } from '../../electron/store/station';
import { fillDayLog } from '../bench/day-log';
import { expect, test } from '../support/kiosk';
import { api, openConsole } from './supervisor-helpers';

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
      await page.getByTestId('verify-log').click();
      await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
      await page.getByTestId('import-folder').fill(drive);
      await page.getByTestId('import-bundles').click();
      await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
      await page.getByTestId('approve-bundle').click();
      await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
      await expect(page.getByTestId('import-added')).toContainText('Poste');
    } finally {
      polling = false;
      await poller;
    }
    expect(waits.length).toBeGreaterThan(20);
    expect(Math.max(...waits)).toBeLessThanOrEqual(250);
  } finally {
    await Promise.all([drive, other].map((d) => rm(d, { recursive: true, force: true })));
  }
});
