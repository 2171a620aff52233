// Child process for the crash test: opens a kiosk, starts a session, appends events, then reports and waits to be killed.
import { openKiosk } from '../../../electron/kiosk';

const dataDir = process.argv[2] ?? '';
const kiosk = await openKiosk({ dataDir });
const passphrase = 'Douane-Roissy-2026';
// A fresh station refuses agents until its first-run wizard has run.
await kiosk.handlers.completeSetup({ stationName: 'PIF test', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' });
await kiosk.handlers.start({ language: 'fr' });
await kiosk.handlers.identify({ email: 'jeanne.martin@agriculture.gouv.fr', acceptOffRoster: false });
await kiosk.handlers.next({});
process.stdout.write('mid-session\n');
// Keep appending until SIGKILL lands, so the kill may hit mid-write.
for (;;) {
  await kiosk.handlers.back({});
  await kiosk.handlers.next({});
  process.stdout.write('tick\n');
}
