// The supervisor's passphrase hash and lockout state, kept beside the settings so a restart neither forgets nor resets them.
import type Database from 'better-sqlite3';
import type { ConsoleLockout, StoredPassphrase } from '../engine/supervisor/domain';
import { readInternal, writeInternal } from './settings';

const PASSPHRASE_KEY = 'supervisorPassphrase';
const LOCKOUT_KEY = 'consoleLockout';

interface PassphraseRecord {
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
}

function isPassphraseRecord(value: unknown): value is PassphraseRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.salt === 'string' &&
    typeof v.hash === 'string' &&
    typeof v.N === 'number' &&
    typeof v.r === 'number' &&
    typeof v.p === 'number'
  );
}

export function readSupervisorPassphrase(db: Database.Database): StoredPassphrase | null {
  const value = readInternal(db, PASSPHRASE_KEY);
  if (!isPassphraseRecord(value)) return null;
  return {
    salt: Buffer.from(value.salt, 'base64'),
    hash: Buffer.from(value.hash, 'base64'),
    N: value.N,
    r: value.r,
    p: value.p,
  };
}

export function writeSupervisorPassphrase(db: Database.Database, stored: StoredPassphrase): void {
  const record: PassphraseRecord = {
    salt: stored.salt.toString('base64'),
    hash: stored.hash.toString('base64'),
    N: stored.N,
    r: stored.r,
    p: stored.p,
  };
  writeInternal(db, PASSPHRASE_KEY, record);
}

export function readConsoleLockout(db: Database.Database): ConsoleLockout {
  const value = readInternal(db, LOCKOUT_KEY);
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.failures === 'number' && typeof v.lockedUntil === 'number') {
      return { failures: v.failures, lockedUntil: v.lockedUntil };
    }
  }
  return { failures: 0, lockedUntil: 0 };
}

export function writeConsoleLockout(db: Database.Database, lockout: ConsoleLockout): void {
  writeInternal(db, LOCKOUT_KEY, lockout);
}
