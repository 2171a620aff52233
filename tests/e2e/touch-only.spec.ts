// A station with a touch screen and no keyboard: the agent's text fields are typed on the on-screen keyboard alone,
// and a QR that expires while the agent confirms says what to do with the dead entry in the app.
import type { Page } from '@playwright/test';
import { callApi } from '../support/api';
import { codeAtStep, currentStep, expectError, expectStep, PIN, scanEnrolmentQr } from '../support/journey';
import { E2E_PASSPHRASE, expect, test, type ShellProcess } from '../support/kiosk';

async function setTouchOnly(shell: ShellProcess, settings: Record<string, unknown> = {}): Promise<void> {
  await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE });
  const result = await callApi(shell, 'updateSettings', { hasKeyboard: false, allowedDomains: ['agriculture.gouv.fr'], ...settings });
  expect(result.ok).toBe(true);
  await callApi(shell, 'closeConsole');
}

/** Touches each key of `text` on the on-screen keyboard (a tap: no key reaches the page's keyboard). */
async function touchKeys(page: Page, text: string): Promise<void> {
  const keyboard = page.getByTestId('on-screen-keyboard');
  for (const key of text) await keyboard.locator(`[data-key="${key}"]`).tap();
}

/** The digits of a PIN or code on the numeric keypad, by touch. */
async function touchDigits(page: Page, digits: string): Promise<void> {
  const keypad = page.getByTestId('keypad');
  for (const digit of digits) await keypad.getByRole('button', { name: digit, exact: true }).tap();
}

test.use({ hasTouch: true });

test('a touch-only station completes the journey with the on-screen keyboard alone', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'settings are set over the browser shell');
  if (!shell) return;
  await setTouchOnly(shell);
  await page.reload();
  await page.getByTestId('start').tap();
  await expectStep(page, 'identify');
  const keyboard = page.getByTestId('on-screen-keyboard');
  await expect(keyboard).toBeVisible();
  await expect(keyboard).toHaveAttribute('role', 'group');
  // AZERTY in French: the second row starts with a, z.
  await expect(keyboard.locator('.osk-row').nth(1).locator('button').first()).toHaveText('a');
  await touchKeys(page, 'camille.roux');
  await keyboard.locator('[data-key="@agriculture.gouv.fr"]').tap();
  await expect(page.getByTestId('email')).toHaveValue('camille.roux@agriculture.gouv.fr');
  await page.getByTestId('submit').tap();
  await expectStep(page, 'prepare-phone');
  await page.getByTestId('next').tap();
  await expectStep(page, 'add-device');
  // The name first, on letters; then the PIN fields, touched, take the digits.
  await touchKeys(page, 'tel-pro');
  await expect(page.getByTestId('device-name')).toHaveValue('tel-pro');
  await page.getByTestId('pin').tap();
  await touchDigits(page, PIN + PIN);
  await expect(page.getByTestId('pin-confirm')).toHaveValue(PIN);
  await page.getByTestId('submit').tap();
  await expectStep(page, 'scan-qr');
  const key = await scanEnrolmentQr(page);
  await page.getByTestId('next').tap();
  await expectStep(page, 'confirm-device');
  await expect(page.getByTestId('pin-on-phone')).toBeVisible();
  await page.getByTestId('pin').tap();
  await touchDigits(page, PIN + codeAtStep(key, currentStep()));
  await page.getByTestId('submit').tap();
  await expectStep(page, 'registered');
});

test('the on-screen keyboard is QWERTY in English and the station with a keyboard shows none', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'settings are set over the browser shell');
  if (!shell) return;
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await expect(page.getByTestId('on-screen-keyboard')).toHaveCount(0);
  await setTouchOnly(shell);
  await page.reload();
  await page.getByRole('button', { name: 'English' }).tap();
  await page.getByTestId('start').tap();
  await expectStep(page, 'identify');
  await expect(page.getByTestId('on-screen-keyboard').locator('.osk-row').nth(1).locator('button').first()).toHaveText('q');
  // A physical keyboard, if one is plugged in after all, types into the same field.
  await page.getByTestId('email').pressSequentially('x');
  await touchKeys(page, 'y');
  await expect(page.getByTestId('email')).toHaveValue('xy');
});

test('an accented device name is offered without its accents, and kept only once accepted', async ({ kiosk: { page } }) => {
  await page.getByTestId('start').click();
  await page.getByTestId('email').fill('camille.roux@agriculture.gouv.fr');
  await page.getByTestId('submit').click();
  await expectStep(page, 'prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await page.getByTestId('device-name').fill('téléphone-pro');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin-confirm').fill(PIN);
  await page.getByTestId('submit').click();
  await expectError(page, 'device_name_accented');
  await expect(page.getByTestId('error').first()).toContainText('telephone-pro');
  await page.getByTestId('use-suggestion').click();
  await expect(page.getByTestId('device-name')).toHaveValue('telephone-pro');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin-confirm').fill(PIN);
  await page.getByTestId('submit').click();
  await expectStep(page, 'scan-qr');
});

test('a QR that expires while the agent confirms says what to do with the dead entry', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'settings are set over the browser shell');
  if (!shell) return;
  await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE });
  expect((await callApi(shell, 'updateSettings', { qrValiditySeconds: 60 })).ok).toBe(true);
  await callApi(shell, 'closeConsole');
  test.setTimeout(150_000);
  await page.reload();
  await page.getByTestId('start').click();
  await page.getByTestId('email').fill('camille.roux@agriculture.gouv.fr');
  await page.getByTestId('submit').click();
  await page.getByTestId('next').click();
  await page.getByTestId('device-name').fill('tel-pro');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('pin-confirm').fill(PIN);
  await page.getByTestId('submit').click();
  await expectStep(page, 'scan-qr');
  await page.getByTestId('next').click();
  await expectStep(page, 'confirm-device');
  // The minute runs out while the agent is on confirm-device: the engine replaces the QR and goes back to scan-qr.
  await expect(page.locator('main')).toHaveAttribute('data-step', 'scan-qr', { timeout: 90_000 });
  await expectError(page, 'qr_expired');
  await expect(page.getByTestId('error').first()).toContainText('supprimez-la');
});
