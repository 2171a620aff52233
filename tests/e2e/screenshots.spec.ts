// `npm run screenshots`: every screen of the guided session in every state, in French and English, at both kiosk sizes,
// into screenshots/ (git-ignored); and the recap's PDF as the print path makes it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callApi } from '../support/api';
import { E2E_PASSPHRASE, test } from '../support/kiosk';
import { REPO_ROOT } from '../support/electron-binary';
import { walkEverySession, walkReturningAgent, type View } from '../support/walk';

const OUT = join(REPO_ROOT, 'screenshots');
const ROSTER = 'email;name;service\ncamille.roux@agriculture.gouv.fr;Camille Roux;PIF Roissy\n';

for (const language of ['fr', 'en'] as const) {
  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ]) {
    test(`guided session, ${language}, ${viewport.width}x${viewport.height}`, async ({ kiosk: { page, shell } }) => {
      test.setTimeout(180_000);
      mkdirSync(OUT, { recursive: true });
      // The idle dialog needs the page's clock in hand.
      await page.clock.install();
      await page.reload();
      await page.setViewportSize(viewport);
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
      let index = 0;
      const shoot = async (view: View) => {
        index += 1;
        const name = `${language}-${viewport.width}-${String(index).padStart(2, '0')}-${view}`;
        await page.screenshot({ path: join(OUT, `${name}.png`) });
        if (view === 'done-recap') writeFileSync(join(OUT, `${name}.pdf`), await page.pdf({ format: 'A4' }));
      };
      const email = 'camille.roux@agriculture.gouv.fr';
      await walkEverySession(page, email, shoot);
      if (!shell) return;
      await walkReturningAgent(
        page,
        language,
        email,
        async () => {
          await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE });
          const csv = Buffer.from(ROSTER, 'utf8').toString('base64');
          await callApi(shell, 'importRoster', { fileName: 'agents.csv', bytesBase64: csv, part: 0, parts: 1 });
          await callApi(shell, 'closeConsole');
        },
        shoot,
      );
    });
  }
}
