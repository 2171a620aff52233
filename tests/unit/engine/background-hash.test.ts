// The PIN's scrypt hash is computed while the agent scans the QR: every device row still holds a finished, verifying scrypt hash.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPin } from '../../../electron/engine/pin';
import { enrol, phoneCode, testWithPin, toScanQr } from './flow';
import { at, EMAIL, openTestKiosk, PIN_OK, query, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

const storedHashes = (dataDir: string) =>
  query<{ status: string; pin_hash: Buffer }>(dataDir, 'SELECT status, pin_hash FROM devices ORDER BY id').map((d) => ({
    status: d.status,
    hash: d.pin_hash,
  }));

describe('the PIN hash in the background', () => {
  it('stores the device, confirmed the moment add-device answered, with a salted scrypt hash of its PIN', async () => {
    k = await openTestKiosk();
    const secret = await toScanQr(k, EMAIL, 'phone-1', PIN_OK);
    // No pause: the hash started by add-device may still be running when the confirmation arrives.
    at(await k.call('next'), 'confirm-device');
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'registered');
    const [device] = storedHashes(k.dataDir);
    expect(device?.status).toBe('active');
    expect(device?.hash).toHaveLength(48);
    expect(await verifyPin(PIN_OK, device?.hash ?? Buffer.alloc(0))).toBe(true);
    expect(await verifyPin('9713', device?.hash ?? Buffer.alloc(0))).toBe(false);
  });

  it('checks the PIN chosen in the session at confirm-device and at the same session\'s PIN sign-in, wrong ones counted', async () => {
    k = await openTestKiosk();
    const secret = await toScanQr(k);
    at(await k.call('next'), 'confirm-device');
    const code = await phoneCode(k, secret);
    expect(await k.refused('confirmDevice', { pin: '9713', code })).toEqual({ code: 'pin_wrong', params: { attemptsLeft: 4 } });
    at(await k.call('confirmDevice', { pin: PIN_OK, code }), 'registered');
    at(await k.call('next'), 'test-login');
    at(await k.call('chooseSignInMethod', { method: 'pin' }), 'test-login');
    k.clock.advance(30_000);
    expect(await k.refused('signIn', { pin: '9713', code: await phoneCode(k, secret) })).toEqual({
      code: 'pin_wrong',
      params: { attemptsLeft: 4 },
    });
    at(await k.call('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'done');
  });

  it("checks a returning agent's PIN against the stored scrypt hash, in a later session", async () => {
    k = await openTestKiosk();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    await k.call('next');
    k.close(true);
    k = await openTestKiosk(k.dataDir, k.clock);
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    // The device's PIN opens its choices: a wrong one is refused against the stored hash, the right one passes.
    expect((await k.refused('giveDevicePin', { pin: '9713' })).code).toBe('pin_wrong');
    at(await k.call('giveDevicePin', { pin: PIN_OK }), 'identify');
    at(await k.call('chooseReturning', { choice: 'test-sign-in' }), 'test-login');
    await k.call('chooseSignInMethod', { method: 'pin' });
    k.clock.advance(30_000);
    expect((await k.refused('signIn', { pin: '9713', code: await phoneCode(k, secret) })).code).toBe('pin_wrong');
    at(await k.call('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'done');
  });

  it('keeps a device locked before it was registered with the finished scrypt hash of its PIN', async () => {
    k = await openTestKiosk();
    const secret = await toScanQr(k);
    at(await k.call('next'), 'confirm-device');
    const code = await phoneCode(k, secret);
    for (let i = 0; i < 4; i++) await k.refused('confirmDevice', { pin: '9713', code });
    expect((await k.refused('confirmDevice', { pin: '9713', code })).code).toBe('device_locked');
    const [device] = storedHashes(k.dataDir);
    expect(device?.status).toBe('locked');
    expect(await verifyPin(PIN_OK, device?.hash ?? Buffer.alloc(0))).toBe(true);
  });

  it('writes no device when the agent leaves scan-qr before confirming, whatever the hash was doing', async () => {
    k = await openTestKiosk();
    await toScanQr(k);
    at(await k.call('back'), 'add-device');
    await k.call('cancel');
    expect(storedHashes(k.dataDir)).toEqual([]);
    expect(k.internalErrors).toEqual([]);
  });
});
