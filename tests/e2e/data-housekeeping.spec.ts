// The supervisor sees what keeps the station's data private: a data folder open to other accounts, and the last purge.
import { chmod } from 'node:fs/promises';
import { expect, test } from '../support/kiosk';
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
  await expect(page.getByTestId('last-purge')).toContainText('au démarrage du poste');
  await expect(page.getByTestId('last-purge')).toContainText('0 sessions');

  // Once IT has closed it, the warning goes.
  await chmod(dataDir, 0o700);
  await page.getByTestId('range-all').click();
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('housekeeping')).toContainText('n’est lisible que par le compte de la borne');
});
