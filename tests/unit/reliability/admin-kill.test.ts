// kill -9 of `admin bundle` at several moments: the next start removes the scratch copies of the log, takes the stale
// lock over and verifies; the data folder keeps only the kiosk's own 0600 files, the drive only whole bundles or .partial.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLog } from '../../../electron/store/open';
import { verifyLog } from '../../../electron/store/verify';
import { completeSetup, openTestKiosk, tempFolderPerTest } from '../engine/harness';
import { killAfterMark } from './kill-child';

const folder = tempFolderPerTest();
/** What a data folder may hold once the kiosk has started: its log, its keys, its marker. */
const KIOSK_FILES = new Set(['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm', 'station.key', 'station-identity.key', 'station.json']);

describe('kill -9 of admin bundle', () => {
  it('at five moments: no scratch copy of the log survives the next start, and the log verifies', async () => {
    const dir = folder();
    const drive = folder();
    const first = await openTestKiosk(dir);
    await completeSetup(first.kiosk);
    for (let i = 0; i < 30; i += 1) {
      await first.call('start', { language: 'fr' });
      await first.call('cancel', {});
    }
    first.close(true);
    let scratchLeft = 0;
    for (const delayMs of [0, 15, 40, 80, 160]) {
      await killAfterMark('tests/unit/reliability/admin-bundle-child.ts', [dir, drive], 'bundling', delayMs);
      if (readdirSync(dir).some((name) => name.startsWith('.bundle-'))) scratchLeft += 1;
      // The next start: leftovers gone, the killed verb's lock taken over.
      const k = await openTestKiosk(dir);
      expect((await k.call('getSnapshot', {})).step).toBe('welcome');
      k.close(true);
      const left = readdirSync(dir);
      expect(left.filter((name) => !KIOSK_FILES.has(name)), `after a kill at ${delayMs} ms`).toEqual([]);
      for (const name of left) expect(statSync(join(dir, name)).mode & 0o077, name).toBe(0);
      const { db } = openLog(join(dir, 'kiosk.db'));
      expect(verifyLog(db).ok).toBe(true);
      db.close();
    }
    // On the drive: whole bundles, or one cut short under a name no one would take for a bundle.
    for (const name of readdirSync(drive)) {
      expect(name).toMatch(/^station-\d+\.ekb(\.partial)?$/);
      expect(statSync(join(drive, name)).mode & 0o077, name).toBe(0);
    }
    // How many kills landed while a scratch copy existed (printed: the moments depend on the machine's speed).
    console.log(`admin bundle killed 5 times; ${scratchLeft} left a scratch copy of the log, all removed at the next start`);
  });
});
