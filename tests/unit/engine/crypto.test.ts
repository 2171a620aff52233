import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyFileStore } from '../../../electron/engine/key-store';
import { hashPin, SCRYPT_PARAMS, sessionPin, verifyPin } from '../../../electron/engine/pin';
import { openSecret, sealSecret } from '../../../electron/engine/secret-box';
import { tempFolderPerTest } from './harness';

const dir = tempFolderPerTest();

describe('PIN hashing', () => {
  it('uses scrypt N=2^15 r=8 p=1 with 64 MiB maxmem and a 16-byte salt per record', async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const a = await hashPin('2580');
    const b = await hashPin('2580');
    expect(a).toHaveLength(48);
    expect(a.subarray(0, 16).equals(b.subarray(0, 16))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('verifies the right PIN only', async () => {
    const stored = await hashPin('2580');
    expect(await verifyPin('2580', stored)).toBe(true);
    expect(await verifyPin('2581', stored)).toBe(false);
    expect(await verifyPin('2580', stored.subarray(1))).toBe(false);
  });

  it("checks a session's PIN at once and settles, meanwhile, a salted scrypt hash that verifies it", async () => {
    const pin = sessionPin('2580');
    expect(pin.matches('2580')).toBe(true);
    expect(pin.matches('2581')).toBe(false);
    expect(pin.matches('258')).toBe(false);
    const stored = await pin.hash;
    expect(stored).toHaveLength(48);
    expect(await verifyPin('2580', stored)).toBe(true);
    expect(await verifyPin('2581', stored)).toBe(false);
    // Two sessions choosing the same PIN: different salts, so different stored hashes.
    expect(stored.equals(await sessionPin('2580').hash)).toBe(false);
  });
});

describe('secrets at rest', () => {
  const key = Buffer.alloc(32, 7);

  it('seals with AES-256-GCM: a fresh nonce each time, and the plain text nowhere in the box', () => {
    const plain = Buffer.from('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const a = sealSecret(key, plain);
    expect(a.equals(sealSecret(key, plain))).toBe(false);
    expect(a.includes(plain)).toBe(false);
    expect(openSecret(key, a).equals(plain)).toBe(true);
  });

  it('refuses a box that was altered or sealed under another key', () => {
    const box = sealSecret(key, Buffer.from('secret'));
    const altered = Buffer.from(box);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(() => openSecret(key, altered)).toThrow();
    expect(() => openSecret(Buffer.alloc(32, 8), box)).toThrow();
  });
});

describe('the key file store', () => {
  it('creates a 32-byte key readable by its owner only, and gives the same key afterwards', async () => {
    const d = dir();
    const key = await createKeyFileStore(d).getKey();
    expect(key).toHaveLength(32);
    expect(statSync(join(d, 'station.key')).mode & 0o777).toBe(0o600);
    expect((await createKeyFileStore(d).getKey()).equals(key)).toBe(true);
  });

  it('creates a missing data folder readable by its owner only', async () => {
    const d = join(dir(), 'new-folder');
    await createKeyFileStore(d).getKey();
    expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  it('gives one key to concurrent first callers', async () => {
    const d = dir();
    const [a, b] = await Promise.all([createKeyFileStore(d).getKey(), createKeyFileStore(d).getKey()]);
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(true);
  });

  it('never replaces a damaged key file with a new key (that would orphan every sealed secret)', async () => {
    const d = dir();
    writeFileSync(join(d, 'station.key'), 'short', { mode: 0o644 });
    await expect(createKeyFileStore(d).getKey()).rejects.toThrow(/32-byte/);
  });
});
