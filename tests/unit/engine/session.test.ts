import { afterEach, describe, expect, it } from 'vitest';
import { keyUri, totp } from '../../../electron/engine/totp';
import { qrSvg } from '../../../electron/engine/qr';
import { activeFor, asReturning, enrol, phoneCode, testWithPin, toScanQr } from './flow';
import { at, EMAIL, openTestKiosk, PIN_OK, query, setSettings, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

async function fresh(): Promise<TestKiosk> {
  k = await openTestKiosk();
  return k;
}

describe('the guided session, step by step', () => {
  it('goes welcome -> identify -> prepare-phone -> add-device -> scan-qr -> confirm-device -> registered -> test-login -> done -> welcome', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    const done = at(await k.call('getSnapshot'), 'done');
    expect(done).toMatchObject({ deviceName: 'phone-1', method: 'pin', canGoBack: false });
    expect(at(await k.call('next'), 'welcome').canCancel).toBe(false);
    const [session] = query<{ outcome: string; furthest_step: number; sign_in_method: string }>(
      k.dataDir,
      'SELECT outcome, furthest_step, sign_in_method FROM sessions',
    );
    expect(session).toEqual({ outcome: 'completed', furthest_step: 8, sign_in_method: 'pin' });
    const steps = query<{ step: string }>(k.dataDir, "SELECT step FROM events WHERE type = 'step' ORDER BY id").map(
      (r) => r.step,
    );
    expect(steps).toEqual([
      'identify',
      'prepare-phone',
      'add-device',
      'scan-qr',
      'confirm-device',
      'registered',
      'test-login',
      'done',
    ]);
  });

  it('refuses intents that do not belong to the current step, without changing it', async () => {
    await fresh();
    expect(await k.refused('identify', { email: EMAIL })).toEqual({ code: 'no_session', params: {} });
    expect((await k.refused('next')).code).toBe('no_session');
    await k.call('start', { language: 'fr' });
    for (const [method, input] of [
      ['next', {}],
      ['addDevice', { deviceName: 'a', pin: '2580', pinConfirm: '2580' }],
      ['revealSecret', {}],
      ['confirmDevice', { pin: '2580', code: '123456' }],
      ['chooseSignInMethod', { method: 'pin' }],
      ['signIn', { code: '123456' }],
      ['revealVerificationNumber', {}],
      ['chooseReturning', { choice: 'test-sign-in' }],
    ] as const) {
      expect(await k.refused(method, input)).toEqual({ code: 'not_allowed_in_step', params: { step: 'identify' } });
    }
    expect((await k.call('getSnapshot')).step).toBe('identify');
  });

  it('goes Back where PRODUCT.md allows it and nowhere else', async () => {
    await fresh();
    await k.call('start', { language: 'fr' });
    expect((await k.call('getSnapshot')).canGoBack).toBe(false);
    expect((await k.refused('back')).code).toBe('not_allowed_in_step');
    await k.call('identify', { email: EMAIL });
    expect(at(await k.call('back'), 'identify').returning).toBeNull();
    await k.call('identify', { email: EMAIL });
    await k.call('next');
    at(await k.call('back'), 'prepare-phone');
    await k.call('next');
    await k.call('addDevice', { deviceName: 'phone-1', pin: PIN_OK, pinConfirm: PIN_OK });
    const qr = at(await k.call('getSnapshot'), 'scan-qr');
    await k.call('next');
    at(await k.call('back'), 'scan-qr');
    // Back from confirm-device keeps the same QR (not expired).
    expect(at(await k.call('getSnapshot'), 'scan-qr').qrSvg).toBe(qr.qrSvg);
    at(await k.call('back'), 'add-device');
  });

  it('cancel ends the session as abandoned and timeout as timed_out, both back to welcome', async () => {
    await fresh();
    await toScanQr(k);
    at(await k.call('cancel'), 'welcome');
    await k.call('start', { language: 'fr' });
    at(await k.call('timeout'), 'welcome');
    expect((await k.refused('cancel')).code).toBe('no_session');
    const rows = query<{ outcome: string }>(k.dataDir, 'SELECT outcome FROM sessions ORDER BY id');
    expect(rows.map((r) => r.outcome)).toEqual(['abandoned', 'timed_out']);
  });

  it('counts a session that reached done as completed however the agent leaves, and offers no Cancel there', async () => {
    await fresh();
    const first = await enrol(k, 'a.one@agriculture.gouv.fr', 'phone-a');
    await testWithPin(k, first.secret);
    expect(at(await k.call('getSnapshot'), 'done').canCancel).toBe(false);
    at(await k.call('timeout'), 'welcome');
    k.clock.advance(60_000);
    const second = await enrol(k, 'a.two@agriculture.gouv.fr', 'phone-b');
    await testWithPin(k, second.secret);
    at(await k.call('cancel'), 'welcome');
    const rows = query<{ outcome: string }>(k.dataDir, 'SELECT outcome FROM sessions ORDER BY id');
    expect(rows.map((r) => r.outcome)).toEqual(['completed', 'completed']);
  });

  it('refuses start while the station needs its first-run setup or is out of service', async () => {
    await fresh();
    setSettings(k.dataDir, { status: 'setup-required' });
    expect((await k.refused('start', { language: 'fr' })).code).toBe('setup_required');
  });
});

