// Dashboard figures equal what a scripted set of sessions, driven through the real engine handlers, produced.
import { afterEach, describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../../shared/steps';
import { at, EMAIL, openTestKiosk, PIN_OK, query, T0, type TestKiosk } from '../engine/harness';
import { activeFor, enrol, phoneCode, testWithPin, toScanQr } from '../engine/flow';
import { PASSPHRASE, setUpAndOpen, sup } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

/** A completed session lasting `seconds` in all (the PIN test takes 30 s of it). */
async function completed(email: string, seconds: number): Promise<void> {
  const { secret } = await enrol(k, email);
  await testWithPin(k, secret);
  // The agent reads the done screen that long (still there, so the idle expiry does not end it first).
  await activeFor(k, (seconds - 30) * 1000);
  at(await k.call('next'), 'welcome');
}

/** The scripted day: 2 completed, 2 abandoned, 1 timed out, 1 locked, plus 1 completed the day before. */
async function scriptedSessions(): Promise<void> {
  k.clock.set(T0 - 86_400_000);
  await completed('hier@agriculture.gouv.fr', 400);
  k.clock.set(T0);

  await completed(EMAIL, 90);
  k.clock.advance(60_000);
  await completed('luc.petit@agriculture.gouv.fr', 180);

  // Abandoned at identify after a malformed address.
  await k.call('start', { language: 'fr' });
  await k.refused('identify', { email: 'jeanne.martin@' });
  await k.call('cancel');

  // Timed out at add-device after PINs that differ.
  await k.call('start', { language: 'en' });
  await k.call('identify', { email: 'anne.durand@agriculture.gouv.fr' });
  await k.call('next');
  await k.refused('addDevice', { deviceName: 'phone', pin: '2580', pinConfirm: '2581' });
  await k.call('timeout');

  // Locked at confirm-device: five wrong codes in a row.
  const secret = await toScanQr(k, 'paul.blanc@agriculture.gouv.fr');
  await k.call('next');
  for (let i = 0; i < 5; i += 1) await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, 100) });

  // Abandoned once registered, after a phone two minutes fast.
  const secret2 = await toScanQr(k, 'zoe.bernard@agriculture.gouv.fr');
  await k.call('next');
  expect((await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret2, 4) })).code).toBe('clock_offset');
  at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret2) }), 'registered');
  await k.call('cancel');
  // The scripted day took longer than the console's 2 idle minutes: the supervisor opens it again.
  await sup(k, 'openConsole', { passphrase: PASSPHRASE });
}

describe('dashboard', () => {
  it('counts today’s sessions by outcome, with the completion rate and the median duration', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await scriptedSessions();
    const today = await sup(k, 'getDashboard', { range: 'today' });
    expect(today).toMatchObject({
      sessions: 6,
      completed: 2,
      abandoned: 2,
      timedOut: 1,
      locked: 1,
      failed: 0,
      inProgress: 0,
      training: 0,
      completionRate: 2 / 6,
      medianDurationMs: 135_000,
    });
    const week = await sup(k, 'getDashboard', { range: '7d' });
    expect(week).toMatchObject({ sessions: 7, completed: 3, medianDurationMs: 180_000 });
    expect((await sup(k, 'getDashboard', { range: 'all' })).sessions).toBe(7);
  });

  it('draws the funnel from the furthest step each session reached', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await scriptedSessions();
    const { funnel } = await sup(k, 'getDashboard', { range: 'today' });
    expect(funnel.map((f) => f.step)).toEqual([...STEP_IDS]);
    expect(Object.fromEntries(funnel.map((f) => [f.step, f.reached]))).toEqual({
      welcome: 6,
      identify: 6,
      'prepare-phone': 5,
      'add-device': 5,
      'scan-qr': 4,
      'confirm-device': 4,
      registered: 3,
      'test-login': 2,
      done: 2,
    });
  });

  it('lists the top error codes and the difficulties by step, from the logged refusals', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await scriptedSessions();
    const today = await sup(k, 'getDashboard', { range: 'today' });
    expect(today.topErrors).toEqual([
      { code: 'code_wrong', count: 4 },
      { code: 'clock_offset', count: 1 },
      { code: 'device_locked', count: 1 },
      { code: 'email_invalid', count: 1 },
      { code: 'pin_mismatch', count: 1 },
    ]);
    expect(today.difficulties).toEqual(
      expect.arrayContaining([
        { step: 'confirm-device', code: 'code_wrong', count: 4 },
        { step: 'identify', code: 'email_invalid', count: 1 },
        { step: 'add-device', code: 'pin_mismatch', count: 1 },
      ]),
    );
    // A wrong console passphrase is the supervisor's, not an agent's difficulty.
    await sup(k, 'closeConsole');
    await k.kiosk.handlers.openConsole({ passphrase: 'wrong-passphrase' }).catch(() => undefined);
    await sup(k, 'openConsole', { passphrase: PASSPHRASE });
    expect((await sup(k, 'getDashboard', { range: 'today' })).topErrors.map((e) => e.code)).not.toContain('passphrase_wrong');
  });

  it('warns when the median clock offset of recent sign-ins is over a minute, not for one late phone', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await scriptedSessions();
    const calm = await sup(k, 'getDashboard', { range: 'today' });
    expect(calm.clockOffset).toEqual({ medianSeconds: 0, samples: 6, warning: false, jumpsBack: 0, largestJumpSeconds: null });

    // The station's clock is set wrong: every phone now reads 3 minutes "fast".
    for (const email of ['a1@agriculture.gouv.fr', 'a2@agriculture.gouv.fr', 'a3@agriculture.gouv.fr']) {
      const secret = await toScanQr(k, email);
      await k.call('next');
      for (let i = 0; i < 4; i += 1) {
        k.clock.advance(30_000);
        await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, 6) });
      }
      await k.call('cancel');
    }
    await sup(k, 'openConsole', { passphrase: PASSPHRASE });
    const warned = await sup(k, 'getDashboard', { range: 'today' });
    expect(warned.clockOffset).toEqual({ medianSeconds: 180, warning: true, samples: 18, jumpsBack: 0, largestJumpSeconds: null });
  });

  it('warns when the station clock went back, with how far', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await k.call('start', { language: 'fr' });
    await k.call('cancel');
    // Set back by 10 minutes (a bad time server, a dead clock battery): the next session start notices.
    k.clock.advance(-600_000);
    await k.call('start', { language: 'fr' });
    await k.call('cancel');
    await sup(k, 'openConsole', { passphrase: PASSPHRASE });
    const dashboard = await sup(k, 'getDashboard', { range: 'today' });
    expect(dashboard.clockOffset).toMatchObject({ jumpsBack: 1, largestJumpSeconds: 600 });
  });

  it('counts training sessions too, anonymously', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k, { mode: 'training' });
    const { secret } = await enrol(k, 'Jeanne');
    await testWithPin(k, secret);
    await k.call('next');
    const today = await sup(k, 'getDashboard', { range: 'today' });
    expect(today).toMatchObject({ sessions: 1, completed: 1, training: 1 });
    expect(query(k.dataDir, 'SELECT count(*) AS n FROM agents')).toEqual([{ n: 0 }]);
  });
});
