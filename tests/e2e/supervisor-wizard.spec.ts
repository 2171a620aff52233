// The first-run wizard: a fresh station shows only the wizard, refuses a short passphrase, then opens for agents.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../support/kiosk';

test.use({ kioskSetup: 'wizard' });

test('a fresh station shows only the wizard, which sets the station up', async ({ kiosk: { page } }) => {
  await expect(page.getByTestId('first-run')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mise en service de la borne');
  await expect(page.getByTestId('start')).toHaveCount(0);
  // The console needs the passphrase the wizard sets: the shortcut does nothing yet.
  await page.keyboard.press('Control+Alt+KeyS');
  await expect(page.getByTestId('console')).toHaveCount(0);

  await page.getByLabel('Nom de la borne').fill('PIF Sète – salle 2');
  await page.getByLabel('Phrase de passe superviseur').fill('court');
  await page.getByLabel('Confirmez la phrase de passe').fill('court');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('setup-error')).toHaveAttribute('data-code', 'passphrase_too_short');

  await page.getByLabel('Phrase de passe superviseur').fill('Une phrase assez longue');
  await page.getByLabel('Confirmez la phrase de passe').fill('Une phrase assez longue!');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('setup-error')).toHaveAttribute('data-code', 'passphrase_mismatch');

  await page.getByLabel('Phrase de passe superviseur').fill('Une phrase assez longue');
  await page.getByLabel('Confirmez la phrase de passe').fill('Une phrase assez longue');
  await page.getByLabel('Entraînement').check();
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByTestId('setup-submit').click();

  await expect(page.getByTestId('start')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('.brand-station')).toContainText('PIF Sète – salle 2');
  await expect(page.locator('.brand-station .badge')).toBeVisible();
});

test('the wizard passes axe (WCAG 2.2 AA), refusal shown', async ({ kiosk: { page } }) => {
  await expect(page.getByTestId('first-run')).toBeVisible();
  await page.getByTestId('setup-submit').click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
});
