// On an enrolment day with a roster loaded, an e-mail not on it is questioned, and the agent may still go on.
import { expect, test } from '../support/kiosk';
import { E2E_PASSPHRASE } from '../support/kiosk';
import { callApi } from '../support/api';
import { expectError, expectStep, identify } from '../support/journey';

test('an address off the roster gets a warning and a "continue anyway"; one on it goes straight on', async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'arranged through the browser shell API');
  if (shell === null) return;
  // IT staff load the day's roster in the console, as the roster screen does.
  const csv = 'email;name;service\nhelene.faure@agriculture.gouv.fr;Hélène Faure;PIF Roissy\n';
  expect(await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE })).toMatchObject({ ok: true });
  const imported = await callApi(shell, 'importRoster', {
    fileName: 'agents.csv',
    bytesBase64: Buffer.from(csv, 'utf8').toString('base64'),
    part: 0,
    parts: 1,
  });
  expect(imported).toMatchObject({ ok: true, value: { complete: true } });
  await callApi(shell, 'closeConsole');

  await identify(page, 'inconnu.agent@agriculture.gouv.fr');
  await expectError(page, 'email_not_on_roster');
  await page.getByTestId('continue-anyway').click();
  await expectStep(page, 'prepare-phone');

  await page.getByTestId('cancel').click();
  await page.getByTestId('cancel-dialog').getByRole('button').last().click();
  await identify(page, 'helene.faure@agriculture.gouv.fr');
  await expectStep(page, 'prepare-phone');
});
