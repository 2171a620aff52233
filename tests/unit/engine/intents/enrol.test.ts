// The enrol intents, step by step: add-device (name and PIN), scan-qr (the QR and its expiry), confirm-device (the first code).
import { describe, expect, it } from 'vitest';
import { keyUri } from '../../../../electron/engine/totp';
import { qrSvg } from '../../../../electron/engine/qr';
import { activeFor, enrol, phoneCode, toScanQr } from '../flow';
import { at, EMAIL, kioskPerTest, PIN_OK, query, type TestKiosk } from '../harness';

let k: TestKiosk;
const fresh = kioskPerTest((opened) => (k = opened));

describe('add-device', () => {
  async function atAddDevice() {
    await fresh();
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    at(await k.call('next'), 'add-device');
  }

  it('refuses device names with spaces, other characters, empty or over 30 characters', async () => {
    await atAddDevice();
    for (const deviceName of ['', 'my phone', 'a'.repeat(31), 'phone!', 'tab\there']) {
      expect((await k.refused('addDevice', { deviceName, pin: PIN_OK, pinConfirm: PIN_OK })).code).toBe(
        'device_name_invalid',
      );
    }
    // Accents are refused with the same name without them, shown to the agent before anything is kept.
    expect(await k.refused('addDevice', { deviceName: 'téléphone-pro', pin: PIN_OK, pinConfirm: PIN_OK })).toMatchObject({
      code: 'device_name_accented',
      params: { suggestion: 'telephone-pro' },
    });
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
    expect(snap).toMatchObject({ email: EMAIL, validitySeconds: 300, expiresAt: k.clock.now() + 300_000 });
    const revealed = at(await k.call('revealSecret'), 'scan-qr');
    const groups = revealed.secretGroups ?? [];
    expect(groups).toHaveLength(8);
    for (const g of groups) expect(g).toMatch(/^[A-Z2-7]{4}$/);
    const secret = groups.join('');
    // 32 base32 characters = 160 bits.
    expect(Buffer.from(secret).length * 5).toBe(160);
    expect(revealed.qrSvg).toBe(await qrSvg(keyUri("Répétition Poste d'inspection", EMAIL, secret)));
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
