// An export that does not finish leaves nothing on the drive: a cancel, a failure midway, and what a crash left half written.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IDENTITY_KEY_FILE_NAME } from '../../../electron/engine/key-store';
import { CSV_FORMATS } from '../../../electron/engine/supervisor/csv-labels';
import { openStationLog, recordedIdentity } from '../../../electron/store/admin-log';
import { exportTableCsv } from '../../../electron/store/supervisor-export';
import { fillDayLog } from '../../bench/day-log';
import { openTestKiosk, T0, type TestKiosk } from '../engine/harness';
import { settled, setUpAndOpen, sup } from './harness';

let k: TestKiosk;
let folder: string;
afterEach(() => {
  k.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A kiosk whose log holds `events` more events (a long day), its console open, and an empty stick. */
async function longLog(events: number): Promise<void> {
  k = await openTestKiosk();
  folder = mkdtempSync(join(tmpdir(), 'usb-'));
  await setUpAndOpen(k);
  const db = openStationLog(join(k.dataDir, 'kiosk.db'));
  const identity = recordedIdentity(db, readFileSync(join(k.dataDir, IDENTITY_KEY_FILE_NAME)));
  if (!identity) throw new Error('no identity');
  fillDayLog(db, identity, events, T0 - 86_400_000);
  db.close();
}

describe('an export that does not finish', () => {
  it('leaves nothing on the drive when cancelled, and the console says it was cancelled', async () => {
    await longLog(50_000);
    const started = await sup(k, 'exportData', { kind: 'events', folder });
    await sup(k, 'cancelTask');
    const progress = await settled(started, () => sup(k, 'getExportProgress'));
    expect(progress).toMatchObject({ state: 'failed', errorCode: 'task_cancelled', files: [] });
    expect(readdirSync(folder)).toEqual([]);
    // The next export runs as usual.
    const again = await settled(await sup(k, 'exportData', { kind: 'sessions', folder }), () => sup(k, 'getExportProgress'));
    expect(again.state).toBe('done');
    expect(readdirSync(folder)).toEqual([expect.stringMatching(/^kiosk-sessions-.*\.csv$/)]);
  });

  it('removes its partial file when it fails midway', async () => {
    await longLog(20_000);
    const db = openStationLog(join(k.dataDir, 'kiosk.db'));
    try {
      const file = join(folder, 'kiosk-events-20261125-183000.csv');
      // The stick's writes fail once rows have gone through: as a pulled stick or a full one would.
      const failing = () => {
        throw new Error('EIO: i/o error, write');
      };
      await expect(exportTableCsv(db, 'events', file, (rows) => rows > 0 && failing(), CSV_FORMATS.fr)).rejects.toThrow();
    } finally {
      db.close();
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  it('removes at the next export what a crash left half written, never a file of its own', async () => {
    await longLog(10);
    const leftovers = ['kiosk-events-20261101-120000.csv.part', 'rapport-20261101-120000.pdf.part', 'poste-20261101-120000-abcd1234.ekb.partial'];
    for (const name of leftovers) writeFileSync(join(folder, name), 'half');
    // Someone else's files on the stick are not the kiosk's to remove, whatever their names end with.
    writeFileSync(join(folder, 'notes.part'), 'mine');
    writeFileSync(join(folder, 'kiosk-events-20261101-110000.csv'), 'a whole earlier export');
    const progress = await settled(await sup(k, 'exportData', { kind: 'roster', folder }), () => sup(k, 'getExportProgress'));
    expect(progress.state).toBe('done');
    const names = readdirSync(folder).sort();
    expect(names).toEqual(['kiosk-events-20261101-110000.csv', expect.stringMatching(/^kiosk-roster-.*\.csv$/), 'notes.part']);
  });
});
