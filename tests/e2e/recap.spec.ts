// The recap an agent takes away from done: the PDF the shells lay out from the page (here Chromium's printToPDF, as theirs), read back as text; no print dialog.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../support/electron-binary';
import { expect, test } from '../support/kiosk';
import { PIN, codeAtStep, confirmDevice, expectStep, scanEnrolmentQr, toScanQr } from '../support/journey';

/** The PDF's text as pdftotext (poppler-utils) reads it: what a person reading the paper sees. */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'recap-'));
  try {
    const file = join(dir, 'recap.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function recapEvents(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
  const rows = db.prepare("SELECT details FROM events WHERE type = 'recap' ORDER BY id").all() as { details: string }[];
  db.close();
  return rows.map((row) => (JSON.parse(row.details) as { action: string }).action);
}

type Messages = { recap: Record<'body' | 'cannotSave' | 'noDrive', string> };
const messages = {
  fr: JSON.parse(readFileSync(join(REPO_ROOT, 'renderer/src/i18n/fr.json'), 'utf8')) as Messages,
  en: JSON.parse(readFileSync(join(REPO_ROOT, 'renderer/src/i18n/en.json'), 'utf8')) as Messages,
};

const EXPECTED = {
  fr: ['Double authentification EU Login', 'Borne', 'PIF e2e', 'App avec code PIN', 'Gérer mes appareils mobiles', 'Initialiser', 'Android 7.0'],
  en: ['EU Login two-factor authentication', 'Station', 'PIF e2e', 'App with PIN code', 'Manage my mobile devices', 'Initialiser', 'Android 7.0'],
} as const;

for (const language of ['fr', 'en'] as const) {
  test(`the recap, ${language}: station, agent, device, method, next steps and help addresses, and no secret, PIN or code`, async ({
    kiosk: { page, dataDir, shell },
  }) => {
    // The page would open Chromium's print preview and its "Save as PDF" file chooser: it must never ask.
    await page.addInitScript(() => {
      window.print = () => document.documentElement.setAttribute('data-print-called', '');
    });
    await page.reload();
    const email = `paul.girard.${language}@agriculture.gouv.fr`;
    if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
    await toScanQr(page, email, 'tel-paul');
    const key = await scanEnrolmentQr(page);
    const step = await confirmDevice(page, key);
    await page.getByTestId('next').click();
    await expectStep(page, 'test-login');
    await page.getByTestId('method-pin').click();
    const signInCode = codeAtStep(key, step + 1);
    await page.getByTestId('pin').fill(PIN);
    await page.getByTestId('code').fill(signInCode);
    await page.getByTestId('submit').click();
    await expectStep(page, 'done');

    await page.getByTestId('recap').click();
    const dialog = page.getByTestId('recap-dialog');
    await expect(dialog).toBeVisible();
    // Only what this station can do: `serve` holds no Chromium to lay the PDF out, Electron does (onto a USB drive).
    const canSave = shell === null;
    await expect(dialog.locator('#recap-body')).toHaveText(messages[language].recap[canSave ? 'body' : 'cannotSave']);
    await expect(dialog.getByRole('button')).toHaveCount(canSave ? 2 : 1);
    await expect(dialog.getByTestId(canSave ? 'recap-save' : 'recap-close')).toBeFocused();
    // The countdown back to welcome keeps running while the dialog is open: an agent who walks away is reset.
    const countdown = async () => Number(/\d+/.exec((await page.getByTestId('done-countdown').textContent()) ?? '')?.[0]);
    expect(await countdown()).toBeLessThanOrEqual(30);
    await expect.poll(countdown, { timeout: 5_000 }).toBeLessThan(29);
    // What the shells' printToPDF lays out while the recap is open (Chromium's own, as the launcher's pipe and Electron use).
    const text = pdfText(await page.pdf({ format: 'A4' }));
    // Lines wrap where the page ends them: words are compared with their spacing made plain.
    const words = text.replace(/\s+/g, ' ');
    for (const expected of [...EXPECTED[language], email, 'tel-paul', 'Répétition PIF e2e']) expect(words).toContain(expected);
    for (const address of ['https://webgate.ec.europa.eu/cas/login', 'https://webgate.ec.europa.eu/cas/help.html', 'EU-LOGIN-EXTERNAL-SUPPORT@ec.europa.eu']) {
      expect(text.replace(/\s+/g, '')).toContain(address);
    }
    // The sheet alone is laid out: nothing of the kiosk's screen (its buttons, the dialog) reaches the PDF.
    expect(text).not.toContain(language === 'fr' ? 'Terminer' : 'Finish');
    const flat = text.replace(/\s+/g, '');
    expect(flat).not.toContain(key.secret);
    for (const group of key.secret.match(/.{4}/g) ?? []) expect(flat).not.toContain(group);
    expect(flat).not.toContain(PIN);
    expect(flat).not.toContain(signInCode);
    expect(flat).not.toContain(codeAtStep(key, step));

    if (canSave) {
      // No USB drive on the test machine: said, in the agent's language, and nothing written anywhere.
      await dialog.getByTestId('recap-save').click();
      await expect(dialog.getByTestId('recap-outcome')).toHaveText(messages[language].recap.noDrive);
    }
    await dialog.getByTestId('recap-close').click();
    await expect(dialog).toBeHidden();
    // The page never asked for the print dialog (Chromium's preview and its "Save as PDF" file chooser).
    expect(await page.locator('html[data-print-called]').count()).toBe(0);
    await expect.poll(() => recapEvents(dataDir)).toEqual(['asked']);
  });
}
