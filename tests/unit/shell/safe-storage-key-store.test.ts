// The keychain-backed station key: generated once, stored only as safeStorage ciphertext, never silently replaced.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainAvailable, keychainKeyStore, type SafeStorageProbe } from '../../../electron/shell/kiosk-keys';
import { KEY_FILE_NAME, STATION_KEY_BYTES } from '../../../electron/engine/key-store';
import { SAFE_STORAGE_KEY_FILE, safeStorageKeyStore } from '../../../electron/safe-storage-key-store';

/** Stands in for the OS keychain: reversible, but visibly not the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageProbe & { calls: number } {
  const fake = {
    calls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (plain: string) => {
      fake.calls += 1;
      return Buffer.from(`sealed:${Buffer.from(plain).reverse().toString('hex')}`);
    },
    decryptString: (sealed: Buffer) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('not ours');
      return Buffer.from(text.slice('sealed:'.length), 'hex').reverse().toString();
    },
  };
  return fake;
}

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-keys-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('safeStorageKeyStore', () => {
  it('generates a 32-byte key once and gives the same key back, also after a restart', async () => {
    const safeStorage = fakeSafeStorage();
    const store = safeStorageKeyStore(dataDir, safeStorage);
    const [first, concurrent] = await Promise.all([store.getKey(), store.getKey()]);
    expect(first).toHaveLength(STATION_KEY_BYTES);
    expect(concurrent.equals(first)).toBe(true);
    expect(safeStorage.calls).toBe(1);
    const restarted = await safeStorageKeyStore(dataDir, safeStorage).getKey();
    expect(restarted.equals(first)).toBe(true);
  });

  it('keeps only ciphertext on disk, readable by the app user alone', async () => {
    const key = await safeStorageKeyStore(dataDir, fakeSafeStorage()).getKey();
    const file = join(dataDir, SAFE_STORAGE_KEY_FILE);
    const onDisk = await readFile(file);
    expect(onDisk.includes(key)).toBe(false);
    expect(onDisk.toString()).not.toContain(key.toString('base64'));
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('fails rather than replacing a key it cannot decrypt', async () => {
    await writeFile(join(dataDir, SAFE_STORAGE_KEY_FILE), 'garbage');
    await expect(safeStorageKeyStore(dataDir, fakeSafeStorage()).getKey()).rejects.toThrow();
    expect((await readFile(join(dataDir, SAFE_STORAGE_KEY_FILE))).toString()).toBe('garbage');
  });

  it('fails on a stored key of the wrong length', async () => {
    const safeStorage = fakeSafeStorage();
    await writeFile(join(dataDir, SAFE_STORAGE_KEY_FILE), safeStorage.encryptString(Buffer.alloc(16).toString('base64')));
    await expect(safeStorageKeyStore(dataDir, safeStorage).getKey()).rejects.toThrow(/32 bytes/);
  });
});

describe('keychainKeyStore', () => {
  it('uses the keychain on Windows and macOS whenever encryption is available', () => {
    expect(keychainAvailable(fakeSafeStorage(), 'win32')).toBe(true);
    expect(keychainAvailable(fakeSafeStorage({ available: false }), 'win32')).toBe(false);
  });

  it("on Linux, does not count safeStorage's hard-coded-password backend as a keychain", () => {
    expect(keychainAvailable(fakeSafeStorage({ backend: 'gnome_libsecret' }), 'linux')).toBe(true);
    expect(keychainAvailable(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toBe(false);
  });

  it('falls back to the key file (null) where there is no keychain', async () => {
    await expect(keychainKeyStore(dataDir, fakeSafeStorage({ available: false }), 'linux')).resolves.toBeNull();
  });

  it('stays with the keychain once the key lives there, even if it is unavailable today', async () => {
    await safeStorageKeyStore(dataDir, fakeSafeStorage()).getKey();
    await expect(keychainKeyStore(dataDir, fakeSafeStorage({ available: false }), 'linux')).resolves.not.toBeNull();
  });

  it('keeps using a key file already on the data folder (left by the browser shell), keychain or not', async () => {
    await writeFile(join(dataDir, KEY_FILE_NAME), Buffer.alloc(STATION_KEY_BYTES, 1));
    await expect(keychainKeyStore(dataDir, fakeSafeStorage(), 'win32')).resolves.toBeNull();
  });

  it('puts a new station key in the keychain when there is one', async () => {
    const store = await keychainKeyStore(dataDir, fakeSafeStorage(), 'win32');
    expect(store).not.toBeNull();
    await store?.getKey();
    await expect(stat(join(dataDir, SAFE_STORAGE_KEY_FILE))).resolves.toBeTruthy();
  });
});
