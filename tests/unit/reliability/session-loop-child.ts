// Child process for the kill -9 test: runs scripted sessions back to back and reports each one the log has closed.
import { generateSync } from 'otplib';
import type { Snapshot } from '../../../shared/contract';
import { dispatch } from '../../../electron/transport/dispatch';
import type { MethodName } from '../../../shared/methods';
import { systemClock } from '../../../electron/engine/clock';
import { openKiosk } from '../../../electron/kiosk';

const dataDir = process.argv[2] ?? '';
const run = Number(process.argv[3] ?? 0);
// Each run lives in its own hour so codes of different runs never share a time step.
let now = Date.UTC(2026, 10, 25, 8, 0, 15) + run * 3_600_000;
const clock = { ...systemClock, now: () => now };
const kiosk = await openKiosk({ dataDir, clock });

async function call(method: MethodName, input: object = {}): Promise<Snapshot> {
  const result = await dispatch(kiosk.handlers, method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}`);
  return result.value as Snapshot;
}

const code = (secret: string) => generateSync({ secret, epoch: Math.floor(now / 1000), period: 30, digits: 6, algorithm: 'sha1' });

if ((await call('getSnapshot')).station.status === 'setup-required') {
  const passphrase = 'correct horse battery';
  await dispatch(kiosk.handlers, 'completeSetup', { stationName: 'PIF test', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' });
}

for (let n = 0; ; n += 1) {
  const email = `agent.${run}.${n}@agriculture.gouv.fr`;
  await call('start', { language: 'fr' });
  await call('identify', { email });
  process.stdout.write(`open ${n}\n`);
  await call('next');
  await call('addDevice', { deviceName: `phone-${n}`, pin: '2580', pinConfirm: '2580' });
  const scan = await call('revealSecret');
  const secret = scan.step === 'scan-qr' ? (scan.secretGroups ?? []).join('') : '';
  await call('next');
  await call('confirmDevice', { pin: '2580', code: code(secret) });
  await call('next');
  await call('chooseSignInMethod', { method: 'pin' });
  now += 31_000;
  await call('signIn', { pin: '2580', code: code(secret) });
  await call('next');
  process.stdout.write(`completed ${n}\n`);
  now += 60_000;
}
