// The recap an agent takes away from done: printed (here, as the PDF the print path makes), read back as text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

const EXPECTED = {
  fr: ['Double authentification EU Login', 'Borne', 'PIF e2e', 'App avec code PIN', 'Gérer mes appareils mobiles', 'Initialiser', 'Android 7.0'],
  en: ['EU Login two-factor authentication', 'Station', 'PIF e2e', 'App with PIN code', 'Manage my mobile devices', 'Initialiser', 'Android 7.0'],
} as const;

for (const language of ['fr', 'en'] as const) {
  test(`the recap, ${language}: station, agent, device, method, next steps and help addresses, and no secret, PIN or code`, async ({
    kiosk: { page, dataDir },
  }) => {
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
    await expect(dialog.getByTestId('recap-print')).toBeFocused();
    // The countdown back to welcome waits while the agent deals with the recap.
    await expect(page.getByTestId('done-countdown')).toContainText('30');
    // What the print path puts on paper while the recap is open (Chromium's own print-to-PDF, as "Save as PDF" does).
    const text = pdfText(await page.pdf({ format: 'A4' }));
    // Lines wrap where the page ends them: words are compared with their spacing made plain.
    const words = text.replace(/\s+/g, ' ');
    for (const expected of [...EXPECTED[language], email, 'tel-paul', 'Borne 2FA PIF e2e']) expect(words).toContain(expected);
    for (const address of ['https://webgate.ec.europa.eu/cas/login', 'https://webgate.ec.europa.eu/cas/help.html', 'EU-LOGIN-EXTERNAL-SUPPORT@ec.europa.eu']) {
      expect(text.replace(/\s+/g, '')).toContain(address);
    }
    // The sheet alone is printed: nothing of the kiosk's screen (its buttons, the dialog) reaches the paper.
    expect(text).not.toContain(language === 'fr' ? 'Terminer' : 'Finish');
    const flat = text.replace(/\s+/g, '');
    expect(flat).not.toContain(key.secret);
    for (const group of key.secret.match(/.{4}/g) ?? []) expect(flat).not.toContain(group);
    expect(flat).not.toContain(PIN);
    expect(flat).not.toContain(signInCode);
    expect(flat).not.toContain(codeAtStep(key, step));

    await dialog.getByTestId('recap-print').click();
    await expect(dialog.getByTestId('recap-outcome')).toBeVisible();
    await dialog.getByTestId('recap-close').click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => recapEvents(dataDir)).toEqual(['asked', 'printed']);
  });
}
