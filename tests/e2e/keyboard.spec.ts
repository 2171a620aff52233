// The whole session with the keyboard alone: Tab to each control, type, Enter. The phone still reads the QR from the screen.
import type { Page } from '@playwright/test';
import { expect, test } from '../support/kiosk';
import { PIN, codeAtStep, currentStep, expectStep, scanEnrolmentQr, scanSignInRequest } from '../support/journey';

/** Presses Tab until the control is focused, failing if it is not reachable in a reasonable number of presses. */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let presses = 0; presses < 40; presses += 1) {
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    if (focused === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testId} cannot be reached with Tab`);
}

async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  await tabTo(page, testId);
  await page.keyboard.type(text);
}

async function press(page: Page, testId: string): Promise<void> {
  await tabTo(page, testId);
  await page.keyboard.press('Enter');
}

test('an agent completes enrolment and the QR-method sign-in using only the keyboard', async ({ kiosk: { page } }) => {
  await press(page, 'start');
  await expectStep(page, 'identify');
  await typeInto(page, 'email', 'claire.moreau@agriculture.gouv.fr');
  await page.keyboard.press('Enter');
  await expectStep(page, 'prepare-phone');
  await press(page, 'next');
  await expectStep(page, 'add-device');
  await typeInto(page, 'device-name', 'Fairphone-5');
  await typeInto(page, 'pin', PIN);
  await typeInto(page, 'pin-confirm', PIN);
  await page.keyboard.press('Enter');
  await expectStep(page, 'scan-qr');

  const key = await scanEnrolmentQr(page);
  await press(page, 'next');
  await expectStep(page, 'confirm-device');
  const step = currentStep();
  await typeInto(page, 'pin', PIN);
  await typeInto(page, 'code', codeAtStep(key, step));
  await page.keyboard.press('Enter');
  await expectStep(page, 'registered');
  await press(page, 'next');
  await expectStep(page, 'test-login');

  await press(page, 'method-qr');
  const request = await scanSignInRequest(page);
  await typeInto(page, 'verification-number', request.verificationNumber);
  await typeInto(page, 'code', codeAtStep(key, step + 1));
  await page.keyboard.press('Enter');
  await expectStep(page, 'done');
  await press(page, 'finish');
  await expect(page.locator('main')).toHaveAttribute('data-step', 'welcome');
});
