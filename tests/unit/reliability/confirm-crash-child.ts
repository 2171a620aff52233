// Child process for the background-hash crash test: reaches confirm-device the moment add-device answers, then confirms.
import { generateSync } from 'otplib';
import type { Snapshot } from '../../../shared/contract';
import { dispatch } from '../../../electron/transport/dispatch';
import type { MethodName } from '../../../shared/methods';
import { systemClock } from '../../../electron/engine/clock';
import { openKiosk } from '../../../electron/kiosk';

const dataDir = process.argv[2] ?? '';
const run = Number(process.argv[3] ?? 0);
// Each run in its own hour: codes of different runs never share a time step.
const now = Date.UTC(2026, 10, 25, 8, 0, 15) + run * 3_600_000;
const kiosk = await openKiosk({ dataDir, clock: { ...systemClock, now: () => now } });

async function call(method: MethodName, input: object = {}): Promise<Snapshot> {
  const result = await dispatch(kiosk.handlers, method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}`);
  return result.value as Snapshot;
}

if ((await call('getSnapshot')).station.status === 'setup-required') {
  const passphrase = 'correct horse battery';
  await dispatch(kiosk.handlers, 'completeSetup', { stationName: 'PIF test', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' });
}
await call('start', { language: 'fr' });
await call('identify', { email: `agent.${run}@agriculture.gouv.fr` });
await call('next');
await call('addDevice', { deviceName: `phone-${run}`, pin: '2580', pinConfirm: '2580' });
// From here the PIN's scrypt hash is being computed in the background: the parent cuts the power soon after.
process.stdout.write('added\n');
const scan = await call('revealSecret');
const secret = scan.step === 'scan-qr' ? (scan.secretGroups ?? []).join('') : '';
await call('next');
await call('confirmDevice', { pin: '2580', code: generateSync({ secret, epoch: Math.floor(now / 1000), period: 30, digits: 6, algorithm: 'sha1' }) });
process.stdout.write('registered\n');
// Wait to be killed, like a station left on.
setInterval(() => undefined, 1000);
