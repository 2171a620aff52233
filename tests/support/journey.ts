// The agent's gestures on the kiosk, step by step, for the end-to-end specs: typed like a person, read from the screen like a phone.
import { expect, type Page } from '@playwright/test';
import { codeFor, parseKeyUri, scanQr, type KeyUri } from './phone';

export const PIN = '2580';

/** The current step, as the app marks its main region. */
export async function expectStep(page: Page, step: string): Promise<void> {
  await expect(page.locator('main')).toHaveAttribute('data-step', step);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
}

export async function expectError(page: Page, code: string): Promise<void> {
  await expect(page.getByTestId('error').first()).toHaveAttribute('data-code', code);
}

/** welcome -> identify -> (new agent) prepare-phone. */
export async function identify(page: Page, email: string): Promise<void> {
  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await submitEmail(page, email);
}

/** identify: types an address and submits it. */
export async function submitEmail(page: Page, email: string): Promise<void> {
  await page.getByTestId('email').fill(email);
  await page.getByTestId('submit').click();
}

/** confirm-device, or test-login by PIN: types the PIN and a code and submits them. */
export async function submitPinAndCode(page: Page, pin: string, code: string): Promise<void> {
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('code').fill(code);
  await page.getByTestId('submit').click();
}

/** identify, returning agent: types the device's PIN, which shows the device and its choices. */
export async function giveDevicePin(page: Page, pin = PIN): Promise<void> {
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('submit').click();
  await page.getByTestId('returning-device').waitFor();
}

export async function addDevice(page: Page, deviceName: string, pin = PIN, confirm = pin): Promise<void> {
  await page.getByTestId('device-name').fill(deviceName);
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('pin-confirm').fill(confirm);
  await page.getByTestId('submit').click();
}

/** welcome -> scan-qr for a new agent. */
export async function toScanQr(page: Page, email: string, deviceName: string, pin = PIN): Promise<void> {
  await identify(page, email);
  await expectStep(page, 'prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await addDevice(page, deviceName, pin);
  await expectStep(page, 'scan-qr');
}

/** The phone scans the enrolment QR on the screen. */
export async function scanEnrolmentQr(page: Page): Promise<KeyUri> {
  return parseKeyUri(await scanQr(page.getByTestId('qr')));
}

/** The time step a code was computed for, so a test can ask for the next, fresh one (replays are refused). */
export function currentStep(): number {
  return Math.floor(Date.now() / 30_000);
}

export function codeAtStep(key: KeyUri, step: number): string {
  return codeFor(key, step * 30);
}

/** scan-qr -> registered, returns the time step of the code used. */
export async function confirmDevice(page: Page, key: KeyUri, pin = PIN): Promise<number> {
  await page.getByTestId('next').click();
  await expectStep(page, 'confirm-device');
  const step = currentStep();
  await submitPinAndCode(page, pin, codeAtStep(key, step));
  await expectStep(page, 'registered');
  return step;
}

/** welcome -> registered for a new agent: the key the phone scanned and the time step of the code it gave. */
export async function registerDevice(page: Page, email: string, deviceName: string): Promise<{ key: KeyUri; step: number }> {
  await toScanQr(page, email, deviceName);
  const key = await scanEnrolmentQr(page);
  const step = await confirmDevice(page, key);
  return { key, step };
}

/** Cancel, confirmed in the dialog: the session ends and the kiosk is back at welcome. */
export async function cancelSession(page: Page): Promise<void> {
  await page.getByTestId('cancel').click();
  await page.getByTestId('cancel-dialog').getByRole('button').last().click();
  await expectStep(page, 'welcome');
}

/** test-login by QR: types the verification number the phone shows and a code, and submits them. */
export async function submitVerification(page: Page, verificationNumber: string, code: string): Promise<void> {
  await page.getByTestId('verification-number').fill(verificationNumber);
  await page.getByTestId('code').fill(code);
  await page.getByTestId('submit').click();
}

/** Reads the verification number from the sign-in request QR, as any QR reader on the phone shows it. */
export async function scanSignInRequest(page: Page): Promise<{ text: string; verificationNumber: string }> {
  const text = await scanQr(page.getByTestId('qr'));
  // The request is written in the session's language.
  const match = /(?:Verification number|Numéro de vérification)\s?: (\d{2})/u.exec(text);
  if (!match?.[1]) throw new Error(`no verification number in the request QR: ${text}`);
  return { text, verificationNumber: match[1] };
}
