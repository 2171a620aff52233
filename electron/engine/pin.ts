// PIN hashing: scrypt with a per-record salt, run on libuv's pool so the main process never blocks, compared in constant time.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** N=2^15, r=8, p=1: OWASP's scrypt floor; 128*N*r = 32 MiB, above Node's 32 MiB default maxmem, hence 64 MiB. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

function scryptAsync(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, HASH_BYTES, SCRYPT_PARAMS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** salt (16) | hash (32), one BLOB per record. */
export async function hashPin(pin: string): Promise<Buffer> {
  const salt = randomBytes(SALT_BYTES);
  return Buffer.concat([salt, await scryptAsync(pin, salt)]);
}

export async function verifyPin(pin: string, stored: Buffer): Promise<boolean> {
  if (stored.length !== SALT_BYTES + HASH_BYTES) return false;
  const actual = await scryptAsync(pin, stored.subarray(0, SALT_BYTES));
  return timingSafeEqual(actual, stored.subarray(SALT_BYTES));
}

/**
 * A PIN chosen in this session, before its device is stored. Its scrypt hash (what the device row keeps)
 * is computed in the background while the agent scans the QR (starting once the QR is on screen); until the session ends, the PIN is checked
 * against an HMAC under a random key that exists only in this process's memory, which costs microseconds.
 * Neither the key nor the digest is ever written anywhere: the disk only ever holds the scrypt hash.
 */
/**
 * How long the hash waits before it starts: add-device's answer goes out and the scan-qr screen is drawn
 * first. A 32 MiB memory-hard hash on one of a station's two cores would otherwise slow that very screen.
 */
export const SESSION_HASH_DELAY_MS = 200;

export interface SessionPin {
  /** The scrypt hash (salt | hash), settled in the background; awaited before a device row is written. */
  readonly hash: Promise<Buffer>;
  matches(pin: string): boolean;
}

export function sessionPin(pin: string): SessionPin {
  const key = randomBytes(32);
  const digest = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest();
  const expected = digest(pin);
  // Real time, not the engine's clock: this schedules CPU work, it is no rule of the session. Kept referenced:
  // a script awaiting confirm-device must not see its process exit while the hash waits to start.
  const hash = new Promise<void>((resolve) => setTimeout(resolve, SESSION_HASH_DELAY_MS)).then(() => hashPin(pin));
  // A draft dropped before confirmation (Back, cancel, timeout) never awaits its hash: no unhandled rejection.
  hash.catch(() => undefined);
  return {
    hash,
    matches: (candidate) => timingSafeEqual(digest(candidate), expected),
  };
}
