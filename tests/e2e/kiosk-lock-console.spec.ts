// The supervisor is told when the kiosk lock is not in effect: `serve` opens the page in a browser nothing holds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/electron-binary';
import { expect, test } from '../support/kiosk';
import { openConsole } from './supervisor-helpers';

const fr = JSON.parse(readFileSync(join(REPO_ROOT, 'shared/i18n/console/fr.json'), 'utf8')) as { kioskLock: { notHeld: string } };

test("the console's dashboard says the lock is not in effect under serve", async ({ kiosk }) => {
  test.skip(kiosk.shell === null, 'Electron holds its own window: no browser-shell lock to report');
  await openConsole(kiosk.page);
  const warning = kiosk.page.getByTestId('kiosk-lock-warning');
  await expect(warning).toHaveText(fr.kioskLock.notHeld);
  await expect(kiosk.page.getByRole('status').filter({ has: warning })).toBeVisible();
  // Layer by layer, as the launcher's line: nothing holds this browser, so neither the pipe nor the profile is in effect.
  const layers = kiosk.page.getByTestId('kiosk-lock-layers').locator('li');
  await expect(layers).toHaveCount(3);
  for (const layer of ['pipe', 'profile']) await expect(layers.and(kiosk.page.locator(`[data-layer="${layer}"]`))).toHaveAttribute('data-in-effect', 'false');
  expect(kiosk.shell?.output()).toContain('Kiosk lock: NOT in effect');
});
