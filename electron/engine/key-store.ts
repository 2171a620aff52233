// Where the station key that seals TOTP secrets comes from: the interface, and the key-file store (mode 0600) in the data folder.
import { createHmac, randomBytes } from 'node:crypto';
import { OutOfServiceError } from '../../shared/errors';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../../shared/errors';

/** A 32-byte AES-256 key for this station. The Electron shell provides one backed by safeStorage. */
export interface KeyStore {
  getKey(): Promise<Buffer>;
  /** Whether the key exists already (without making it): an existing station whose key is gone must not get a new one. */
  has?(): Promise<boolean>;
}

/**
 * A value that tells keys apart without revealing them (HMAC of a fixed label), recorded in the log so that a
 * key swapped for another station's is noticed at start rather than at a returning agent's sign-in test.
 */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update('enrolment-kiosk station key check').digest('hex').slice(0, 32);
}

export const STATION_KEY_BYTES = 32;
export const KEY_FILE_NAME = 'station.key';
/** The seed of the station's Ed25519 identity (store/identity.ts), kept exactly like the station key. */
export const IDENTITY_KEY_FILE_NAME = 'station-identity.key';

function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

function isExisting(error: unknown): boolean {
  return errorCode(error) === 'EEXIST';
}

/**
 * The key kept in `<dataDir>/station.key`, readable by the app's user only (mode 0600; a wider mode
 * found later is narrowed). Created on first use; the Electron shell uses its safeStorage store instead.
 */
export function createKeyFileStore(dataDir: string, fileName: string = KEY_FILE_NAME): KeyStore {
  const path = join(dataDir, fileName);

  /** Writes a whole key aside, fsyncs it, then links it in place: a power cut leaves no key or a whole one. */
  async function createOnce(): Promise<void> {
    const partial = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(partial, 'wx', 0o600);
    try {
      await handle.writeFile(randomBytes(STATION_KEY_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // link() fails if the key exists: two starting processes cannot each install a different key.
      await link(partial, path);
    } catch (error) {
      if (!isExisting(error)) throw error;
    } finally {
      await unlink(partial);
    }
  }

  async function load(): Promise<Buffer> {
    // A new data folder is the app user's alone: it holds the log (e-mails, PIN hashes) beside the key.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    try {
      await stat(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
      await createOnce();
    }
    if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    const key = await readFile(path);
    // Never replaced by a new key: that would orphan every secret sealed under this one.
    if (key.length !== STATION_KEY_BYTES) throw new OutOfServiceError('key_truncated', `${path} does not hold a ${STATION_KEY_BYTES}-byte key`);
    return key;
  }

  async function has(): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  return { ...loadingKeyStore(load), has };
}

/**
 * A key store over its loader: one promise shared by concurrent first calls, so a key is generated once;
 * forgotten after a failure, so the next call tries again.
 */
export function loadingKeyStore(load: () => Promise<Buffer>): KeyStore {
  let pending: Promise<Buffer> | null = null;
  return {
    getKey() {
      pending ??= load().catch((error: unknown) => {
        pending = null;
        throw error;
      });
      return pending;
    },
  };
}
