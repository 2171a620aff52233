// The next person at the station learns nothing of the previous agent: F5 at any step shows welcome, an address shows no device.
import type { Page } from '@playwright/test';
import { expect, test } from '../support/kiosk';
import {
  PIN,
  addDevice,
  cancelSession,
  codeAtStep,
  currentStep,
  expectError,
  expectStep,
  giveDevicePin,
  identify,
  registerDevice,
  toScanQr,
} from '../support/journey';
import { outcomes } from '../support/station-log';

const EMAIL = 'sophie.leroy@agriculture.gouv.fr';
const DEVICE = 'tel-sophie';

/** F5, as the next person would press it: the welcome screen, with nothing of the agent in the page. */
async function reloadShowsWelcome(page: Page): Promise<void> {
  await page.reload();
  await expect(page.locator('main')).toHaveAttribute('data-step', 'welcome');
  const html = await page.content();
  expect(html).not.toContain(EMAIL);
  expect(html).not.toContain(DEVICE);
  // The page's own inputs are empty too (nothing restored by the browser's form memory).
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await expect(page.getByTestId('email')).toHaveValue('');
  await cancelSession(page);
}

test('F5 at every step shows welcome and nothing of the agent, and ends the session as abandoned', async ({ kiosk: { page, dataDir } }) => {
  test.setTimeout(180_000);
  // identify, the address typed but not sent.
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await page.getByTestId('email').fill(EMAIL);
  await reloadShowsWelcome(page);

  await identify(page, EMAIL);
  await expectStep(page, 'prepare-phone');
  await reloadShowsWelcome(page);

  await identify(page, EMAIL);
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await page.getByTestId('device-name').fill(DEVICE);
  await reloadShowsWelcome(page);

  await toScanQr(page, EMAIL, DEVICE);
  await reloadShowsWelcome(page);

  await toScanQr(page, EMAIL, DEVICE);
  await page.getByTestId('next').click();
  await expectStep(page, 'confirm-device');
  await reloadShowsWelcome(page);

  const { key, step } = await registerDevice(page, EMAIL, DEVICE);
  await expect(page.getByTestId('registered-notice')).toContainText(DEVICE);
  await reloadShowsWelcome(page);

  // The same agent back, their device shown once its PIN is given.
  await identify(page, EMAIL);
  await giveDevicePin(page);
  await expect(page.getByTestId('returning-device')).toContainText(DEVICE);
  await reloadShowsWelcome(page);

  await identify(page, EMAIL);
  await giveDevicePin(page);
  await page.getByTestId('returning-test').click();
  await expectStep(page, 'test-login');
  await page.getByTestId('method-pin').click();
  await page.getByTestId('pin').fill(PIN);
  await reloadShowsWelcome(page);

  await identify(page, EMAIL);
  await giveDevicePin(page);
  await page.getByTestId('returning-test').click();
  await page.getByTestId('method-pin').click();
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('code').fill(codeAtStep(key, Math.max(step + 1, currentStep())));
  await page.getByTestId('submit').click();
  await expectStep(page, 'done');
  await reloadShowsWelcome(page);

  // Every reload ended its session (the cancels in between are the checks' own sessions); done stays completed.
  const ends = outcomes(dataDir);
  expect(ends.filter((o) => o === 'abandoned')).toHaveLength(17);
  expect(ends.filter((o) => o === 'completed')).toHaveLength(1);
  expect(ends).not.toContain('null');
});

test('an address alone shows no device and cannot remove it; its owner removes it with the PIN and a current code', async ({
  kiosk: { page },
}) => {
  const { key, step } = await registerDevice(page, EMAIL, DEVICE);
  await cancelSession(page);

  // Someone else types her address: the PIN is asked, nothing of the device is shown or offered.
  await identify(page, EMAIL);
  await expect(page.getByTestId('pin')).toBeVisible();
  expect(await page.content()).not.toContain(DEVICE);
  await expect(page.getByTestId('returning-remove')).toHaveCount(0);
  await page.getByTestId('pin').fill('9731');
  await page.getByTestId('submit').click();
  await expectError(page, 'pin_wrong');
  await expect(page.getByTestId('error')).toContainText('4');
  await expect(page.getByTestId('pin')).toBeFocused();
  expect(await page.content()).not.toContain(DEVICE);
  // In English the same refusal reads in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('error')).toContainText(/wrong pin/i);

  // Sophie herself: her PIN, then "remove", which asks the code her app shows now.
  await giveDevicePin(page);
  await page.getByTestId('returning-remove').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByTestId('code')).toBeVisible();
  const now = Math.max(step + 1, currentStep());
  const wrong = String((Number(codeAtStep(key, now)) + 1) % 1_000_000).padStart(6, '0');
  await page.getByTestId('code').fill(wrong);
  await page.getByTestId('submit').click();
  await expectError(page, 'code_wrong');
  await expect(page.getByTestId('returning-device')).toContainText(DEVICE);
  await page.getByTestId('code').fill(codeAtStep(key, now));
  await page.getByTestId('submit').click();
  await expectStep(page, 'prepare-phone');
  // The name is hers to use again.
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await addDevice(page, DEVICE);
  await expectStep(page, 'scan-qr');
});
