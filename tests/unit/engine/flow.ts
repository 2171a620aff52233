// Walks a test kiosk through the guided session the way an agent would, reading the secret only via "Can't scan?".
import { totp } from '../../../electron/engine/totp';
import { at, EMAIL, PIN_OK, type TestKiosk } from './harness';

export interface Enrolled {
  secret: string;
}

/** welcome -> scan-qr, returns the secret as the agent would type it from the revealed groups. */
export async function toScanQr(k: TestKiosk, email = EMAIL, deviceName = 'phone-1', pin = PIN_OK): Promise<string> {
  await k.call('start', { language: 'fr' });
  at(await k.call('identify', { email }), 'prepare-phone');
  at(await k.call('next'), 'add-device');
  at(await k.call('addDevice', { deviceName, pin, pinConfirm: pin }), 'scan-qr');
  const snap = at(await k.call('revealSecret'), 'scan-qr');
  return (snap.secretGroups ?? []).join('');
}

/** The code the agent's phone shows now, offset by `steps` time steps (a phone clock off by steps*30 s). */
export function phoneCode(k: TestKiosk, secret: string, steps = 0): Promise<string> {
  return totp(secret, Math.floor(k.clock.now() / 1000) + steps * 30);
}

/** welcome -> registered. */
export async function enrol(k: TestKiosk, email = EMAIL, deviceName = 'phone-1', pin = PIN_OK): Promise<Enrolled> {
  const secret = await toScanQr(k, email, deviceName, pin);
  at(await k.call('next'), 'confirm-device');
  at(await k.call('confirmDevice', { pin, code: await phoneCode(k, secret) }), 'registered');
  return { secret };
}

/** registered -> done with the PIN method, one time step later so the code is a fresh one. */
export async function testWithPin(k: TestKiosk, secret: string, pin = PIN_OK): Promise<void> {
  at(await k.call('next'), 'test-login');
  at(await k.call('chooseSignInMethod', { method: 'pin' }), 'test-login');
  k.clock.advance(30_000);
  at(await k.call('signIn', { pin, code: await phoneCode(k, secret) }), 'done');
}

/** `count` agents (`<prefix>.<n>@agriculture.gouv.fr`) enrol and test their sign-in, one session each, to done. */
export async function enrolAgents(k: TestKiosk, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const { secret } = await enrol(k, `${prefix}.${i}@agriculture.gouv.fr`, `phone-${i}`);
    await testWithPin(k, secret);
    await k.call('next');
  }
}

/**
 * `ms` go by while the agent stays at the station (a key now and then, forwarded as `stillHere`), so the
 * engine's idle expiry (120 s + 20 s) does not end the session meanwhile.
 */
export async function activeFor(k: TestKiosk, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 60_000) {
    k.clock.advance(Math.min(left, 60_000));
    await k.call('stillHere');
  }
}

/** welcome -> identify as a returning agent whose device's PIN is given: its name and choices are shown. */
export async function asReturning(k: TestKiosk, email = EMAIL, pin = PIN_OK) {
  await k.call('start', { language: 'fr' });
  const asked = at(await k.call('identify', { email }), 'identify');
  if (asked.returning?.verified !== false) throw new Error(`expected the device's PIN to be asked, got ${JSON.stringify(asked.returning)}`);
  return at(await k.call('giveDevicePin', { pin }), 'identify');
}
