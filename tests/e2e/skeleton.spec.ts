// The walking skeleton as an agent sees it: welcome in French, switch to English, Start, the identify step.
import { expect, test } from '../support/kiosk';

test('the welcome screen starts a session and shows the identify step', async ({ kiosk: { page } }) => {
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('button', { name: 'Commencer' })).toBeVisible();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Start' }).click();

  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeFocused();
  await expect(heading).toContainText(/e-mail/i);
  // The round trip reached the engine: the page no longer offers Start.
  await expect(page.getByRole('button', { name: 'Start' })).toHaveCount(0);
});
