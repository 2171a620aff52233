// Managing a device needs the device: its PIN shows it and its choices; removing it also needs a current code.
import { afterEach, describe, expect, it } from 'vitest';
import { asReturning, enrol, phoneCode } from './flow';
import { at, EMAIL, openTestKiosk, PIN_OK, query, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

const DEVICE = 'pixel-jeanne';
const WRONG_PIN = '9713';

/** Jeanne enrolled a device and walked away; someone else now stands at the station. Returns her secret. */
async function jeanneEnrolled(): Promise<string> {
  k = await openTestKiosk();
  const { secret } = await enrol(k, EMAIL, DEVICE);
  await k.call('cancel');
  k.clock.advance(30_000);
  return secret;
}

const devices = () => query<{ name: string; status: string }>(k.dataDir, 'SELECT name, status FROM devices');
const errors = () => query<{ step: string; code: string }>(k.dataDir, "SELECT step, code FROM events WHERE type = 'error' ORDER BY id");

describe('a returning agent with only an address', () => {
  it('sees no device name in any field of any answer, and can neither test nor remove the device', async () => {
    await jeanneEnrolled();
    await k.call('start', { language: 'fr' });
    const answers = [await k.call('identify', { email: EMAIL }), await k.call('getSnapshot'), await k.call('stillHere')];
    for (const answer of answers) {
      expect(at(answer, 'identify').returning).toMatchObject({ verified: false, deviceName: null });
      expect(JSON.stringify(answer)).not.toContain(DEVICE);
    }
    expect((await k.refused('chooseReturning', { choice: 'remove-device' })).code).toBe('not_allowed_in_step');
    expect((await k.refused('chooseReturning', { choice: 'test-sign-in' })).code).toBe('not_allowed_in_step');
    expect(devices()).toEqual([{ name: DEVICE, status: 'active' }]);
    // Nor by going on to enrol a phone of their own in her name.
    expect((await k.refused('next')).code).toBe('not_allowed_in_step');
  });

  it("counts wrong PINs towards the device's lock, across sessions, and says how many are left", async () => {
    await jeanneEnrolled();
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    for (const left of [4, 3]) {
      expect(await k.refused('giveDevicePin', { pin: WRONG_PIN })).toEqual({ code: 'pin_wrong', params: { attemptsLeft: left } });
    }
    expect((await k.refused('giveDevicePin', { pin: '12' })).code).toBe('pin_format');
    await k.call('cancel');
    // A new session does not start the count again.
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    for (const left of [2, 1]) {
      expect(await k.refused('giveDevicePin', { pin: WRONG_PIN })).toEqual({ code: 'pin_wrong', params: { attemptsLeft: left } });
    }
    expect(await k.refused('giveDevicePin', { pin: WRONG_PIN })).toEqual({ code: 'device_locked', params: { reason: 'pin' } });
    at(await k.call('getSnapshot'), 'welcome');
    expect(devices()).toEqual([{ name: DEVICE, status: 'locked' }]);
    expect(query(k.dataDir, 'SELECT secret_box FROM devices')).toEqual([{ secret_box: null }]);
    expect(query(k.dataDir, 'SELECT outcome FROM sessions ORDER BY id')).toEqual([
      { outcome: 'abandoned' },
      { outcome: 'abandoned' },
      { outcome: 'locked' },
    ]);
    // Each refusal is in the log, at identify.
    expect(errors().slice(-6)).toEqual([
      { step: 'identify', code: 'pin_wrong' },
      { step: 'identify', code: 'pin_wrong' },
      { step: 'identify', code: 'pin_format' },
      { step: 'identify', code: 'pin_wrong' },
      { step: 'identify', code: 'pin_wrong' },
      { step: 'identify', code: 'device_locked' },
    ]);

    // Locked by wrong PINs: no more guesses, only a supervisor removes it.
    await k.call('start', { language: 'fr' });
    expect(at(await k.call('identify', { email: EMAIL }), 'identify').returning).toMatchObject({ locked: true, askSupervisor: true });
    expect((await k.refused('giveDevicePin', { pin: PIN_OK })).code).toBe('device_locked_ask_supervisor');
    expect(devices()).toHaveLength(1);
  });

  it("a right PIN ends a run of wrong ones, as at the device's other PIN checks", async () => {
    await jeanneEnrolled();
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: EMAIL });
    for (let i = 0; i < 4; i += 1) await k.refused('giveDevicePin', { pin: WRONG_PIN });
    at(await k.call('giveDevicePin', { pin: PIN_OK }), 'identify');
    expect(query(k.dataDir, 'SELECT pin_failures FROM devices')).toEqual([{ pin_failures: 0 }]);
  });
});

describe('a returning agent who gave the PIN', () => {
  it('sees the device name and may test the sign-in', async () => {
    await jeanneEnrolled();
    const snap = await asReturning(k);
    expect(snap.returning).toEqual({ email: EMAIL, locked: false, askSupervisor: false, verified: true, deviceName: DEVICE });
    expect(query(k.dataDir, "SELECT step FROM events WHERE type = 'device_pin_given'")).toEqual([{ step: 'identify' }]);
    at(await k.call('chooseReturning', { choice: 'test-sign-in' }), 'test-login');
  });

  it('removes an active device only with a current code from it; a wrong one counts towards its lock', async () => {
    const secret = await jeanneEnrolled();
    await asReturning(k);
    expect((await k.refused('chooseReturning', { choice: 'remove-device' })).code).toBe('code_format');
    const wrong = String((Number(await phoneCode(k, secret)) + 1) % 1_000_000).padStart(6, '0');
    expect(await k.refused('chooseReturning', { choice: 'remove-device', code: wrong })).toEqual({
      code: 'code_wrong',
      params: { attemptsLeft: 4 },
    });
    expect(devices()).toEqual([{ name: DEVICE, status: 'active' }]);
    expect(errors().slice(-2)).toEqual([
      { step: 'identify', code: 'code_format' },
      { step: 'identify', code: 'code_wrong' },
    ]);
    at(await k.call('chooseReturning', { choice: 'remove-device', code: await phoneCode(k, secret) }), 'prepare-phone');
    expect(devices()).toEqual([]);
    expect(query(k.dataDir, "SELECT details FROM events WHERE type = 'device_removed'")).toEqual([{ details: '{"locked":false}' }]);
  });

  it('removes a device locked by wrong codes with its PIN alone: its secret is gone, there is no code to check', async () => {
    k = await openTestKiosk();
    await enrol(k, EMAIL, DEVICE);
    await k.call('next');
    await k.call('chooseSignInMethod', { method: 'pin' });
    for (let i = 0; i < 5; i += 1) await k.refused('signIn', { pin: PIN_OK, code: '000000' });
    expect(devices()).toEqual([{ name: DEVICE, status: 'locked' }]);

    const snap = await asReturning(k);
    expect(snap.returning).toMatchObject({ locked: true, askSupervisor: false, deviceName: DEVICE });
    expect((await k.refused('chooseReturning', { choice: 'test-sign-in' })).code).toBe('device_locked');
    at(await k.call('chooseReturning', { choice: 'remove-device' }), 'prepare-phone');
    expect(devices()).toEqual([]);
  });

  it('Back forgets the PIN given: the device is hidden again', async () => {
    await jeanneEnrolled();
    await asReturning(k);
    const back = at(await k.call('back'), 'identify');
    expect(back.returning).toBeNull();
    const again = at(await k.call('identify', { email: EMAIL }), 'identify');
    expect(again.returning).toMatchObject({ verified: false, deviceName: null });
  });
});
