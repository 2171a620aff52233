// Whether the station key lives in the OS keychain (through safeStorage) or in the engine's default key file.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_FILE_NAME, type KeyStore } from '../engine/key-store';
import type { SafeStorageLike } from '../safe-storage-key-store';
import { SAFE_STORAGE_IDENTITY_FILE, SAFE_STORAGE_KEY_FILE, safeStorageKeyStore } from '../safe-storage-key-store';

/** The part of Electron's safeStorage the choice reads. */
export interface SafeStorageProbe extends SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
}

/**
 * On Linux without a keyring, safeStorage still "encrypts" with a hard-coded password
 * ('basic_text' backend): no better than a file only the app's user may read, and tied to
 * a backend that may change. So there it counts as available only with a real keyring.
 */
export function keychainAvailable(safeStorage: SafeStorageProbe, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend !== 'basic_text' && backend !== 'unknown';
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * The keychain key store, or null for "use the engine's key file". Wherever the station's key
 * already is, it stays: a new key elsewhere would make every secret sealed under the old one
 * unreadable. So a key already in the keychain is used even if the keychain is unavailable
 * today (a clear failure, fixed by unlocking the keyring), and a key file left by the browser
 * shell on the same data folder keeps being used. Only a new station chooses.
 */
export async function keychainKeyStore(
  dataDir: string,
  safeStorage: SafeStorageProbe,
  platform: NodeJS.Platform,
): Promise<KeyStore | null> {
  if (await exists(join(dataDir, SAFE_STORAGE_KEY_FILE))) return safeStorageKeyStore(dataDir, safeStorage);
  if (await exists(join(dataDir, KEY_FILE_NAME))) return null;
  return keychainAvailable(safeStorage, platform) ? safeStorageKeyStore(dataDir, safeStorage) : null;
}

/**
 * The station identity's seed goes where the station key went: the keychain when the station key is
 * there (`keyStore` from keychainKeyStore), else null for the engine's 0600 identity key file.
 */
export function keychainIdentityStore(dataDir: string, keyStore: KeyStore | null, safeStorage: SafeStorageProbe): KeyStore | null {
  return keyStore ? safeStorageKeyStore(dataDir, safeStorage, SAFE_STORAGE_IDENTITY_FILE) : null;
}
