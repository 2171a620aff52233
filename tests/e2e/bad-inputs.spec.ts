// Every bad input through the screens gets its translated reason, next to the field, and loses nothing else the agent typed.
import { expect, test } from '../support/kiosk';
import { PIN, addDevice, codeAtStep, currentStep, expectError, expectStep, identify, scanEnrolmentQr, toScanQr } from '../support/journey';

test('add-device refuses a name with a space, a PIN mismatch and a common PIN, keeping the name', async ({ kiosk: { page } }) => {
  await identify(page, 'luc.bernard@agriculture.gouv.fr');
  await expectStep(page, 'prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');

  await addDevice(page, 'mon telephone');
  await expectError(page, 'device_name_invalid');
  await expect(page.getByTestId('device-name')).toHaveValue('mon telephone');
  await expect(page.getByTestId('device-name')).toBeFocused();

  await addDevice(page, 'mon-telephone', '2580', '2581');
  await expectError(page, 'pin_mismatch');
  await expect(page.getByTestId('device-name')).toHaveValue('mon-telephone');

  await addDevice(page, 'mon-telephone', '1234');
  await expectError(page, 'pin_too_common');

  // In English the same refusal reads in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('error')).toContainText(/common|guess/i);

  await addDevice(page, 'mon-telephone', PIN);
  await expectStep(page, 'scan-qr');
});

test('a malformed e-mail is refused with its reason and stays in the field', async ({ kiosk: { page } }) => {
  await identify(page, 'jeanne.martin@@agriculture');
  await expectError(page, 'email_invalid');
  await expect(page.getByTestId('email')).toHaveValue('jeanne.martin@@agriculture');
});

test('confirm-device: a wrong code says how many attempts are left, five wrong PINs lock the device', async ({ kiosk: { page } }) => {
  const email = 'marie.petit@agriculture.gouv.fr';
  await toScanQr(page, email, 'Galaxy-A52');
  const key = await scanEnrolmentQr(page);
  await page.getByTestId('next').click();
  await expectStep(page, 'confirm-device');

  const wrongCode = String((Number(codeAtStep(key, currentStep())) + 1) % 1_000_000).padStart(6, '0');
  await page.getByTestId('pin').fill(PIN);
  await page.getByTestId('code').fill(wrongCode);
  await page.getByTestId('submit').click();
  await expectError(page, 'code_wrong');
  await expect(page.getByTestId('error')).toContainText('4');

  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.getByTestId('pin').fill('9731');
    await page.getByTestId('code').fill(codeAtStep(key, currentStep()));
    await page.getByTestId('submit').click();
    await expectError(page, attempt < 5 ? 'pin_wrong' : 'device_locked');
  }

  // Back at the start, the agent is recognised with a device locked by wrong PINs: no more PIN guesses,
  // and only a supervisor may remove it (else anyone could enrol their own phone in this agent's name).
  await expectStep(page, 'welcome');
  await identify(page, email);
  await expect(page.getByTestId('returning-ask-supervisor')).toBeVisible();
  await expect(page.getByTestId('pin')).toHaveCount(0);
  await expect(page.getByTestId('returning-remove')).toHaveCount(0);
  await expect(page.getByTestId('returning-test')).toHaveCount(0);
});
