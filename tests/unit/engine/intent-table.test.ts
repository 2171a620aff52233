// The intent table is what allows an intent: at every step it does not list, each one is refused, logged, and leaves the session as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { INTENTS, type SessionMethod } from '../../../electron/engine/intents/table';
import type { MethodInput } from '../../../shared/contract';
import type { StepId } from '../../../shared/steps';
import { phoneCode } from './flow';
import { at, EMAIL, openTestKiosk, PIN_OK, query, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

/** An input each method's schema accepts, so what refuses it is the step, not the door. */
const INPUTS: { [M in SessionMethod]: MethodInput<M> } = {
  getSnapshot: {},
  startPage: {},
  stillHere: {},
  start: { language: 'fr' },
  identify: { email: EMAIL },
  giveDevicePin: { pin: PIN_OK },
  chooseReturning: { choice: 'test-sign-in' },
  next: {},
  back: {},
  cancel: {},
  timeout: {},
  addDevice: { deviceName: 'phone-1', pin: PIN_OK, pinConfirm: PIN_OK },
  revealSecret: {},
  confirmDevice: { pin: PIN_OK, code: '123456' },
  chooseSignInMethod: { method: 'pin' },
  revealVerificationNumber: {},
  signIn: { pin: PIN_OK, code: '123456' },
  recordRecap: { action: 'asked' },
  saveRecap: {},
};

const METHODS = Object.keys(INPUTS) as SessionMethod[];

/** The methods the table allows only at some steps, with those steps. */
const STEP_BOUND = METHODS.flatMap((method) => {
  const where = INTENTS[method].where;
  return typeof where === 'string' ? [] : [{ method, steps: where }];
});

function errorCount(): number {
  return query<{ n: number }>(k.dataDir, "SELECT count(*) AS n FROM events WHERE type = 'error'")[0]?.n ?? 0;
}

/** Every method the table does not allow at `step` is refused there as not_allowed_in_step, logged, and the step stays. */
async function expectOnlyTableAllows(step: StepId): Promise<void> {
  const before = await k.call('getSnapshot');
  expect(before.step).toBe(step);
  const refusedHere = STEP_BOUND.filter(({ steps }) => !steps.includes(step)).map(({ method }) => method);
  // A session is open: start is refused too.
  if (INTENTS.start.where === 'no-session') refusedHere.push('start');
  for (const method of refusedHere) {
    const errors = errorCount();
    expect(await k.refused(method, INPUTS[method]), method).toEqual({ code: 'not_allowed_in_step', params: { step } });
    expect(errorCount(), method).toBe(errors + 1);
    expect(await k.call('getSnapshot')).toEqual(before);
  }
}

describe('the intent table', () => {
  it('refuses, without a session, every intent that needs one', async () => {
    k = await openTestKiosk();
    for (const { method } of STEP_BOUND) expect((await k.refused(method, INPUTS[method])).code, method).toBe('no_session');
    expect(errorCount()).toBe(0);
  });

  it('refuses, at each step, every intent the table does not allow there, and logs it', async () => {
    k = await openTestKiosk();
    await k.call('start', { language: 'fr' });
    await expectOnlyTableAllows('identify');
    at(await k.call('identify', { email: EMAIL }), 'prepare-phone');
    await expectOnlyTableAllows('prepare-phone');
    at(await k.call('next'), 'add-device');
    await expectOnlyTableAllows('add-device');
    at(await k.call('addDevice', INPUTS.addDevice), 'scan-qr');
    const secret = (at(await k.call('revealSecret'), 'scan-qr').secretGroups ?? []).join('');
    await expectOnlyTableAllows('scan-qr');
    at(await k.call('next'), 'confirm-device');
    await expectOnlyTableAllows('confirm-device');
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'registered');
    await expectOnlyTableAllows('registered');
    at(await k.call('next'), 'test-login');
    await expectOnlyTableAllows('test-login');
    at(await k.call('chooseSignInMethod', { method: 'pin' }), 'test-login');
    k.clock.advance(30_000);
    at(await k.call('signIn', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'done');
    await expectOnlyTableAllows('done');
  });
});
