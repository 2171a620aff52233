// A full disk or a read-only data folder: the kiosk refuses with out_of_service and its reason, and keeps what it had written.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/transport/dispatch';
import type { Result } from '../../../shared/contract';
import { openKiosk, type Kiosk } from '../../../electron/kiosk';
import { verifyLog } from '../../../electron/store/verify';
import { openLog } from '../../../electron/store/open';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A small tmpfs of its own: the only honest way to fill a disk or turn a folder read-only under a running kiosk. */
function mountTmpfs(sizeKb: number): string | null {
  if (!isRoot) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

const mounted: string[] = [];
const canMount = (() => {
  const probe = mountTmpfs(64);
  if (probe === null) return false;
  execFileSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return true;
})();
afterEach(() => {
  for (const dir of mounted.splice(0)) {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function setUp(sizeKb: number): Promise<{ dir: string; kiosk: Kiosk; call: (m: string, i?: object) => Promise<Result<unknown>> }> {
  const dir = mountTmpfs(sizeKb);
  if (dir === null) throw new Error('tmpfs mount failed');
  mounted.push(dir);
  const kiosk = await openKiosk({ dataDir: dir });
  const passphrase = 'correct horse battery';
  await dispatch(kiosk.handlers, 'completeSetup', { stationName: 'PIF', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' });
  return { dir, kiosk, call: (m, i = {}) => dispatch(kiosk.handlers, m, i) };
}

/** Copies the log out (the full or read-only disk cannot take the recovery's writes) and reopens it. */
function reopenCopy(dir: string): { chainOk: boolean; sessions: number } {
  const copy = mkdtempSync(join(tmpdir(), 'kiosk-copy-'));
  for (const name of ['kiosk.db', 'kiosk.db-wal']) if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(copy, name));
  const { db } = openLog(join(copy, 'kiosk.db'));
  const chainOk = verifyLog(db).ok;
  const sessions = (db.prepare("SELECT count(*) AS n FROM sessions WHERE outcome = 'abandoned'").get() as { n: number }).n;
  db.close();
  rmSync(copy, { recursive: true, force: true });
  return { chainOk, sessions };
}

describe.skipIf(!canMount)('storage failures (needs root to mount a tmpfs)', () => {
  it('a disk that fills up mid-shift: out_of_service with reason disk_full, and every ended session kept', async () => {
    const { dir, kiosk, call } = await setUp(400);
    let ended = 0;
    let refusal: Result<unknown> | null = null;
    for (let n = 0; n < 100_000 && refusal === null; n += 1) {
      for (const [method, input] of [['start', { language: 'fr' }], ['identify', { email: `a.${n}@agriculture.gouv.fr` }], ['cancel', {}]] as const) {
        const result = await call(method, input);
        if (!result.ok) {
          refusal = result;
          break;
        }
        if (method === 'cancel') ended += 1;
      }
    }
    expect(refusal).toEqual({ ok: false, error: { code: 'out_of_service', params: { reason: 'disk_full' } } });
    kiosk.close();
    const after = reopenCopy(dir);
    expect(after.chainOk).toBe(true);
    expect(after.sessions).toBeGreaterThanOrEqual(ended);
  });

  it('a read-only data folder at start: the kiosk cannot open and says why', async () => {
    const dir = mountTmpfs(1024);
    if (dir === null) throw new Error('tmpfs mount failed');
    mounted.push(dir);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const failure = await openKiosk({ dataDir: dir }).then(
      () => null,
      (error: unknown) => error,
    );
    const { storageFailure } = await import('../../../electron/store/storage-errors');
    expect(storageFailure(failure)).toBe('data_folder_unwritable');
  });
});
