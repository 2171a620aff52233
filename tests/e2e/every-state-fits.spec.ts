// Every agent screen in every state fits the kiosk's two screen sizes in both languages: nothing overlaps, nothing is cut,
// nothing lies outside the viewport, nothing scrolls. The console never scrolls sideways at 1366x768.
import { callApi } from '../support/api';
import { expectEverythingFits, horizontalScrollers } from '../support/geometry';
import { E2E_PASSPHRASE, expect, test } from '../support/kiosk';
import { VIEWS, walkEverySession, walkReturningAgent } from '../support/walk';
import { openConsole } from './supervisor-helpers';

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
const ROSTER = 'email;name;service\nclaire.morel@agriculture.gouv.fr;Claire Morel;PIF Roissy\n';

for (const language of ['fr', 'en'] as const) {
  for (const viewport of VIEWPORTS) {
    test(`every agent state fits, ${language}, ${viewport.width}x${viewport.height}`, async ({ kiosk: { page, shell } }) => {
      test.setTimeout(180_000);
      test.skip(shell === null, 'loads a roster through the browser shell API');
      if (!shell) return;
      await page.clock.install();
      await page.reload();
      await page.setViewportSize(viewport);
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
      const email = `claire.morel@agriculture.gouv.fr`;
      const seen: string[] = [];
      const check = async (view: string) => {
        seen.push(view);
        await expectEverythingFits(page, view);
      };
      await walkEverySession(page, email, check);
      await walkReturningAgent(
        page,
        language,
        email,
        async () => {
          expect(await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE })).toMatchObject({ ok: true });
          const csv = Buffer.from(ROSTER, 'utf8').toString('base64');
          expect(await callApi(shell, 'importRoster', { fileName: 'agents.csv', bytesBase64: csv, part: 0, parts: 1 })).toMatchObject({ ok: true });
          await callApi(shell, 'closeConsole');
        },
        check,
      );
      expect([...seen].sort()).toEqual([...VIEWS].sort());
    });
  }
}

test('no console screen scrolls sideways at 1366x768', async ({ kiosk: { page } }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openConsole(page);
  const tabs = page.locator('[data-testid^="console-tab-"]');
  const count = await tabs.count();
  expect(count).toBeGreaterThan(3);
  for (let i = 0; i < count; i += 1) {
    const tab = tabs.nth(i);
    await tab.click();
    expect({ tab: await tab.getAttribute('data-testid'), scrollers: await horizontalScrollers(page) }).toEqual({
      tab: await tab.getAttribute('data-testid'),
      scrollers: [],
    });
  }
});

for (const language of ['fr', 'en'] as const) {
  for (const viewport of VIEWPORTS) {
    test(`a touch-only station's keyboard states fit, ${language}, ${viewport.width}x${viewport.height}`, async ({ kiosk: { page, shell } }) => {
      test.skip(shell === null, 'sets the station touch-only through the browser shell API');
      if (!shell) return;
      expect(await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE })).toMatchObject({ ok: true });
      const settings = { hasKeyboard: false, allowedDomains: ['agriculture.gouv.fr', 'douane.finances.gouv.fr'] };
      expect(await callApi(shell, 'updateSettings', settings)).toMatchObject({ ok: true });
      await callApi(shell, 'closeConsole');
      await page.reload();
      await page.setViewportSize(viewport);
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
      await page.getByTestId('start').click();
      await page.getByTestId('on-screen-keyboard').waitFor();
      await expectEverythingFits(page, 'identify-keyboard');
      await page.getByTestId('email').fill('claire.morel@agriculture.gouv.fr');
      await page.getByTestId('submit').click();
      await page.locator('main[data-step="prepare-phone"]').waitFor();
      await page.getByTestId('next').click();
      await page.getByTestId('on-screen-keyboard').waitFor();
      await expectEverythingFits(page, 'add-device-keyboard');
      await page.getByTestId('device-name').fill('téléphone-pro');
      await page.getByTestId('pin').fill('2580');
      await page.getByTestId('pin-confirm').fill('2580');
      await page.getByTestId('submit').click();
      await page.getByTestId('use-suggestion').waitFor();
      await expectEverythingFits(page, 'add-device-accented');
    });
  }
}

test("the console's confirmations fit at 1366x768: erase, purge, exit", async ({ kiosk: { page } }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openConsole(page);
  await page.getByTestId('console-tab-maintenance').click();
  await page.getByTestId('erase-email').fill('claire.morel@agriculture.gouv.fr');
  await page.getByTestId('erase-start').click();
  await page.getByTestId('erase-confirm').waitFor();
  await expect(page.getByTestId('erase-confirm')).toBeInViewport({ ratio: 1 });
  await page.getByTestId('exit-start').click();
  // The confirmation, its question and its button, scrolled into view whole: nothing cut at the bottom.
  await expect(page.getByTestId('exit-confirm')).toBeInViewport({ ratio: 1 });
  await expect(page.locator('.confirm-box')).toBeInViewport({ ratio: 1 });
  expect(await horizontalScrollers(page)).toEqual([]);
});

test.describe('first run', () => {
  test.use({ kioskSetup: 'wizard' });

  for (const language of ['fr', 'en'] as const) {
    test(`the first-run wizard shows its button without scrolling at 1366x768, ${language}`, async ({ kiosk: { page } }) => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.getByTestId('first-run').waitFor();
      if (language === 'en') await page.getByTestId('first-run').getByRole('button', { name: 'English' }).click();
      await expect(page.getByTestId('setup-submit')).toBeInViewport({ ratio: 1 });
      expect(await horizontalScrollers(page)).toEqual([]);
    });
  }
});