describe('identify', () => {
  it('refuses a malformed e-mail', async () => {
    await fresh();
    await k.call('start', { language: 'fr' });
    for (const email of ['', 'jeanne', 'jeanne@', '@agriculture.gouv.fr', 'jeanne martin@x.fr', 'a@b']) {
      expect((await k.refused('identify', { email })).code).toBe('email_invalid');
    }
  });

  it('refuses a domain outside the allowed ones, with the list as a parameter', async () => {
    await fresh();
    setSettings(k.dataDir, { allowedDomains: ['agriculture.gouv.fr'] });
    await k.call('start', { language: 'fr' });
    expect(await k.refused('identify', { email: 'x@gmail.com' })).toEqual({
      code: 'email_domain_not_allowed',
      params: { domains: 'agriculture.gouv.fr' },
    });
    at(await k.call('identify', { email: 'Jeanne.Martin@Agriculture.gouv.fr' }), 'prepare-phone');
  });

  it('refuses an address not on a loaded roster unless the agent accepts to go on off-roster', async () => {
    await fresh();
    const { openLog } = await import('../../../electron/store/open');
    const { replaceRoster } = await import('../../../electron/store/roster');
    const { db } = openLog(`${k.dataDir}/kiosk.db`);
    replaceRoster(db, [{ email: 'paul@agriculture.gouv.fr', name: 'Paul', service: 'SIVEP', importedAt: 0 }]);
    db.close();
    await k.call('start', { language: 'fr' });
    expect((await k.refused('identify', { email: EMAIL })).code).toBe('email_not_on_roster');
    at(await k.call('identify', { email: EMAIL, acceptOffRoster: true }), 'prepare-phone');
    await k.call('cancel');
    await k.call('start', { language: 'fr' });
    at(await k.call('identify', { email: 'PAUL@agriculture.gouv.fr' }), 'prepare-phone');
  });

  it('offers a returning agent with an active device to test the sign-in, which goes to test-login', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    await k.call('next');
    await k.call('start', { language: 'fr' });
    const asked = at(await k.call('identify', { email: EMAIL }), 'identify');
    // The address alone shows no device: its PIN comes first.
    expect(asked.returning).toEqual({ email: EMAIL, deviceName: null, locked: false, askSupervisor: false, verified: false });
    const snap = at(await k.call('giveDevicePin', { pin: PIN_OK }), 'identify');
    expect(snap.returning).toEqual({ email: EMAIL, deviceName: 'phone-1', locked: false, askSupervisor: false, verified: true });
    expect(snap.canGoBack).toBe(true);
    const test = at(await k.call('chooseReturning', { choice: 'test-sign-in' }), 'test-login');
    expect(test).toMatchObject({ deviceName: 'phone-1', method: null, request: null });
    await k.call('chooseSignInMethod', { method: 'pin' });
    k.clock.advance(30_000);
    at(await k.call('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'done');
  });

  it('lets a returning agent remove the device with its PIN and a current code, which deletes it and goes to prepare-phone', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await k.call('cancel');
    k.clock.advance(30_000);
    await asReturning(k);
    at(await k.call('chooseReturning', { choice: 'remove-device', code: await phoneCode(k, secret) }), 'prepare-phone');
    expect(query(k.dataDir, 'SELECT id FROM devices')).toEqual([]);
    await k.call('next');
    // The name is free again.
    at(await k.call('addDevice', { deviceName: 'phone-1', pin: PIN_OK, pinConfirm: PIN_OK }), 'scan-qr');
  });
});

