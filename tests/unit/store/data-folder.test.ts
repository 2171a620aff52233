// The data folder's lock: one kiosk at a time, whatever wrote the lock file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, lockDataFolder } from '../../../electron/store/data-folder';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-lock-'));
  made.push(dir);
  return dir;
}

describe('the data folder lock', () => {
  it('a lock naming a running process of this machine holds the folder, even without the holder and time an older kiosk did not write', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: process.pid, host: hostname() }));
    expect(() => lockDataFolder(dir, 'browser shell')).toThrow(/held by another kiosk \(pid \d+\)/);
  });

  it('a lock that is not one (no pid) is taken over', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ host: hostname() }));
    const lock = lockDataFolder(dir, 'browser shell');
    expect(() => lockDataFolder(dir, 'admin import')).toThrow(/held by browser shell/);
    lock.release();
  });
});
