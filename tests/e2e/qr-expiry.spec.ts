// When the enrolment QR runs out, a new one replaces it on screen by itself, and a code from the old one no longer works.
import { expect, test } from '../support/kiosk';
import { callApi } from '../support/api';
import { E2E_PASSPHRASE } from '../support/kiosk';
import { PIN, codeAtStep, currentStep, expectError, expectStep, scanEnrolmentQr, toScanQr } from '../support/journey';

test('an expired QR is replaced automatically and its key is dead', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'arranged through the browser shell API');
  if (shell === null) return;
  test.setTimeout(150_000);
  // The supervisor shortens the QR validity to its minimum (60 s), as the settings screen allows.
  expect(await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE })).toMatchObject({ ok: true });
  expect(await callApi(shell, 'updateSettings', { qrValiditySeconds: 60 })).toMatchObject({ ok: true });
  await callApi(shell, 'closeConsole');

  await toScanQr(page, 'yves.garnier@agriculture.gouv.fr', 'Nokia-G22');
  const first = await scanEnrolmentQr(page);
  await expect(page.getByTestId('qr-countdown')).toContainText(/1:00|0:5\d/);

  // Waits on what the screen shows: a QR holding another key, once the countdown has run out.
  await expect
    .poll(async () => (await scanEnrolmentQr(page).catch(() => first)).secret, { timeout: 90_000, intervals: [2_000] })
    .not.toBe(first.secret);
  const second = await scanEnrolmentQr(page);
  await expect(page.getByTestId('qr-countdown')).toContainText(/[01]:\d\d/);

  await page.getByTestId('next').click();
  await expectStep(page, 'confirm-device');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('code').fill(codeAtStep(first, currentStep()));
  await page.getByTestId('submit').click();
  await expectError(page, 'code_wrong');

  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('code').fill(codeAtStep(second, currentStep()));
  await page.getByTestId('submit').click();
  await expectStep(page, 'registered');
});
