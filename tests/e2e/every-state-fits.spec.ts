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
