// `npm run screenshots`: every screen of the guided session in French and English, at both kiosk sizes, into screenshots/ (git-ignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '../support/kiosk';
import { REPO_ROOT } from '../support/electron-binary';
import { walkEverySession } from '../support/walk';

const OUT = join(REPO_ROOT, 'screenshots');

for (const language of ['fr', 'en'] as const) {
  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ]) {
    test(`guided session, ${language}, ${viewport.width}x${viewport.height}`, async ({ kiosk: { page } }) => {
      test.setTimeout(120_000);
      mkdirSync(OUT, { recursive: true });
      await page.setViewportSize(viewport);
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
      let index = 0;
      await walkEverySession(page, `camille.roux.${language}@agriculture.gouv.fr`, async (view) => {
        index += 1;
        const name = `${language}-${viewport.width}-${String(index).padStart(2, '0')}-${view}.png`;
        await page.screenshot({ path: join(OUT, name) });
      });
    });
  }
}
