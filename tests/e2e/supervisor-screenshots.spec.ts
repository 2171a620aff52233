// `npm run screenshots`: every screen of the first-run wizard and the supervisor console, French and English, into screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT } from '../support/electron-binary';
import { expect, test } from '../support/kiosk';
import { importRosterThroughPicker, openConsole, pressConsoleShortcut, ROSTER_CSV, seedSessions } from './supervisor-helpers';

const OUT = join(REPO_ROOT, 'screenshots');
const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
];

function shooter(page: Page, prefix: string) {
  mkdirSync(OUT, { recursive: true });
  let index = 0;
  return async (view: string) => {
    index += 1;
    await page.screenshot({ path: join(OUT, `${prefix}-${String(index).padStart(2, '0')}-${view}.png`) });
  };
}

for (const language of ['fr', 'en'] as const) {
  for (const viewport of VIEWPORTS) {
    test.describe(`${language} ${viewport.width}x${viewport.height}`, () => {
      test.describe('wizard', () => {
        test.use({ kioskSetup: 'wizard' });
        test('first-run wizard', async ({ kiosk: { page } }) => {
          await page.setViewportSize(viewport);
          const shot = shooter(page, `supervisor-${language}-${viewport.width}-wizard`);
          await expect(page.getByTestId('first-run')).toBeVisible();
          if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
          await shot('wizard');
          await page.getByTestId('setup-submit').click();
          await expect(page.getByRole('alert').first()).toBeVisible();
          await shot('wizard-error');
        });
      });

      test('console', async ({ kiosk: { page, shell, dataDir } }) => {
        test.setTimeout(120_000);
        test.skip(shell === null, 'seeds sessions over the browser shell API');
        if (!shell) return;
        await page.setViewportSize(viewport);
        const shot = shooter(page, `supervisor-${language}-${viewport.width}-console`);
        await seedSessions(shell);
        if (language === 'en') await page.getByRole('button', { name: 'English' }).click();

        await pressConsoleShortcut(page);
        await expect(page.getByTestId('console')).toBeVisible();
        await shot('door');
        await page.getByLabel(/Phrase de passe|Passphrase/).fill('not the passphrase');
        await page.getByRole('button', { name: /Ouvrir la console|Open the console/ }).click();
        await expect(page.getByTestId('console-error')).toBeVisible();
        await shot('door-wrong');
        await page.getByTestId('console-close').click();

        await openConsole(page);
        // Closing the console brought welcome back to the station's language: the supervisor picks theirs here.
        if (language === 'en') await page.getByTestId('console').getByRole('button', { name: 'English' }).click();
        await expect(page.getByTestId('figures')).toBeVisible();
        await shot('dashboard');
        await page.getByTestId('range-all').click();

        await importRosterThroughPicker(page, dataDir, 'agents.csv', ROSTER_CSV);
        await expect(page.getByTestId('roster-result')).toBeVisible();
        await shot('roster');

        await page.getByTestId('console-tab-exports').click();
        await page.getByTestId('export-events').click();
        await expect(page.getByTestId('export-progress')).toHaveAttribute('data-state', 'done');
        await shot('exports');
        await page.getByTestId('show-report').click();
        await expect(page.getByTestId('report')).toBeVisible();
        await shot('report');
        await page.getByRole('button', { name: /Retour|Back/ }).click();

        await page.getByTestId('console-tab-settings').click();
        await expect(page.getByTestId('assumptions')).toBeVisible();
        await shot('settings');
        await page.getByTestId('settings-save').scrollIntoViewIfNeeded();
        await shot('settings-assumptions');
        await page.getByTestId('settings-save').click();
        await expect(page.getByTestId('settings-saved')).toBeVisible();

        await page.getByTestId('console-tab-maintenance').click();
        await page.getByTestId('erase-email').fill('luc.petit@agriculture.gouv.fr');
        await page.getByTestId('erase-start').click();
        await expect(page.getByRole('alertdialog')).toBeVisible();
        await shot('maintenance-erase-confirm');
        await page.getByTestId('exit-start').click();
        await page.getByTestId('exit-confirm').click();
        await expect(page.getByTestId('console')).toContainText(/La borne se ferme|The station is closing/);
        await shot('exit');
      });

      test('console locked', async ({ kiosk: { page } }) => {
        await page.setViewportSize(viewport);
        const shot = shooter(page, `supervisor-${language}-${viewport.width}-locked`);
        if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
        await pressConsoleShortcut(page);
        for (const left of [4, 3, 2, 1, 0]) {
          await page.getByLabel(/Phrase de passe|Passphrase/).fill('not the passphrase');
          await page.getByRole('button', { name: /Ouvrir la console|Open the console/ }).click();
          // Each answer replaces the last: wait for this one before the next try.
          if (left > 0) await expect(page.getByTestId('console-error')).toContainText(String(left));
        }
        await expect(page.getByTestId('console-error')).toHaveAttribute('data-code', 'console_locked');
        await shot('door-locked');
      });
    });
  }
}
