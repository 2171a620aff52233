// Walks one agent through every screen of the guided session, calling `visit` on each (and on the views within a step).
import type { Page } from '@playwright/test';
import { PIN, addDevice, codeAtStep, confirmDevice, expectStep, giveDevicePin, identify, scanEnrolmentQr, scanSignInRequest } from './journey';

/** A screen worth looking at: a step id, or a step with a particular view of it. */
export type View =
  | 'welcome'
  | 'identify'
  | 'identify-error'
  | 'prepare-phone'
  | 'add-device'
  | 'add-device-error'
  | 'scan-qr'
  | 'scan-qr-secret'
  | 'confirm-device'
  | 'registered'
  | 'test-login'
  | 'test-login-qr'
  | 'test-login-pin'
  | 'done'
  | 'cancel-dialog'
  | 'identify-returning-pin'
  | 'identify-returning'
  | 'identify-returning-remove';

export async function walkEverySession(page: Page, email: string, visit: (view: View) => Promise<void>): Promise<void> {
  // Not expectStep: the language switch, just pressed, rightly keeps the focus on welcome.
  await page.locator('main[data-step="welcome"]').waitFor();
  const language = await page.locator('html').getAttribute('lang');
  await visit('welcome');
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await visit('identify');
  await page.getByTestId('email').fill('prenom.nom@');
  await page.getByTestId('submit').click();
  await page.getByTestId('error').first().waitFor();
  await visit('identify-error');
  await page.getByTestId('email').fill(email);
  await page.getByTestId('submit').click();
  await expectStep(page, 'prepare-phone');
  await visit('prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await visit('add-device');
  await addDevice(page, 'mon telephone', '1234', '1234');
  await page.getByTestId('error').first().waitFor();
  await visit('add-device-error');
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
  await page.getByTestId('back').click();
  const step = await confirmDevice(page, key);
  await visit('registered');
  await page.getByTestId('next').click();
  await expectStep(page, 'test-login');
  await visit('test-login');
  await page.getByTestId('method-pin').click();
  await page.getByTestId('pin').waitFor();
  await visit('test-login-pin');
  await page.getByTestId('other-method').click();
  await page.getByTestId('method-qr').click();
  const request = await scanSignInRequest(page);
  await visit('test-login-qr');
  await page.getByTestId('verification-number').fill(request.verificationNumber);
  await page.getByTestId('code').fill(codeAtStep(key, step + 1));
  await page.getByTestId('submit').click();
  await expectStep(page, 'done');
  await visit('done');
  // The same agent comes back: the device's PIN first, then the device and its choices, then removal's code.
  await page.getByTestId('finish').click();
  await expectStep(page, 'welcome');
  // Welcome is back in the station's language: the agent picks theirs again.
  if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
  await identify(page, email);
  await page.getByTestId('pin').waitFor();
  await visit('identify-returning-pin');
  await giveDevicePin(page);
  await visit('identify-returning');
  await page.getByTestId('returning-remove').click();
  await page.getByTestId('code').waitFor();
  await visit('identify-returning-remove');
}

export { identify };