describe('add-device', () => {
  async function atAddDevice() {
    await fresh();
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    at(await k.call('next'), 'add-device');
  }

  it('refuses device names with spaces, other characters, empty or over 30 characters', async () => {
    await atAddDevice();
    for (const deviceName of ['', 'my phone', 'téléphone', 'a'.repeat(31), 'phone!', 'tab\there']) {
      expect((await k.refused('addDevice', { deviceName, pin: PIN_OK, pinConfirm: PIN_OK })).code).toBe(
        'device_name_invalid',
      );
    }
    at(await k.call('addDevice', { deviceName: `A_b-9${'x'.repeat(25)}`, pin: PIN_OK, pinConfirm: PIN_OK }), 'scan-qr');
  });

  it('refuses a PIN that is not 4 digits, a confirmation that differs, and the most common PINs', async () => {
    await atAddDevice();
    const add = (pin: string, pinConfirm = pin) => k.refused('addDevice', { deviceName: 'p', pin, pinConfirm });
    expect((await add('123')).code).toBe('pin_format');
    expect((await add('12345')).code).toBe('pin_format');
    expect((await add('12a4')).code).toBe('pin_format');
    expect((await add('2580', '2581')).code).toBe('pin_mismatch');
    for (const pin of ['0000', '1234', '1111', '1212', '4321']) expect((await add(pin)).code).toBe('pin_too_common');
    expect((await k.call('getSnapshot')).step).toBe('add-device');
    const errors = query<{ code: string }>(k.dataDir, "SELECT code FROM events WHERE type = 'error'");
    expect(errors.map((e) => e.code)).toContain('pin_mismatch');
  });
});

describe('scan-qr', () => {
  it('shows the key URI as a QR, and the secret in groups of 4 only after "Can\'t scan?", logged', async () => {
    await fresh();
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    await k.call('next');
    const snap = at(await k.call('addDevice', { deviceName: 'p', pin: PIN_OK, pinConfirm: PIN_OK }), 'scan-qr');
    expect(snap.secretGroups).toBeNull();
    expect(snap).toMatchObject({ email: EMAIL, issuer: 'EU Login', validitySeconds: 300, expiresAt: k.clock.now() + 300_000 });
    const revealed = at(await k.call('revealSecret'), 'scan-qr');
    const groups = revealed.secretGroups ?? [];
    expect(groups).toHaveLength(8);
    for (const g of groups) expect(g).toMatch(/^[A-Z2-7]{4}$/);
    const secret = groups.join('');
    // 32 base32 characters = 160 bits.
    expect(Buffer.from(secret).length * 5).toBe(160);
    expect(revealed.qrSvg).toBe(await qrSvg(keyUri('EU Login', EMAIL, secret)));
    expect(query(k.dataDir, "SELECT step FROM events WHERE type = 'secret_revealed'")).toEqual([{ step: 'scan-qr' }]);
  });

  it('replaces an expired QR with a new secret when the snapshot is next taken; the old secret no longer verifies', async () => {
    await fresh();
    const old = await toScanQr(k);
    // Five minutes on the QR screen, the agent still there (an idle agent is timed out long before).
    await activeFor(k, 300_000 - 1);
    k.clock.advance(1);
    const renewed = at(await k.call('getSnapshot'), 'scan-qr');
    expect(renewed.secretGroups).toBeNull();
    expect(renewed.expiresAt).toBe(k.clock.now() + 300_000);
    const fresh2 = (at(await k.call('revealSecret'), 'scan-qr').secretGroups ?? []).join('');
    expect(fresh2).not.toBe(old);
    await k.call('next');
    expect((await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, old) })).code).toBe('code_wrong');
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, fresh2) }), 'registered');
  });

  it('refuses confirmation once the QR has expired, and sends the agent back to a new QR', async () => {
    await fresh();
    const old = await toScanQr(k);
    await k.call('next');
    const confirm = at(await k.call('getSnapshot'), 'confirm-device');
    await activeFor(k, confirm.expiresAt - k.clock.now() - 1);
    k.clock.advance(1);
    expect((await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, old) })).code).toBe('qr_expired');
    const snap = at(await k.call('getSnapshot'), 'scan-qr');
    expect(snap.expiresAt).toBe(k.clock.now() + 300_000);
  });
});

