// The guided session through the real engine: the order of the steps, secrets, training mode, the clock, faults; each intent's rules are in intents/.
import { afterEach, describe, expect, it } from 'vitest';
import { keyUri, totp } from '../../../electron/engine/totp';
import { qrSvg } from '../../../electron/engine/qr';
import { asReturning, enrol, phoneCode, testWithPin, toScanQr } from './flow';
import { at, EMAIL, openTestKiosk, PIN_OK, query, setSettings, type TestKiosk } from './harness';
import { STEP_IDS } from '../../../shared/steps';

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
    // Every step after welcome, once each, in the order of the guided session.
    expect(steps).toEqual(STEP_IDS.filter((step) => step !== 'welcome'));
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
    expect(at(await k.call('getSnapshot'), 'scan-qr').qrSvg).toBe(await qrSvg(keyUri("Répétition Poste d'inspection", 'formation', secret)));
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
