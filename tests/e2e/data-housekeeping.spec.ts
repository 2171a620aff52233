// The supervisor sees what keeps the station's data private: a data folder open to other accounts, the last purge, a clock to confirm.
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEvent } from '../../electron/store/events';
import { openLog } from '../../electron/store/open';
import { completeSetupOverHttp, expect, startBrowserShell, test } from '../support/kiosk';
import { openConsole } from './supervisor-helpers';

test('the dashboard warns of a data folder other accounts can open, and says when the last purge ran', async ({
  kiosk: { page, dataDir },
}) => {
  test.skip(process.platform === 'win32', 'POSIX modes');
  // A KIOSK_DATA_DIR made with mkdir under umask 022.
  await chmod(dataDir, 0o755);
  await openConsole(page);
  const warning = page.getByTestId('data-folder-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(dataDir);
  await expect(warning).toContainText('755');
  // The station purged at start, by itself: nothing was old enough to go.
  await expect(page.getByTestId('last-purge')).toContainText('au démarrage de la borne');
  await expect(page.getByTestId('last-purge')).toContainText(/sessions\s:\s0\b/);

  // Once IT has closed it, the warning goes.
  await chmod(dataDir, 0o700);
  await page.getByTestId('range-all').click();
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('housekeeping')).toContainText('n’est lisible que par le compte de la borne');
});

test('a station clock that went back is shown on Maintenance; the supervisor confirms the time and the card goes', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', 'browser shell only');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-clock-'));
  const first = await startBrowserShell(dir);
  await completeSetupOverHttp(first);
  await first.stop();
  // The log's newest event two hours ahead of the station's clock: as if the clock had since been set back two hours.
  const { db } = openLog(join(dir, 'kiosk.db'));
  appendEvent(db, { sessionId: null, at: Date.now() + 2 * 3_600_000, step: null, type: 'settings_changed', details: { keys: 'none' } });
  db.close();
  const shell = await startBrowserShell(dir);
  try {
    const page = await browser.newPage();
    await page.goto(shell.url);
    await openConsole(page);
    await page.getByTestId('console-tab-maintenance').click();
    const card = page.getByTestId('clock-jump');
    await expect(card).toContainText('a reculé d’environ 2\u00a0h');
    await expect(card).toContainText('ne supprime rien');
    await page.getByTestId('clock-confirm').click();
    await expect(page.getByTestId('clock-confirmed')).toContainText('Heure confirmée');
    await expect(card).toHaveCount(0);
    await page.close();
  } finally {
    await shell.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
