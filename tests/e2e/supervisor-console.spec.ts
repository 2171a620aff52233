// The supervisor console in the browser shell: opening, lockout, dashboard, roster import, export, erase, idle close.
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_PASSPHRASE, expect, test } from '../support/kiosk';
import { importRosterThroughPicker, openConsole, pressConsoleShortcut, ROSTER_CSV, seedSessions } from './supervisor-helpers';

test('Ctrl+Alt+S asks for the passphrase; five wrong ones lock the console, even against the right one', async ({ kiosk: { page } }) => {
  await pressConsoleShortcut(page);
  const consoleDialog = page.getByTestId('console');
  await expect(consoleDialog).toBeVisible();
  const passphrase = page.getByLabel('Phrase de passe');
  for (const left of [4, 3, 2, 1]) {
    await passphrase.fill('pas la bonne phrase');
    await page.getByRole('button', { name: 'Ouvrir la console' }).click();
    await expect(page.getByTestId('console-error')).toHaveAttribute('data-code', 'passphrase_wrong');
    await expect(page.getByTestId('console-error')).toContainText(`Essais restants : ${left}`);
  }
  await passphrase.fill('pas la bonne phrase');
  await page.getByRole('button', { name: 'Ouvrir la console' }).click();
  await expect(page.getByTestId('console-error')).toHaveAttribute('data-code', 'console_locked');
  await expect(page.getByTestId('console-error')).toContainText('5 min');
  await passphrase.fill(E2E_PASSPHRASE);
  await page.getByRole('button', { name: 'Ouvrir la console' }).click();
  await expect(page.getByTestId('console-error')).toHaveAttribute('data-code', 'console_locked');
  await expect(page.getByTestId('console-tab-dashboard')).toHaveCount(0);
  await page.getByTestId('console-close').click();
  await expect(consoleDialog).toHaveCount(0);
  await expect(page.getByTestId('start')).toBeVisible();
});

test('a 3-second press on the station logo opens the console, and it never opens on a short tap', async ({ kiosk: { page } }) => {
  const logo = page.locator('.brand-logo');
  await expect(logo).toBeVisible();
  const box = await logo.boundingBox();
  if (!box) throw new Error('no logo');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.up();
  await page.mouse.down();
  await expect(page.getByTestId('console')).toBeVisible({ timeout: 6_000 });
  await page.mouse.up();
  await page.getByLabel('Phrase de passe').fill(E2E_PASSPHRASE);
  await page.getByRole('button', { name: 'Ouvrir la console' }).click();
  await expect(page.getByTestId('figures')).toBeVisible();
});

test('the dashboard shows what the sessions did, the roster imports a Windows-1252 file, exports land in the folder', async ({
  kiosk: { page, shell, dataDir },
}) => {
  test.skip(shell === null, 'seeds sessions over the browser shell API');
  if (!shell) return;
  await seedSessions(shell);
  await openConsole(page);

  const figure = (name: string) => page.locator(`[data-figure="${name}"] dd`);
  await expect(figure('sessions')).toHaveText('5');
  await expect(figure('completed')).toHaveText('2');
  await expect(figure('abandoned')).toHaveText('2');
  await expect(figure('timedOut')).toHaveText('1');
  await expect(figure('completionRate')).toHaveText('40 %');
  await expect(page.locator('.funnel-value[data-step="done"]')).toHaveText('2');
  await expect(page.getByTestId('top-errors').locator('li').first()).toHaveAttribute('data-code', /.+/);

  await importRosterThroughPicker(page, dataDir, 'agents.csv', ROSTER_CSV);
  await expect(page.getByTestId('roster-result')).toContainText('Agents importés : 4');
  await expect(page.getByTestId('roster-result')).toContainText('Windows-1252');
  await expect(page.getByTestId('roster-errors').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('roster-errors').locator('li')).toHaveAttribute('data-line', '4');
  await expect(page.getByTestId('roster-table')).toContainText('Hélène Lefèvre');
  await expect(page.getByTestId('roster-table')).toContainText('Bureau d’inspection');
  await expect(page.getByTestId('roster-counts')).toContainText('Connexion testée');

  await page.getByTestId('console-tab-exports').click();
  await expect(page.getByTestId('export-folder')).toHaveValue(join(dataDir, 'exports'));
  await page.getByTestId('export-sessions').click();
  await expect(page.getByTestId('export-progress')).toHaveAttribute('data-state', 'done');
  const files = readdirSync(join(dataDir, 'exports'));
  const csv = readFileSync(join(dataDir, 'exports', files.find((f) => f.startsWith('kiosk-sessions-')) ?? ''), 'utf8');
  expect(csv.trim().split('\r\n')).toHaveLength(1 + 5);

  await page.getByTestId('show-report').click();
  await expect(page.getByTestId('report')).toContainText('Rapport d’enrôlement');
  // What the browser's print gives: the report alone, as a PDF whose text says the same figures.
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = pdfText(pdf, dataDir);
  test.skip(text === null, 'pdftotext (poppler-utils) not installed: the PDF text is not checked');
  expect(text).toContain('Rapport d’enrôlement');
  expect(text).toContain('Taux de réussite');
  expect(text).toContain('40 %');
  expect(text).toContain('Difficultés par étape');
  expect(text).not.toContain('Tableau de bord');
});

