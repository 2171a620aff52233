// The sign-in test intents: choosing a method, the PIN and code, the QR sign-in request.
import { describe, expect, it } from 'vitest';
import { qrSvg } from '../../../../electron/engine/qr';
import { enrol, phoneCode, testWithPin } from '../flow';
import { at, kioskPerTest, PIN_OK, query, type TestKiosk } from '../harness';

let k: TestKiosk;
const fresh = kioskPerTest((opened) => (k = opened));

describe('test-login', () => {
  it('refuses a code already accepted for this device (replay), then accepts the next one', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await k.call('next');
    await k.call('chooseSignInMethod', { method: 'pin' });
    // Same time step as the confirmation: the phone still shows the code just used.
    expect(await k.refused('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) })).toEqual({
      code: 'code_replayed',
      params: { seconds: 30 },
    });
    // The previous step's code is older than the accepted one: also refused.
    expect((await k.refused('signIn', { pin: PIN_OK, code: await phoneCode(k, secret, -1) })).code).toBe('code_replayed');
    k.clock.advance(30_000);
    at(await k.call('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'done');
  });

  it('QR method: the request QR holds a 2-digit verification number that must be typed back with a valid code', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await k.call('next');
    const snap = at(await k.call('chooseSignInMethod', { method: 'qr' }), 'test-login');
    expect(snap.request?.requestNumber).toMatch(/^\d{4}$/);
    expect(snap.request?.verificationNumber).toBeNull();
    expect(snap.request?.qrSvg).toContain('<svg');
    k.clock.advance(30_000);
    const code = await phoneCode(k, secret);
    expect((await k.refused('signIn', { code, verificationNumber: '00' })).code).toBe('verification_number_wrong');
    const shown = at(await k.call('revealVerificationNumber'), 'test-login');
    const number = shown.request?.verificationNumber ?? '';
    expect(number).toMatch(/^[1-9]\d$/);
    at(await k.call('signIn', { code, verificationNumber: number }), 'done');
    const tests = query<{ details: string }>(k.dataDir, "SELECT details FROM events WHERE type = 'sign_in_test'");
    expect(JSON.parse(tests[0]?.details ?? '{}')).toEqual({ method: 'qr', ok: true, scanned: false, offsetSeconds: 0 });
    expect(query(k.dataDir, "SELECT details FROM events WHERE type = 'verification_number_revealed'")).toEqual([
      { details: '{"scanned":false}' },
    ]);
    expect(at(await k.call('getSnapshot'), 'done').method).toBe('qr');
  });

  it('Back from a chosen method returns to the choice; without a method there is no Back', async () => {
    await fresh();
    await enrol(k);
    await k.call('next');
    expect((await k.refused('back')).code).toBe('not_allowed_in_step');
    await k.call('chooseSignInMethod', { method: 'qr' });
    expect(at(await k.call('back'), 'test-login')).toMatchObject({ method: null, request: null });
    expect((await k.refused('signIn', { code: '123456' })).code).toBe('not_allowed_in_step');
  });

  it('locks a registered device after five wrong codes at sign-in and the lock is kept', async () => {
    await fresh();
    await enrol(k);
    await k.call('next');
    await k.call('chooseSignInMethod', { method: 'pin' });
    for (let i = 0; i < 4; i++) await k.refused('signIn', { pin: PIN_OK, code: '000000' });
    expect((await k.refused('signIn', { pin: PIN_OK, code: '000000' })).code).toBe('device_locked');
    expect(query(k.dataDir, 'SELECT status, secret_box, code_failures FROM devices')).toEqual([
      { status: 'locked', secret_box: null, code_failures: 5 },
    ]);
  });

  it('done gives the help address from the settings, as text and as a QR', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    const done = at(await k.call('getSnapshot'), 'done');
    expect(done.helpAddress).toBe(
      'https://trusted-digital-identity.europa.eu/eu-login-help/how-can-i-add-mobile-device-my-eu-login-account_en',
    );
    expect(done.helpQrSvg).toBe(await qrSvg(done.helpAddress));
  });
});
