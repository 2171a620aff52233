// The station key held by the OS keychain: 32 random bytes, kept on disk only as safeStorage ciphertext.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OutOfServiceError } from '../shared/errors';
import { loadingKeyStore, STATION_KEY_BYTES, type KeyStore } from './engine/key-store';
import { errorCode } from '../shared/errors';

const randomBytesAsync = promisify(randomBytes);

/** Beside the engine's plain key file (station.key), under another name so neither is mistaken for the other. */
export const SAFE_STORAGE_KEY_FILE = 'station-key.safe-storage';
/** The station identity's seed, in the keychain beside the station key. */
export const SAFE_STORAGE_IDENTITY_FILE = 'station-identity.safe-storage';

/** The part of Electron's safeStorage this store uses; a test passes a fake. */
export interface SafeStorageLike {
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Generates the key on first use and keeps it in memory afterwards. An unreadable or
 * undecryptable file is an error, never a reason to make a new key: a new key would silently
 * orphan every TOTP secret already encrypted with the old one.
 */
export function safeStorageKeyStore(
  dataDir: string,
  safeStorage: SafeStorageLike,
  fileName: string = SAFE_STORAGE_KEY_FILE,
): KeyStore {
  const file = join(dataDir, fileName);

  async function load(): Promise<Buffer> {
    const stored = await readIfPresent(file);
    if (stored !== null) return decodeKey(safeStorage.decryptString(stored), file);
    const key = await randomBytesAsync(STATION_KEY_BYTES);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // Written aside then renamed, so a power cut leaves either no key file or a whole one.
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
    await rename(partial, file);
    return key;
  }

  return { ...loadingKeyStore(load), has: async () => (await readIfPresent(file)) !== null };
}

async function readIfPresent(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function decodeKey(base64: string, file: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== STATION_KEY_BYTES) throw new OutOfServiceError('key_truncated', `station key in ${file} is not ${STATION_KEY_BYTES} bytes`);
  return key;
}