describe('confirm-device', () => {
  async function atConfirm(): Promise<string> {
    await fresh();
    const secret = await toScanQr(k);
    at(await k.call('next'), 'confirm-device');
    return secret;
  }

  it('accepts the code of the previous and the next time step (±1) but not two steps away', async () => {
    for (const steps of [-1, 1]) {
      const secret = await atConfirm();
      at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, steps) }), 'registered');
      k.close();
    }
    const secret = await atConfirm();
    const e = await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, 2) });
    expect(e.code).toBe('clock_offset');
  });

  it('reports a phone clock off by about N minutes, refuses the code and logs the offset in seconds', async () => {
    const secret = await atConfirm();
    expect(await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, -6) })).toEqual({
      code: 'clock_offset',
      params: { minutes: 3, seconds: -180, attemptsLeft: 4 },
    });
    const logged = query<{ code: string; details: string }>(
      k.dataDir,
      "SELECT code, details FROM events WHERE code = 'clock_offset'",
    );
    expect(JSON.parse(logged[0]?.details ?? '{}')).toMatchObject({ seconds: -180 });
    // Beyond ±10 steps it is just a wrong code.
    expect((await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, 11) })).code).toBe('code_wrong');
  });

  it('tells the attempts left on a wrong PIN and locks the device at the fifth, ending the session as locked', async () => {
    const secret = await atConfirm();
    const code = await phoneCode(k, secret);
    for (const left of [4, 3, 2, 1]) {
      expect(await k.refused('confirmDevice', { pin: '9713', code })).toEqual({
        code: 'pin_wrong',
        params: { attemptsLeft: left },
      });
    }
    expect(await k.refused('confirmDevice', { pin: '9713', code })).toEqual({
      code: 'device_locked',
      params: { reason: 'pin' },
    });
    at(await k.call('getSnapshot'), 'welcome');
    expect(query(k.dataDir, 'SELECT outcome FROM sessions')).toEqual([{ outcome: 'locked' }]);
    expect(query(k.dataDir, 'SELECT status, secret_box FROM devices')).toEqual([{ status: 'locked', secret_box: null }]);
    // Next time the agent is recognised with a device locked by wrong PINs: it takes no PIN any more, and
    // nothing but a supervisor removes it (else five more guesses, then a stranger's phone in their name).
    await k.call('start', { language: 'fr' });
    expect(at(await k.call('identify', { email: EMAIL }), 'identify').returning).toEqual({
      email: EMAIL,
      locked: true,
      askSupervisor: true,
      verified: false,
      deviceName: null,
    });
    expect((await k.refused('giveDevicePin', { pin: PIN_OK })).code).toBe('device_locked_ask_supervisor');
    expect((await k.refused('chooseReturning', { choice: 'remove-device' })).code).toBe('not_allowed_in_step');
    expect(query(k.dataDir, 'SELECT status FROM devices')).toEqual([{ status: 'locked' }]);
  });

  it('counts wrong PINs in a row only: a right PIN resets the count', async () => {
    const secret = await atConfirm();
    for (let i = 0; i < 4; i++) await k.refused('confirmDevice', { pin: '9713', code: '000000' });
    expect((await k.refused('confirmDevice', { pin: PIN_OK, code: '000000' })).code).toBe('code_wrong');
    expect(await k.refused('confirmDevice', { pin: '9713', code: '000000' })).toEqual({
      code: 'pin_wrong',
      params: { attemptsLeft: 4 },
    });
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'registered');
  });

  it('locks the device after five wrong codes in a row', async () => {
    await atConfirm();
    for (const left of [4, 3, 2, 1]) {
      expect(await k.refused('confirmDevice', { pin: PIN_OK, code: '000000' })).toEqual({
        code: 'code_wrong',
        params: { attemptsLeft: left },
      });
    }
    expect((await k.refused('confirmDevice', { pin: PIN_OK, code: '000000' })).code).toBe('device_locked');
    expect(query(k.dataDir, 'SELECT outcome FROM sessions')).toEqual([{ outcome: 'locked' }]);
  });

  it('refuses a code that is not 6 digits without counting it', async () => {
    const secret = await atConfirm();
    for (let i = 0; i < 6; i++) expect((await k.refused('confirmDevice', { pin: PIN_OK, code: '12345' })).code).toBe('code_format');
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'registered');
  });

  it('shows the registered device with its time', async () => {
    await fresh();
    await enrol(k);
    expect(at(await k.call('getSnapshot'), 'registered')).toMatchObject({ deviceName: 'phone-1', registeredAt: k.clock.now() });
  });
});

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
    expect(done.helpAddress).toBe(
      'https://trusted-digital-identity.europa.eu/eu-login-help/how-can-i-add-mobile-device-my-eu-login-account_en',
    );
    expect(done.helpQrSvg).toBe(await qrSvg(done.helpAddress));
  });
});

