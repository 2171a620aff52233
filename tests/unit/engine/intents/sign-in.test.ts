// The sign-in test intents: choosing a method, the PIN and code, the QR sign-in request, each attempt logged.
import { describe, expect, it } from 'vitest';
import { qrSvg } from '../../../../electron/engine/qr';
import { keyUri } from '../../../../electron/engine/totp';
import { enrol, phoneCode, testWithPin, toScanQr } from '../flow';
import { at, EMAIL, kioskPerTest, PIN_OK, query, setSettings, type TestKiosk } from '../harness';

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

  /** On test-login with the PIN method chosen, one time step after registering; the code the phone shows now. */
  async function atPinTest(): Promise<{ secret: string; code: string }> {
    await fresh();
    const { secret } = await enrol(k);
    await k.call('next');
    await k.call('chooseSignInMethod', { method: 'pin' });
    k.clock.advance(30_000);
    return { secret, code: await phoneCode(k, secret) };
  }

  it('logs every sign-in test attempt, refused or accepted, as one sign_in_test with its method and result', async () => {
    const { secret, code } = await atPinTest();
    expect((await k.refused('signIn', { pin: '9713', code })).code).toBe('pin_wrong');
    expect((await k.refused('signIn', { pin: PIN_OK, code: '12' })).code).toBe('code_format');
    expect((await k.refused('signIn', { pin: PIN_OK, code: await phoneCode(k, secret, -1) })).code).toBe('code_replayed');
    at(await k.call('signIn', { pin: PIN_OK, code }), 'done');
    const tests = query<{ details: string; step: string }>(
      k.dataDir,
      "SELECT step, details FROM events WHERE type = 'sign_in_test' ORDER BY id",
    );
    expect(tests.map((t) => ({ step: t.step, ...(JSON.parse(t.details) as object) }))).toEqual([
      { step: 'test-login', method: 'pin', result: 'refused', reason: 'pin_wrong', scanned: null },
      { step: 'test-login', method: 'pin', result: 'refused', reason: 'code_format', scanned: null },
      { step: 'test-login', method: 'pin', result: 'refused', reason: 'code_replayed', scanned: null },
      { step: 'test-login', method: 'pin', result: 'accepted', scanned: null, offsetSeconds: 0 },
    ]);
    // Each refusal keeps its own error event too, for the dashboard's difficulties.
    expect(query(k.dataDir, "SELECT code FROM events WHERE type = 'error' ORDER BY id")).toEqual([
      { code: 'pin_wrong' },
      { code: 'code_format' },
      { code: 'code_replayed' },
    ]);
  });

  it('logs the attempt that locks the device as a refused sign-in test before the session ends', async () => {
    const { code } = await atPinTest();
    for (let i = 0; i < 5; i += 1) await k.refused('signIn', { pin: '9713', code });
    const events = query<{ type: string; details: string | null }>(
      k.dataDir,
      "SELECT type, details FROM events WHERE type IN ('sign_in_test', 'session_ended') ORDER BY id",
    );
    const why = (details: string | null) => {
      const d = JSON.parse(details ?? '{}') as { reason?: string; outcome?: string };
      return d.reason ?? d.outcome;
    };
    expect(events.map((e) => [e.type, why(e.details)])).toEqual([
      ['sign_in_test', 'pin_wrong'],
      ['sign_in_test', 'pin_wrong'],
      ['sign_in_test', 'pin_wrong'],
      ['sign_in_test', 'pin_wrong'],
      ['sign_in_test', 'device_locked'],
      ['session_ended', 'locked'],
    ]);
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
    const tests = query<{ details: string }>(k.dataDir, "SELECT details FROM events WHERE type = 'sign_in_test' ORDER BY id");
    // One sign_in_test per attempt: the refused one (the QR was still to be scanned), then the accepted one.
    expect(tests.map((t) => JSON.parse(t.details) as unknown)).toEqual([
      { method: 'qr', result: 'refused', reason: 'verification_number_wrong', scanned: true },
      { method: 'qr', result: 'accepted', scanned: false, offsetSeconds: 0 },
    ]);
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
    expect(done.helpAddress).toBe('https://webgate.ec.europa.eu/cas/help.html');
    expect(done.helpQrSvg).toBe(await qrSvg(done.helpAddress));
  });

  it("done gives the real EU Login's sign-in and support addresses, which an organisation may change", async () => {
    await fresh();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    expect(at(await k.call('getSnapshot'), 'done')).toMatchObject({
      email: EMAIL,
      signInAddress: 'https://webgate.ec.europa.eu/cas/login',
      supportAddress: 'EU-LOGIN-EXTERNAL-SUPPORT@ec.europa.eu',
    });
    setSettings(k.dataDir, { signInAddress: 'https://portail.example.fr/eulogin', supportAddress: 'assistance@example.fr' });
    expect(at(await k.call('getSnapshot'), 'done')).toMatchObject({
      signInAddress: 'https://portail.example.fr/eulogin',
      supportAddress: 'assistance@example.fr',
    });
  });

  it('logs the recap asked for and what became of it, on done only', async () => {
    await fresh();
    const { secret } = await enrol(k);
    expect((await k.refused('recordRecap', { action: 'asked' })).code).toBe('not_allowed_in_step');
    await testWithPin(k, secret);
    await k.call('recordRecap', { action: 'asked' });
    await k.call('recordRecap', { action: 'printed' });
    expect(query(k.dataDir, "SELECT step, details FROM events WHERE type = 'recap' ORDER BY id")).toEqual([
      { step: 'done', details: '{"action":"asked"}' },
      { step: 'done', details: '{"action":"printed"}' },
    ]);
  });

  it('names the practice entry after the product and the station, never "EU Login", unless the supervisor chose a name', async () => {
    await fresh();
    setSettings(k.dataDir, { stationName: 'PIF Sète' });
    const secret = await toScanQr(k);
    const snap = at(await k.call('getSnapshot'), 'scan-qr');
    expect(snap.issuer).toBe('Répétition PIF Sète');
    expect(snap.qrSvg).toBe(await qrSvg(keyUri('Répétition PIF Sète', EMAIL, secret)));
    at(await k.call('next'), 'confirm-device');
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'registered');
    await testWithPin(k, secret);
    expect(at(await k.call('getSnapshot'), 'done').issuer).toBe('Répétition PIF Sète');
    setSettings(k.dataDir, { issuer: 'Formation DDPP 13' });
    expect(at(await k.call('getSnapshot'), 'done').issuer).toBe('Formation DDPP 13');
  });
});
