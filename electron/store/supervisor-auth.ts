// The supervisor's passphrase hash and lockout state, kept beside the settings so a restart neither forgets nor resets them.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ConsoleLockout, StoredPassphrase } from '../engine/supervisor/domain';
import { readInternal, writeInternal } from './settings';

const PASSPHRASE_KEY = 'supervisorPassphrase';
const LOCKOUT_KEY = 'consoleLockout';

/** The passphrase as stored: scrypt's salt and hash in base64 and its cost parameters. */
const PASSPHRASE_RECORD = z.object({ salt: z.string(), hash: z.string(), N: z.number(), r: z.number(), p: z.number() });
type PassphraseRecord = z.infer<typeof PASSPHRASE_RECORD>;

const CONSOLE_LOCKOUT = z.object({ failures: z.number(), lockedUntil: z.number() });

export function readSupervisorPassphrase(db: Database.Database): StoredPassphrase | null {
  const parsed = PASSPHRASE_RECORD.safeParse(readInternal(db, PASSPHRASE_KEY));
  if (!parsed.success) return null;
  const value = parsed.data;
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
  const parsed = CONSOLE_LOCKOUT.safeParse(readInternal(db, LOCKOUT_KEY));
  return parsed.success ? parsed.data : { failures: 0, lockedUntil: 0 };
}

export function writeConsoleLockout(db: Database.Database, lockout: ConsoleLockout): void {
  writeInternal(db, LOCKOUT_KEY, lockout);
}
