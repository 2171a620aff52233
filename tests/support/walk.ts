// Walks one agent through every screen of the guided session, calling `visit` on each (and on the views within a step).
import { expect, type Page } from '@playwright/test';
import {
  PIN,
  addDevice,
  cancelSession,
  codeAtStep,
  confirmDevice,
  currentStep,
  expectStep,
  giveDevicePin,
  identify,
  scanEnrolmentQr,
  scanSignInRequest,
  submitEmail,
  submitPinAndCode,
  submitVerification,
} from './journey';
import type { KeyUri } from './phone';

/** Every screen worth looking at: a step id, or a step in a particular state (an error, a dialog, a revealed secret). */
export const VIEWS = [
  'welcome',
  'identify',
  'identify-error',
  'prepare-phone',
  'add-device',
  'add-device-error',
  'add-device-mismatch',
  'scan-qr',
  'scan-qr-secret',
  'confirm-device',
  'confirm-device-pin-wrong',
  'confirm-device-clock',
  'confirm-device-code-wrong',
  'registered',
  'test-login',
  'test-login-qr',
  'test-login-pin',
  'test-login-pin-wrong',
  'test-login-qr-wrong',
  'test-login-qr-revealed',
  'done',
  'done-recap',
  'cancel-dialog',
  'idle-dialog',
  'identify-roster',
  'identify-returning-pin',
  'identify-returning',
  'identify-returning-remove',
  'test-login-locked',
  'identify-returning-locked',
] as const;

export type View = (typeof VIEWS)[number];

/** A refusal the screen shows: waits for the message itself, as the agent would read it. */
async function refusal(page: Page, code: string): Promise<void> {
  await expect(page.getByTestId('error').first()).toHaveAttribute('data-code', code);
}

export async function walkEverySession(page: Page, email: string, visit: (view: View) => Promise<void>): Promise<KeyUri> {
  // Not expectStep: the language switch, just pressed, rightly keeps the focus on welcome.
  await page.locator('main[data-step="welcome"]').waitFor();
  await visit('welcome');
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await visit('identify');
  await submitEmail(page, 'prenom.nom@');
  await page.getByTestId('error').first().waitFor();
  await visit('identify-error');
  await submitEmail(page, email);
  await expectStep(page, 'prepare-phone');
  await visit('prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await visit('add-device');
  await addDevice(page, 'mon telephone', '1234', '1234');
  await page.getByTestId('error').first().waitFor();
  await visit('add-device-error');
  await addDevice(page, 'mon-telephone', '2580', '2581');
  await refusal(page, 'pin_mismatch');
  await visit('add-device-mismatch');
  await page.getByTestId('cancel').click();
  await page.getByTestId('cancel-dialog').waitFor();
  await visit('cancel-dialog');
  await page.keyboard.press('Escape');
  await addDevice(page, 'mon-telephone', PIN);
  await expectStep(page, 'scan-qr');
  await visit('scan-qr');
  const key = await scanEnrolmentQr(page);
  await page.getByTestId('reveal-secret').click();
  await page.getByTestId('secret').waitFor();
  await visit('scan-qr-secret');
  await page.getByTestId('next').click();
  await expectStep(page, 'confirm-device');
  await visit('confirm-device');
  // Each refusal, by the time step its code is off by; -8, a phone four minutes behind the station, gets the clock message.
  for (const [pin, stepsOff, code, view] of [
    ['1357', 0, 'pin_wrong', 'confirm-device-pin-wrong'],
    [PIN, -8, 'clock_offset', 'confirm-device-clock'],
    [PIN, 40, 'code_wrong', 'confirm-device-code-wrong'],
  ] as const) {
    await submitPinAndCode(page, pin, codeAtStep(key, currentStep() + stepsOff));
    await refusal(page, code);
    await visit(view);
  }
  await page.getByTestId('back').click();
  const step = await confirmDevice(page, key);
  await visit('registered');
  await page.getByTestId('next').click();
  await expectStep(page, 'test-login');
  await visit('test-login');
  await page.getByTestId('method-pin').click();
  await page.getByTestId('pin').waitFor();
  await visit('test-login-pin');
  await submitPinAndCode(page, '1357', codeAtStep(key, currentStep()));
  await refusal(page, 'pin_wrong');
  await visit('test-login-pin-wrong');
  await page.getByTestId('other-method').click();
  await page.getByTestId('method-qr').click();
  const request = await scanSignInRequest(page);
  await visit('test-login-qr');
  // The known trap: a wrong verification number's message must not push the code field under the action bar.
  await submitVerification(page, request.verificationNumber === '99' ? '98' : '99', codeAtStep(key, step + 1));
  await page.getByTestId('error').first().waitFor();
  await visit('test-login-qr-wrong');
  await page.getByTestId('reveal-verification-number').click();
  await page.getByTestId('verification-number-revealed').waitFor();
  await visit('test-login-qr-revealed');
  await submitVerification(page, request.verificationNumber, codeAtStep(key, step + 1));
  await expectStep(page, 'done');
  await visit('done');
  await page.getByTestId('recap').click();
  await page.getByTestId('recap-dialog').waitFor();
  await visit('done-recap');
  await page.getByTestId('recap-close').click();
  return key;
}

/**
 * The states a second visit brings, after walkEverySession enrolled `email` (whose key is `key`): the idle
 * dialog (the page's clock must be installed), a roster warning, the returning agent, and a device locked
 * by wrong PINs. `loadRoster` puts a roster on the station that does not list the address typed first.
 */
export async function walkReturningAgent(
  page: Page,
  language: 'fr' | 'en',
  email: string,
  loadRoster: () => Promise<void>,
  visit: (view: View) => Promise<void>,
): Promise<void> {
  await page.getByTestId('finish').click();
  await expectStep(page, 'welcome');
  await loadRoster();
  // A new session starts in the station's language: the agent picks theirs again.
  if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await page.clock.fastForward('02:01');
  await page.getByTestId('idle-dialog').waitFor();
  await visit('idle-dialog');
  await page.keyboard.press('Shift');
  await expect(page.getByTestId('idle-dialog')).toBeHidden();
  await submitEmail(page, 'agent.absent.de.la.liste@agriculture.gouv.fr');
  await refusal(page, 'email_not_on_roster');
  await visit('identify-roster');
  // The same agent comes back: the device's PIN first, then the device and its choices, then removal's code.
  await submitEmail(page, email);
  await page.getByTestId('pin').waitFor();
  await visit('identify-returning-pin');
  await giveDevicePin(page);
  await visit('identify-returning');
  await page.getByTestId('returning-remove').click();
  await page.getByTestId('code').waitFor();
  await visit('identify-returning-remove');
  await cancelSession(page);
  if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
  await identify(page, email);
  await giveDevicePin(page);
  await page.getByTestId('returning-test').click();
  await expectStep(page, 'test-login');
  await page.getByTestId('method-pin').click();
  // Wrong PINs until the device locks (earlier wrong PINs of this walk may count towards the limit).
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.getByTestId('pin').fill('1357');
    await page.getByTestId('code').fill('123456');
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('error').first()).toHaveAttribute('data-code', /^(pin_wrong|device_locked)$/);
    if ((await page.getByTestId('error').first().getAttribute('data-code')) === 'device_locked') break;
    await expect(page.getByTestId('pin')).toHaveValue('');
  }
  await refusal(page, 'device_locked');
  await visit('test-login-locked');
  if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
  await identify(page, email);
  await page.getByTestId('returning-ask-supervisor').waitFor();
  await visit('identify-returning-locked');
}

export { identify };
