// Faults injected for real on a data folder (files deleted, corrupted, swapped, truncated; two kiosks; a killed bundle):
// each ends out of service with its named reason, never on the first-run wizard, with the files kept and the log verifying.
import { copyFileSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../electron/transport/dispatch';
import { runAdmin } from '../../../electron/admin/cli';
import { openKiosk, openKioskOrOutOfService, REOPEN_EVERY_MS } from '../../../electron/kiosk';
import { verifyLog } from '../../../electron/store/verify';
import { LOCK_FILE_NAME, STATION_MARKER_FILE_NAME } from '../../../electron/store/data-folder';
import { openLog } from '../../../electron/store/open';
import { fakeClock, openTestKiosk, query, tempFolderPerTest } from '../engine/harness';

const folder = tempFolderPerTest();

/** A station that was set up and served one agent, then stopped: the folder a fault is injected into. */
async function stoppedStation(): Promise<string> {
  const dir = folder();
  const first = await openTestKiosk(dir);
  await dispatch(first.kiosk.handlers, 'completeSetup', {
    stationName: 'PIF Roissy',
    passphrase: 'Douane-Roissy-2026',
    passphraseConfirm: 'Douane-Roissy-2026',
    mode: 'enrolment',
    language: 'fr',
  });
  await first.call('start', { language: 'fr' });
  await first.call('cancel', {});
  first.close(true);
  return dir;
}

/** What the page is told on start: the refusal every call gets, or the step it would show. */
async function whatThePageSees(dir: string): Promise<{ reason: unknown; setupOffered: boolean }> {
  const failures: unknown[] = [];
  const kiosk = await openKioskOrOutOfService({ dataDir: dir, clock: fakeClock() }, (e) => failures.push(e));
  try {
    const result = await dispatch(kiosk.handlers, 'startPage', {});
    if (result.ok) {
      const station = (result.value as { station: { status: string } }).station;
      return { reason: null, setupOffered: station.status === 'setup-required' };
    }
    expect(result.error.code).toBe('out_of_service');
    // The reason reached the service log too (stderr), with its detail.
    expect(failures).toHaveLength(1);
    return { reason: result.error.params.reason, setupOffered: false };
  } finally {
    kiosk.close();
  }
}

function logVerifies(dir: string, file = 'kiosk.db'): boolean {
  const copy = folder();
  for (const suffix of ['', '-wal']) if (existsSync(join(dir, file + suffix))) copyFileSync(join(dir, file + suffix), join(copy, `kiosk.db${suffix}`));
  const { db } = openLog(join(copy, 'kiosk.db'));
  try {
    return verifyLog(db).problem === null;
  } finally {
    db.close();
  }
}

describe('a station whose files were lost or damaged never starts over', () => {
  it('a set-up station leaves a marker naming it, 0600', async () => {
    const dir = await stoppedStation();
    expect(statSync(join(dir, STATION_MARKER_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(await whatThePageSees(dir)).toEqual({ reason: null, setupOffered: false });
  });

  it('a deleted log: out of service (log_missing), not the first-run wizard', async () => {
    const dir = await stoppedStation();
    for (const name of ['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm']) rmSync(join(dir, name), { force: true });
    expect(await whatThePageSees(dir)).toEqual({ reason: 'log_missing', setupOffered: false });
    // No new, empty log was made in its place.
    expect(existsSync(join(dir, 'kiosk.db'))).toBe(false);
  });

  it('a corrupt log: kept aside byte for byte, out of service (log_corrupt), and still so after a restart', async () => {
    const dir = await stoppedStation();
    // Checkpointed into the main file first, so the damage hits the pages the log really lives in.
    const { db } = openLog(join(dir, 'kiosk.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const damaged = Buffer.alloc(statSync(join(dir, 'kiosk.db')).size, 0);
    damaged.write('SQLite format 3\0');
    writeFileSync(join(dir, 'kiosk.db'), damaged);
    expect(await whatThePageSees(dir)).toEqual({ reason: 'log_corrupt', setupOffered: false });
    const aside = readdirSync(dir).filter((name) => name.startsWith('kiosk.db.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(statSync(join(dir, aside[0] ?? '')).size).toBe(damaged.length);
    expect(await whatThePageSees(dir)).toEqual({ reason: 'log_corrupt', setupOffered: false });
  });

  it('a missing station key: out of service (key_missing), and no new key made', async () => {
    const dir = await stoppedStation();
    unlinkSync(join(dir, 'station.key'));
    expect(await whatThePageSees(dir)).toEqual({ reason: 'key_missing', setupOffered: false });
    expect(existsSync(join(dir, 'station.key'))).toBe(false);
  });

  it('a truncated station key: out of service (key_truncated)', async () => {
    const dir = await stoppedStation();
    truncateSync(join(dir, 'station.key'), 20);
    expect(await whatThePageSees(dir)).toEqual({ reason: 'key_truncated', setupOffered: false });
  });

  it("another station's key: out of service (key_mismatch), where a returning agent's test used to fail as internal", async () => {
    const dir = await stoppedStation();
    const other = await stoppedStation();
    copyFileSync(join(other, 'station.key'), join(dir, 'station.key'));
    expect(await whatThePageSees(dir)).toEqual({ reason: 'key_mismatch', setupOffered: false });
  });

  it("another station's identity key: out of service (key_mismatch)", async () => {
    const dir = await stoppedStation();
    const other = await stoppedStation();
    copyFileSync(join(other, 'station-identity.key'), join(dir, 'station-identity.key'));
    expect(await whatThePageSees(dir)).toEqual({ reason: 'key_mismatch', setupOffered: false });
  });

  it("another station's log put in this folder: out of service (log_foreign), and the log left as it was", async () => {
    const dir = await stoppedStation();
    const other = await stoppedStation();
    for (const name of ['kiosk.db', 'station.key', 'station-identity.key']) copyFileSync(join(other, name), join(dir, name));
    const before = query<{ n: number }>(dir, 'SELECT count(*) AS n FROM events')[0]?.n;
    expect(await whatThePageSees(dir)).toEqual({ reason: 'log_foreign', setupOffered: false });
    expect(query<{ n: number }>(dir, 'SELECT count(*) AS n FROM events')[0]?.n).toBe(before);
    expect(logVerifies(dir)).toBe(true);
  });

  it('a brand-new folder still gets the first-run wizard', async () => {
    expect(await whatThePageSees(folder())).toEqual({ reason: null, setupOffered: true });
  });
});

describe('a long log is checked while the kiosk already answers', () => {
  /** Damages one b-tree page nothing reads at start (an index of imported stations' devices): only quick_check sees it. */
  function damageAnIndexPage(dir: string): void {
    const { db } = openLog(join(dir, 'kiosk.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'station_devices_email'").get() as { rootpage: number };
    db.close();
    const bytes = readFileSync(join(dir, 'kiosk.db'));
    bytes.fill(0xab, (rootpage - 1) * pageSize, rootpage * pageSize);
    writeFileSync(join(dir, 'kiosk.db'), bytes);
  }

  it('answers first, then goes out of service (log_corrupt) once the background check finds the damage', async () => {
    const dir = await stoppedStation();
    damageAnIndexPage(dir);
    const failures: unknown[] = [];
    // Every log counts as long here, so the check runs in the worker as it does on a long campaign's log.
    const kiosk = await openKioskOrOutOfService({ dataDir: dir, clock: fakeClock(), checkInBackgroundFrom: 0 }, (e) => failures.push(e));
    try {
      expect(failures).toEqual([]);
      await vi.waitFor(
        async () => {
          const result = await dispatch(kiosk.handlers, 'startPage', {});
          expect(result.ok ? null : result.error).toEqual({ code: 'out_of_service', params: { reason: 'log_corrupt' } });
        },
        { timeout: 30_000, interval: 200 },
      );
    } finally {
      kiosk.close();
    }
  });

  it('a short log is checked before the first answer: the same damage is out of service at once', async () => {
    const dir = await stoppedStation();
    damageAnIndexPage(dir);
    expect(await whatThePageSees(dir)).toEqual({ reason: 'log_corrupt', setupOffered: false });
  });

  it('an undamaged long log stays in service once its check is done', async () => {
    const dir = await stoppedStation();
    const kiosk = await openKioskOrOutOfService({ dataDir: dir, clock: fakeClock(), checkInBackgroundFrom: 0 }, () => {});
    try {
      // The worker's check takes a moment; the station answers throughout and is still in service afterwards.
      for (let i = 0; i < 10; i += 1) {
        expect((await dispatch(kiosk.handlers, 'startPage', {})).ok).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      kiosk.close();
    }
  });
});

describe('admin salvage', () => {
  it('reads what it can of a damaged log into the station, which then serves again by itself', async () => {
    const dir = await stoppedStation();
    const k = await openTestKiosk(dir);
    for (let i = 0; i < 40; i += 1) {
      await k.call('start', { language: 'fr' });
      await k.call('cancel', {});
    }
    k.close(true);
    const sessions = query<{ n: number }>(dir, 'SELECT count(*) AS n FROM sessions')[0]?.n ?? 0;
    const { db } = openLog(join(dir, 'kiosk.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // One page in the middle of the file zeroed, as a bad sector would.
    const path = join(dir, 'kiosk.db');
    const bytes = readFileSync(path);
    const pages = bytes.length / 4096;
    bytes.fill(0, Math.floor(pages / 2) * 4096, (Math.floor(pages / 2) + 1) * 4096);
    writeFileSync(path, bytes);

    const failures: unknown[] = [];
    const clock = fakeClock();
    const kiosk = await openKioskOrOutOfService({ dataDir: dir, clock }, (e) => failures.push(e));
    const down = await dispatch(kiosk.handlers, 'startPage', {});
    expect(!down.ok && down.error.params.reason).toBe('log_corrupt');
    const [aside] = readdirSync(dir).filter((name) => name.startsWith('kiosk.db.corrupt-'));

    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const code = await runAdmin(['salvage', join(dir, aside ?? ''), '--data', dir], io);
    expect(lines.join('\n')).toMatch(/^sessions: \d+ rows/m);
    // The chain verifies, or verify names the links the damaged page took: either way the verdict is printed.
    expect(lines.join('\n')).toContain('kiosk.db');
    expect([0, 1]).toContain(code);
    expect(statSync(join(dir, 'kiosk.db')).mode & 0o777).toBe(0o600);
    expect(query<{ n: number }>(dir, 'SELECT count(*) AS n FROM sessions')[0]?.n).toBeGreaterThan(sessions / 2);

    // The out-of-service screen's next call finds the salvaged log: back in service, never the first-run wizard.
    clock.advance(REOPEN_EVERY_MS);
    const back = await dispatch(kiosk.handlers, 'startPage', {});
    expect(back.ok && back.value).toMatchObject({ step: 'welcome', station: { status: 'ready' } });
    kiosk.close();
  });

  it('refuses to write into a folder another kiosk holds', async () => {
    const dir = await stoppedStation();
    const k = await openTestKiosk(dir);
    const lines: string[] = [];
    const code = await runAdmin(['salvage', join(dir, 'kiosk.db'), '--data', dir], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/held by a kiosk \(pid \d+\).*stop it first/);
    k.close(true);
  });
});

describe('the log is where the kiosk thinks it is', () => {
  it('a log deleted under the running kiosk: the next call is out of service (log_replaced), not a silent success', async () => {
    const dir = await stoppedStation();
    const k = await openTestKiosk(dir);
    await k.call('start', { language: 'fr' });
    for (const name of ['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm']) rmSync(join(dir, name), { force: true });
    expect(await k.refused('next', {})).toEqual({ code: 'out_of_service', params: { reason: 'log_replaced' } });
    // Every call, reads included, until the file is back.
    expect(await k.refused('getSnapshot', {})).toEqual({ code: 'out_of_service', params: { reason: 'log_replaced' } });
    k.close(true);
    expect(await whatThePageSees(dir)).toEqual({ reason: 'log_missing', setupOffered: false });
  });

  it('a log replaced by a copy under the running kiosk: out of service (log_replaced), back when the file is', async () => {
    const dir = await stoppedStation();
    const k = await openTestKiosk(dir);
    renameSync(join(dir, 'kiosk.db'), join(dir, 'kiosk.db.away'));
    copyFileSync(join(dir, 'kiosk.db.away'), join(dir, 'kiosk.db'));
    expect(await k.refused('start', { language: 'fr' })).toEqual({ code: 'out_of_service', params: { reason: 'log_replaced' } });
    renameSync(join(dir, 'kiosk.db.away'), join(dir, 'kiosk.db'));
    expect((await k.call('getSnapshot', {})).step).toBe('welcome');
    k.close(true);
    expect(logVerifies(dir)).toBe(true);
  });
});

describe('one station per data folder', () => {
  it('a second kiosk on the folder is refused with data_folder_in_use, and comes by itself once the first has closed', async () => {
    const dir = await stoppedStation();
    const first = await openTestKiosk(dir);
    await expect(openKiosk({ dataDir: dir })).rejects.toMatchObject({ reason: 'data_folder_in_use' });
    const clock = fakeClock();
    const second = await openKioskOrOutOfService({ dataDir: dir, clock }, () => {});
    expect(await dispatch(second.handlers, 'startPage', {})).toEqual({
      ok: false,
      error: { code: 'out_of_service', params: { reason: 'data_folder_in_use' } },
    });
    first.close(true);
    clock.advance(REOPEN_EVERY_MS);
    const back = await dispatch(second.handlers, 'startPage', {});
    expect(back.ok && back.value).toMatchObject({ step: 'welcome' });
    second.close();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    expect(logVerifies(dir)).toBe(true);
  });

  it('a lock left by a process that is gone (kill -9, power cut) is taken over', async () => {
    const dir = await stoppedStation();
    // A pid above Linux's pid_max ceiling (2^22): no process can hold it.
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: 4_194_305, host: (await import('node:os')).hostname(), holder: 'browser shell', since: '' }));
    const k = await openTestKiosk(dir);
    expect((await k.call('getSnapshot', {})).step).toBe('welcome');
    k.close(true);
  });
});

describe('leftovers of an interrupted bundle or import', () => {
  it('are removed at the next start, and nothing else is', async () => {
    const dir = await stoppedStation();
    const leftovers = ['.bundle-0a1b2c3d4e5f.db', '.bundle-0a1b2c3d4e5f.db-journal', '.import-aabbccddeeff.db', 'station.key.1234-abcdef012345.tmp'];
    for (const name of leftovers) copyFileSync(join(dir, 'kiosk.db'), join(dir, name));
    writeFileSync(join(dir, 'notes.txt'), 'kept');
    const k = await openTestKiosk(dir);
    k.close(true);
    const left = readdirSync(dir);
    for (const name of leftovers) expect(left).not.toContain(name);
    expect(left).toContain('notes.txt');
    // What stays is the kiosk's own files, each 0600: no copy of the log's secrets anywhere else.
    for (const name of left.filter((n) => n !== 'notes.txt')) expect(statSync(join(dir, name)).mode & 0o077, name).toBe(0);
  });
});