/** The text of a PDF through poppler's pdftotext, or null where it is not installed. */
function pdfText(pdf: Buffer, folder: string): string | null {
  const file = join(folder, 'report.pdf');
  writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

test('erasing an agent asks for confirmation first', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'seeds sessions over the browser shell API');
  if (!shell) return;
  await seedSessions(shell);
  await openConsole(page);
  await page.getByTestId('console-tab-maintenance').click();
  await page.getByTestId('erase-email').fill('jeanne.martin@agriculture.gouv.fr');
  await page.getByTestId('erase-start').click();
  await expect(page.getByRole('alertdialog')).toContainText('jeanne.martin@agriculture.gouv.fr');
  await page.getByTestId('erase-confirm').click();
  await expect(page.getByTestId('erase-done')).toBeVisible();
  await page.getByTestId('erase-email').fill('jeanne.martin@agriculture.gouv.fr');
  await page.getByTestId('erase-start').click();
  await page.getByTestId('erase-confirm').click();
  await expect(page.getByTestId('console-error')).toHaveAttribute('data-code', 'agent_not_found');
});

test('the console closes itself after 2 minutes without input', async ({ kiosk: { page } }) => {
  await page.clock.install();
  await openConsole(page);
  await page.clock.runFor(119_000);
  await expect(page.getByTestId('console')).toBeVisible();
  await page.clock.runFor(2_000);
  await expect(page.getByTestId('console')).toHaveCount(0);
});

test('a roster larger than one request body is read whole from the drive by the station', async ({ kiosk: { page, dataDir } }) => {
  const lines = ['email,name,service'];
  for (let i = 0; i < 3000; i += 1) lines.push(`agent.${i}@agriculture.gouv.fr,Agent ${i},Service ${i % 9}`);
  const buffer = Buffer.from(`${lines.join('\n')}\n`);
  expect(buffer.length).toBeGreaterThan(64 * 1024);
  await openConsole(page);
  await importRosterThroughPicker(page, dataDir, 'ministere.csv', buffer);
  await expect(page.getByTestId('roster-result')).toContainText('Agents importés : 3000');
  await expect(page.getByTestId('roster-counts')).toContainText('3000');
});

test('every console screen passes axe (WCAG 2.2 AA)', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'seeds sessions over the browser shell API');
  if (!shell) return;
  await seedSessions(shell);
  await openConsole(page);
  const problems: string[] = [];
  for (const tab of ['dashboard', 'roster', 'exports', 'stations', 'settings', 'maintenance']) {
    await page.getByTestId(`console-tab-${tab}`).click();
    await expect(page.getByTestId(`console-tab-${tab}`)).toHaveAttribute('aria-current', 'page');
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    for (const v of axe.violations) problems.push(`${tab}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }
  expect(problems).toEqual([]);
});
