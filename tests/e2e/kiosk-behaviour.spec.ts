// The walk-up station's manners: an idle agent is asked, then the session is wiped; Cancel wipes it too.
import { expect, test } from '../support/kiosk';
import { expectStep, identify } from '../support/journey';
import { outcomes } from '../support/station-log';

const EMAIL = 'sophie.leroy@agriculture.gouv.fr';

test('after 120 s idle a 20 s "Still there?" appears; a key press extends, silence resets to welcome with nothing left', async ({
  kiosk: { page, dataDir },
}) => {
  await page.clock.install();
  await page.reload();
  await identify(page, EMAIL);
  await expectStep(page, 'prepare-phone');
  // On add-device, a step with the station's delay (prepare-phone gives the agent 10 minutes to install the app).
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');

  await page.clock.fastForward('01:59');
  await expect(page.getByTestId('idle-dialog')).toBeHidden();
  await page.clock.fastForward('00:02');
  const dialog = page.getByTestId('idle-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button')).toBeFocused();

  // Any key is activity: the agent is still there.
  await page.keyboard.press('Shift');
  await expect(dialog).toBeHidden();
  await expectStep(page, 'add-device');

  await page.clock.fastForward('02:01');
  await expect(dialog).toBeVisible();
  await page.clock.fastForward('00:21');
  await expect(page.locator('main')).toHaveAttribute('data-step', 'welcome');
  expect(await page.content()).not.toContain(EMAIL);
  await expect.poll(() => outcomes(dataDir)).toEqual(['timed_out']);
});

test('Cancel asks first, then wipes the session: the next agent finds empty fields', async ({ kiosk: { page, dataDir } }) => {
  await identify(page, EMAIL);
  await expectStep(page, 'prepare-phone');
  await page.getByTestId('next').click();
  await expectStep(page, 'add-device');
  await page.getByTestId('device-name').fill('tel-sophie');

  await page.getByTestId('cancel').click();
  const dialog = page.getByTestId('cancel-dialog');
  await expect(dialog).toBeVisible();
  // Escape closes the question without cancelling.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('device-name')).toHaveValue('tel-sophie');

  await page.getByTestId('cancel').click();
  await dialog.getByRole('button').last().click();
  await expect(page.locator('main')).toHaveAttribute('data-step', 'welcome');
  const html = await page.content();
  expect(html).not.toContain(EMAIL);
  expect(html).not.toContain('tel-sophie');
  await expect.poll(() => outcomes(dataDir)).toEqual(['abandoned']);

  await page.getByTestId('start').click();
  await expect(page.getByTestId('email')).toHaveValue('');
});
