// Files are the app user's alone: under umask 022, in a folder open to others, every file the kiosk writes is 0600.
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLog } from '../../../electron/store/open';
import { completeSetup, openTestKiosk, tempDataDir, type TestKiosk } from '../engine/harness';
import { enrol, testWithPin } from '../engine/flow';
import { settled, setUpAndOpen, sup } from '../supervisor/harness';

const posix = process.platform !== 'win32';
let previousUmask: number;
const temps: (() => void)[] = [];
let k: TestKiosk | null = null;

beforeEach(() => {
  // The umask of a desktop session: without care, new files come out 0644 and folders 0755.
  previousUmask = process.umask(0o022);
});
afterEach(() => {
  k?.close(true);
  k = null;
  process.umask(previousUmask);
  temps.splice(0).forEach((c) => c());
});

/** A data folder someone made by hand (`mkdir`, 0755 under umask 022), as KIOSK_DATA_DIR may point at. */
function openFolder(): string {
  const t = tempDataDir();
  temps.push(t.cleanup);
  chmodSync(t.dir, 0o755);
  return t.dir;
}

/** Every file and folder under `root`, with its permission bits. */
function modes(root: string): { files: Record<string, number>; folders: Record<string, number> } {
  const files: Record<string, number> = {};
  const folders: Record<string, number> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        folders[relative(root, path)] = statSync(path).mode & 0o777;
        walk(path);
      } else files[relative(root, path)] = statSync(path).mode & 0o777;
    }
  };
  walk(root);
  return { files, folders };
}

async function exportAndWait(t: TestKiosk, kind: 'sessions' | 'events' | 'roster' | 'report', folder: string) {
  const progress = await settled(await sup(t, 'exportData', { kind, folder }), () => sup(t, 'getExportProgress'));
  expect(progress.state).toBe('done');
}

describe.skipIf(!posix)('file modes', () => {
  it('writes the log, its WAL and SHM, the key, the exports and the report 0600 in a 0755 folder', async () => {
    const dir = openFolder();
    k = await openTestKiosk(dir);
    await completeSetup(k.kiosk);
    await setUpAndOpen(k);
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    await k.call('next');
    const defaultFolder = (await sup(k, 'getExportTargets')).defaultFolder;
    for (const kind of ['sessions', 'events', 'roster', 'report'] as const) await exportAndWait(k, kind, defaultFolder);

    // While the kiosk runs: the WAL and SHM exist beside the database.
    const { files, folders } = modes(dir);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm', 'station.key']));
    expect(Object.keys(files).filter((f) => f.startsWith('exports/'))).toHaveLength(4);
    for (const [file, mode] of Object.entries(files)) expect(mode.toString(8), file).toBe('600');
    expect(folders).toEqual({ exports: 0o700 });
  });

  it('creates a missing data folder 0700, parents included', async () => {
    const parent = openFolder();
    const dir = join(parent, 'station', 'data');
    k = await openTestKiosk(dir);
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(parent, 'station')).mode & 0o777).toString(8)).toBe('700');
    for (const [file, mode] of Object.entries(modes(dir).files)) expect(mode.toString(8), file).toBe('600');
  });

  it('narrows a log and companions an older kiosk left readable by others', () => {
    const dir = openFolder();
    const path = join(dir, 'kiosk.db');
    openLog(path).db.close();
    writeFileSync(`${path}-shm`, '', { flag: 'a' });
    for (const file of [path, `${path}-shm`]) chmodSync(file, 0o644);
    const { db } = openLog(path);
    db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run();
    for (const [file, mode] of Object.entries(modes(dir).files)) expect(mode.toString(8), file).toBe('600');
    db.close();
  });

  it('tells the supervisor when the data folder is open to other accounts, and no longer once it is 0700', async () => {
    const dir = openFolder();
    k = await openTestKiosk(dir);
    await completeSetup(k.kiosk);
    await setUpAndOpen(k);
    expect((await sup(k, 'getDashboard', { range: 'today' })).housekeeping.dataFolder).toEqual({
      path: dir,
      mode: '755',
      openToOthers: true,
    });
    chmodSync(dir, 0o700);
    expect((await sup(k, 'getDashboard', { range: 'today' })).housekeeping.dataFolder).toMatchObject({ openToOthers: false });
  });
});
