// Training mode end to end: switched on in the console, a trainee enrols and signs in, and nothing of them stays on disk.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../support/kiosk';
import { addDevice, codeAtStep, confirmDevice, expectStep, scanEnrolmentQr } from '../support/journey';
import { openConsole } from './supervisor-helpers';

/** The log's files as a copy of the data folder would hold them. */
function rawLog(dataDir: string): Buffer {
  const parts = ['kiosk.db', 'kiosk.db-wal'].map((name) => join(dataDir, name)).filter((path) => existsSync(path));
  return Buffer.concat(parts.map((path) => readFileSync(path)));
}

test('a trainee leaves no name, no device and no secret in the log, and the dashboard still counts the session', async ({
  kiosk: { page, dataDir },
}) => {
  await openConsole(page);
  await page.getByTestId('console-tab-settings').click();
  await page.getByLabel('Entraînement').check();
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await page.getByTestId('console-close').click();
  await expect(page.locator('.brand-station .badge')).toBeVisible();

  await page.getByTestId('start').click();
  await expectStep(page, 'identify');
  await page.getByTestId('first-name').fill('Bérénice');
  await page.getByTestId('submit').click();
  await expectStep(page, 'prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await addDevice(page, 'tel-formation');
  await expectStep(page, 'scan-qr');
  const key = await scanEnrolmentQr(page);
  const step = await confirmDevice(page, key);
  await page.getByTestId('next').click();
  await expectStep(page, 'test-login');
  await page.getByTestId('method-pin').click();
  await page.getByTestId('pin').fill('2580');
  // The next time step's code: the one used to confirm is refused as a replay.
  await page.getByTestId('code').fill(codeAtStep(key, step + 1));
  await page.getByTestId('submit').click();
  await expectStep(page, 'done');
  await page.getByTestId('finish').click();
  await expectStep(page, 'welcome');

  const raw = rawLog(dataDir);
  expect(key.secret).toMatch(/^[A-Z2-7]{16,}$/);
  expect(raw.includes(key.secret)).toBe(false);
  expect(raw.includes('Bérénice')).toBe(false);
  expect(raw.includes('tel-formation')).toBe(false);

  await openConsole(page);
  await expect(page.locator('[data-figure="completed"] dd')).toHaveText('1');
  await expect(page.locator('.funnel-value[data-step="done"]')).toHaveText('1');
});
