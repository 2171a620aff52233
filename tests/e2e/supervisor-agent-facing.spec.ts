// The supervisor sees each phone's clock offset and failed sessions, and sets the attempt limits and the addresses agents get.
import { expect, test } from '../support/kiosk';
import { openConsole, seedSessions } from './supervisor-helpers';

test('the dashboard lists the last clock offsets, refused ones marked, and counts failed sessions', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'seeds sessions over the browser shell API');
  if (!shell) return;
  await seedSessions(shell);
  await openConsole(page);
  await expect(page.locator('[data-figure="failed"]')).toBeVisible();
  const offsets = page.getByTestId('clock-offsets');
  // Zoé's phone was two minutes ahead: refused, and shown even though the median of the day is fine.
  await expect(offsets.locator('tr[data-accepted="false"]').first()).toContainText('+120');
  await expect(offsets.locator('tr[data-accepted="true"]').first()).toBeVisible();
  await expect(offsets).not.toContainText('zoe.bernard');
});

test('attempt limits and the agents’ addresses are saved from the settings, beside the assumptions note', async ({ kiosk: { page } }) => {
  await openConsole(page);
  await page.getByTestId('console-tab-settings').click();
  const assumptions = page.getByTestId('assumptions');
  await assumptions.getByLabel('Codes PIN erronés avant blocage').fill('3');
  await page.getByLabel('Assistance (adresse e-mail)').fill('assistance-2fa@agriculture.gouv.fr');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(assumptions).toContainText(/codes PIN\s:\s3\b/);
  await page.getByLabel('Assistance (adresse e-mail)').fill('pas une adresse');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('console-error')).toBeVisible();
  await page.getByTestId('console-tab-dashboard').click();
  await page.getByTestId('console-tab-settings').click();
  await expect(page.getByLabel('Assistance (adresse e-mail)')).toHaveValue('assistance-2fa@agriculture.gouv.fr');
});
