// The whole guided session as an agent with a phone: the QR read from the screen's pixels, codes computed from what it holds.
import { expect, test } from '../support/kiosk';
import {
  PIN,
  cancelSession,
  codeAtStep,
  confirmDevice,
  expectError,
  expectStep,
  giveDevicePin,
  identify,
  registerDevice,
  scanEnrolmentQr,
  scanSignInRequest,
  submitVerification,
  toScanQr,
} from '../support/journey';

test('a new agent enrols a phone and passes the QR-code sign-in, and the page asks nothing of the network', async ({ kiosk: { page } }) => {
  const email = 'jeanne.martin@agriculture.gouv.fr';
  // Offline guarantee: every request of the whole session goes to the kiosk's own origin.
  const origin = new URL(page.url()).origin;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await toScanQr(page, email, 'Pixel-7');

  const key = await scanEnrolmentQr(page);
  expect(key.account).toBe(email);
  expect(key).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });
  // 160-bit secret: 32 base32 characters.
  expect(key.secret).toMatch(/^[A-Z2-7]{32}$/);

  const step = await confirmDevice(page, key);
  await expect(page.getByTestId('registered-notice')).toContainText('Pixel-7');
  await page.getByTestId('next').click();

  await expectStep(page, 'test-login');
  await page.getByTestId('method-qr').click();
  const request = await scanSignInRequest(page);
  expect(request.text).toContain('PIF e2e');
  await expect(page.getByTestId('request-number')).toBeVisible();
  // The next time step: the one of the enrolment was accepted already and would be a replay.
  await submitVerification(page, request.verificationNumber, codeAtStep(key, step + 1));

  await expectStep(page, 'done');
  await expect(page.getByTestId('help-address')).toBeVisible();
  await page.getByTestId('finish').click();
  await expectStep(page, 'welcome');
  await expect(page.getByText(email)).toHaveCount(0);
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
});

test('a returning agent passes the PIN-code sign-in in a second session, and a replayed code is refused', async ({ kiosk: { page } }) => {
  const email = 'paul.durand@agriculture.gouv.fr';
  const { key, step } = await registerDevice(page, email, 'iPhone_SE');
  // The agent walks away after registering: Cancel, confirmed.
  await cancelSession(page);

  await identify(page, email);
  // The same step with other content: the device's PIN first, announced by moving focus to its heading.
  // The address alone shows nothing of the device.
  await expect(page.getByTestId('pin')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByText('iPhone_SE')).toHaveCount(0);
  await expect(page.getByTestId('returning-test')).toHaveCount(0);
  await giveDevicePin(page);
  await expect(page.getByTestId('returning-device')).toContainText('iPhone_SE');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.getByTestId('returning-test').click();
  await expectStep(page, 'test-login');
  await page.getByTestId('method-pin').click();

  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('code').fill(codeAtStep(key, step));
  await page.getByTestId('submit').click();
  await expectError(page, 'code_replayed');

  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('code').fill(codeAtStep(key, step + 1));
  await page.getByTestId('submit').click();
  await expectStep(page, 'done');
});