describe('secrets and training mode', () => {
  it('keeps the TOTP secret encrypted: the raw database file never contains it', async () => {
    await fresh();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    await k.call('next');
    k.close(true);
    const { readFileSync, existsSync } = await import('node:fs');
    for (const file of ['kiosk.db', 'kiosk.db-wal']) {
      const path = `${k.dataDir}/${file}`;
      if (!existsSync(path)) continue;
      const raw = readFileSync(path);
      expect(raw.includes(secret)).toBe(false);
      expect(raw.includes(Buffer.from(secret.toLowerCase()))).toBe(false);
    }
    // ...but the agent's later sign-in still works: it was sealed, not lost.
    k = await openTestKiosk(k.dataDir, k.clock);
    await asReturning(k);
    await k.call('chooseReturning', { choice: 'test-sign-in' });
    await k.call('chooseSignInMethod', { method: 'pin' });
    k.clock.advance(30_000);
    at(await k.call('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'done');
  });

  it('training mode never stores the trainee, the device or the secret, and erases the device at session end', async () => {
    await fresh();
    setSettings(k.dataDir, { mode: 'training' });
    const { secret } = await enrol(k, 'Jeanne');
    await testWithPin(k, secret);
    await k.call('next');
    expect(query(k.dataDir, 'SELECT count(*) AS n FROM agents')).toEqual([{ n: 0 }]);
    expect(query(k.dataDir, 'SELECT count(*) AS n FROM devices')).toEqual([{ n: 0 }]);
    expect(query(k.dataDir, 'SELECT mode, agent_id, outcome FROM sessions')).toEqual([
      { mode: 'training', agent_id: null, outcome: 'completed' },
    ]);
    expect(query(k.dataDir, "SELECT count(*) AS n FROM events WHERE type = 'training_device_erased'")).toEqual([{ n: 1 }]);
    const { readFileSync } = await import('node:fs');
    const raw = Buffer.concat([readFileSync(`${k.dataDir}/kiosk.db`), readFileSync(`${k.dataDir}/kiosk.db-wal`)]);
    expect(raw.includes(secret)).toBe(false);
    expect(raw.includes('Jeanne')).toBe(false);
    // The same trainee again is a stranger: nothing of the device remains.
    await k.call('start', { language: 'fr' });
    at(await k.call('identify', { email: 'Jeanne' }), 'prepare-phone');
    await k.call('next');
    at(await k.call('addDevice', { deviceName: 'phone-1', pin: PIN_OK, pinConfirm: PIN_OK }), 'scan-qr');
  });
});

describe('training without a name', () => {
  it('labels the key with a neutral account name, never an empty one', async () => {
    await fresh();
    setSettings(k.dataDir, { mode: 'training' });
    const secret = await toScanQr(k, '');
    expect(at(await k.call('getSnapshot'), 'scan-qr').qrSvg).toBe(await qrSvg(keyUri('EU Login', 'formation', secret)));
  });
});

describe('the station clock going back', () => {
  it('logs a jump back of more than a minute when the next session starts, and nothing for small steps', async () => {
    await fresh();
    await k.call('start', { language: 'fr' });
    await k.call('cancel');
    k.clock.advance(-30_000);
    await k.call('start', { language: 'fr' });
    await k.call('cancel');
    expect(query(k.dataDir, "SELECT * FROM events WHERE type = 'clock_jumped_back'")).toEqual([]);
    k.clock.advance(-3_600_000);
    await k.call('start', { language: 'fr' });
    const jumps = query<{ details: string; session_id: number | null }>(k.dataDir, "SELECT details, session_id FROM events WHERE type = 'clock_jumped_back'");
    expect(jumps).toEqual([{ details: JSON.stringify({ seconds: 3600 }), session_id: null }]);
  });
});

describe('the engine is the only clock', () => {
  it('computes codes with the station time passed in', async () => {
    await fresh();
    const secret = await toScanQr(k);
    await k.call('next');
    k.clock.advance(120_000);
    // A code for the real wall clock would be wrong here: only the fake clock counts.
    const code = await totp(secret, Math.floor(k.clock.now() / 1000));
    at(await k.call('confirmDevice', { pin: PIN_OK, code }), 'registered');
  });
});

describe('faults', () => {
  it('ends the session as failed on an unexpected fault and goes back to a clean welcome', async () => {
    let calls = 0;
    // The key store answers at open, then fails (a keychain gone away) when the device is to be sealed.
    const keyStore = {
      getKey: async () => {
        calls += 1;
        if (calls > 1) throw new Error('keychain unavailable');
        return Buffer.alloc(32, 1);
      },
    };
    k = await openTestKiosk(undefined, undefined, keyStore);
    await toScanQr(k);
    await k.call('next');
    expect(await k.refused('confirmDevice', { pin: PIN_OK, code: '123456' })).toEqual({ code: 'internal', params: {} });
    expect(k.internalErrors).toHaveLength(1);
    at(await k.call('getSnapshot'), 'welcome');
    expect(query(k.dataDir, 'SELECT outcome FROM sessions')).toEqual([{ outcome: 'failed' }]);
  });
});
