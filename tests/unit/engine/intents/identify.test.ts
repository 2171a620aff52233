// The identify intent: the e-mail checks, the roster question, an agent seen before.
import { describe, expect, it } from 'vitest';
import { asReturning, enrol, phoneCode, testWithPin } from '../flow';
import { at, EMAIL, kioskPerTest, PIN_OK, query, setSettings, type TestKiosk } from '../harness';

let k: TestKiosk;
const fresh = kioskPerTest((opened) => (k = opened));

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
    const { openLog } = await import('../../../../electron/store/open');
    const { replaceRoster } = await import('../../../../electron/store/roster');
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
