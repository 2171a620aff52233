// The supervisor passphrase: scrypt-hashed with a per-station salt, compared in constant time, never kept in clear.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** PRODUCT.md / issue 5: long enough that the 5-try lockout, not the length, is what stops guessing. */
export const PASSPHRASE_MIN_LENGTH = 10;

/**
 * N=2^15, r=8 costs 32 MiB and ~50-100 ms on a thin client: slow for an attacker holding the
 * file, still instant for a supervisor. maxmem above 128*N*r, which Node's 32 MiB default refuses.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface PassphraseHash {
  salt: Buffer;
  hash: Buffer;
  /** Kept with the hash so a later change of cost still verifies old hashes. */
  N: number;
  r: number;
  p: number;
}

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Async on purpose: the synchronous form would freeze the main process for the whole derivation.
    scryptCallback(secret.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassphrase(passphrase: string): Promise<PassphraseHash> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scrypt(passphrase, salt, SCRYPT_PARAMS);
  return { salt, hash, N: SCRYPT_PARAMS.N, r: SCRYPT_PARAMS.r, p: SCRYPT_PARAMS.p };
}

export async function verifyPassphrase(passphrase: string, stored: PassphraseHash): Promise<boolean> {
  const maxmem = Math.max(SCRYPT_PARAMS.maxmem, 256 * stored.N * stored.r);
  const candidate = await scrypt(passphrase, stored.salt, { N: stored.N, r: stored.r, p: stored.p, maxmem });
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** Characters, not UTF-16 units, so "é" counts once whichever way it was typed. */
export function passphraseLength(passphrase: string): number {
  return [...passphrase.normalize('NFC')].length;
}
