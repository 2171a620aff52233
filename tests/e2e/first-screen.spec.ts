// The first screen after a load: drawn once, in the station's language; the other steps' screens come later, and one that cannot be read says out of service.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, completeSetupOverHttp, E2E_SETUP } from '../support/kiosk';
import { REPO_ROOT } from '../support/electron-binary';
import { expectStep } from '../support/journey';

const messages = (path: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'renderer/src/i18n', path), 'utf8')) as { welcome: { title: string }; app: { outOfService: { title: string } } };
const fr = messages('fr.json');
const en = messages('en.json');

test.use({ kioskSetup: 'wizard' });

test('a station set up in English shows its first screen in English, never a French frame before it', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'sets the station up over the browser shell API');
  if (!shell) return;
  await completeSetupOverHttp(shell, { ...E2E_SETUP, language: 'en' });
  // Every heading the page ever draws, from its first mutation on.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { headings: string[] }).headings = seen;
    new MutationObserver(() => {
      for (const h1 of document.querySelectorAll('h1')) if (!seen.includes(h1.textContent ?? '')) seen.push(h1.textContent ?? '');
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.reload();
  await expectStep(page, 'welcome');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.welcome.title);
  expect(await page.evaluate(() => (window as unknown as { headings: string[] }).headings.map((text) => text.trim()))).toEqual([en.welcome.title]);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The other language is one press away, at once.
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.welcome.title);
});

test("a step's screen that cannot be read puts the station out of service instead of an empty step", async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'sets the station up over the browser shell API');
  if (!shell) return;
  await completeSetupOverHttp(shell);
  // A damaged install: the identify screen's chunk is gone.
  await page.route(/\/assets\/Identify-[^/]+\.js$/, (route) => route.fulfill({ status: 404, body: '' }));
  await page.reload();
  await expectStep(page, 'welcome');
  await page.getByTestId('start').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr.app.outOfService.title);
  await expect(page.getByTestId('out-of-service-reason')).toBeVisible();
});
