// `npm run bench` (load part): 10,000 sessions through the contract as fast as the engine allows; no lost event, a verifying chain.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import type { Snapshot } from '../../shared/contract';
import { dispatch } from '../../electron/transport/dispatch';
import type { MethodName } from '../../shared/methods';
import type { Outcome } from '../../shared/steps';
import { systemClock } from '../../electron/engine/clock';
import { openKiosk } from '../../electron/kiosk';
import { appendEvent } from '../../electron/store/events';
import { describeVerification, verifyLog } from '../../electron/store/verify';
import { anyOf, atMost, createReport } from './figures';
import { openLog } from '../../electron/store/open';

const SESSIONS = Number(process.env.LOAD_SESSIONS ?? 10_000);
/** One walk-up in 50 enrols a new phone (one scrypt hash of its PIN, in the background: the rest of the mix is cheap by comparison). */
const ENROL_EVERY = 50;
const PIN = '2580';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-load-'));
let now = Date.UTC(2026, 10, 25, 7, 0, 15);
const kiosk = await openKiosk({ dataDir: dir, clock: { ...systemClock, now: () => now } });

async function call(method: MethodName, input: object = {}): Promise<Snapshot> {
  const result = await dispatch(kiosk.handlers, method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code} ${JSON.stringify(result.error.params)}`);
  return result.value as Snapshot;
}
const code = (secret: string) => generateSync({ secret, epoch: Math.floor(now / 1000), period: 30, digits: 6, algorithm: 'sha1' });

if ((await call('getSnapshot')).station.status === 'setup-required') {
  const passphrase = 'correct horse battery';
  await dispatch(kiosk.handlers, 'completeSetup', { stationName: 'PIF bench', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' });
}

const enrolled: { email: string; secret: string }[] = [];
const expected: Record<Outcome, number> = { completed: 0, abandoned: 0, timed_out: 0, locked: 0, failed: 0 };

async function enrolNew(n: number): Promise<void> {
  const email = `agent.${n}@agriculture.gouv.fr`;
  await call('identify', { email });
  await call('next');
  await call('addDevice', { deviceName: `phone-${n}`, pin: PIN, pinConfirm: PIN });
  const scan = await call('revealSecret');
  const secret = scan.step === 'scan-qr' ? (scan.secretGroups ?? []).join('') : '';
  await call('next');
  await call('confirmDevice', { pin: PIN, code: code(secret) });
  await call('next');
  await call('chooseSignInMethod', { method: 'pin' });
  now += 30_000;
  await call('signIn', { pin: PIN, code: code(secret) });
  await call('next');
  enrolled.push({ email, secret });
  expected.completed += 1;
}

/** A returning agent proves the device with its PIN, then tests the QR method: "Can't scan?", the number and the code. */
async function returningQrTest(agent: { email: string; secret: string }): Promise<void> {
  await call('identify', { email: agent.email });
  await call('giveDevicePin', { pin: PIN });
  await call('chooseReturning', { choice: 'test-sign-in' });
  await call('chooseSignInMethod', { method: 'qr' });
  const request = await call('revealVerificationNumber');
  const number = request.step === 'test-login' ? (request.request?.verificationNumber ?? '') : '';
  await call('signIn', { verificationNumber: number, code: code(agent.secret) });
  await call('next');
  expected.completed += 1;
}

const rssStart = process.memoryUsage().rss;
let peakRss = rssStart;
const started = performance.now();
for (let n = 0; n < SESSIONS; n += 1) {
  now += 60_000;
  await call('start', { language: n % 3 === 0 ? 'en' : 'fr' });
  const kind = n % ENROL_EVERY === 0 || enrolled.length === 0 ? 'enrol' : ['returning', 'returning', 'cancel', 'timeout', 'typo'][n % 5];
  const agent = enrolled[n % enrolled.length];
  if (kind === 'enrol') await enrolNew(n);
  else if (kind === 'returning' && agent) await returningQrTest(agent);
  else if (kind === 'cancel') {
    await call('identify', { email: `walkup.${n}@agriculture.gouv.fr` });
    await call('cancel');
    expected.abandoned += 1;
  } else if (kind === 'timeout') {
    await call('identify', { email: `walkup.${n}@agriculture.gouv.fr` });
    await call('next');
    await call('timeout');
    expected.timed_out += 1;
  } else {
    const typo = await dispatch(kiosk.handlers, 'identify', { email: 'prenom.nom@@agriculture' });
    if (typo.ok) throw new Error('a malformed e-mail was accepted');
    await call('cancel');
    expected.abandoned += 1;
  }
  if (n % 250 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const seconds = (performance.now() - started) / 1000;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
kiosk.close();

const { db } = openLog(join(dir, 'kiosk.db'));
const chain = verifyLog(db);
// What the rows hold, column by column (ids and times as 8 bytes, the hash as 32): the floor of bytes per event.
const payload = (
  db
    .prepare(
      `SELECT avg(8 + 8 + 8 + coalesce(length(step), 0) + length(type) + coalesce(length(code), 0)
        + coalesce(length(details), 0) + 32) AS b FROM events`,
    )
    .get() as { b: number }
).b;
// The durable-append floor: the same number of bytes per event appended one transaction each, on this disk.
const floorDb = openLog(join(dir, 'floor.db')).db;
const floorAppends = 2000;
const floorStart = performance.now();
for (let i = 0; i < floorAppends; i += 1) appendEvent(floorDb, { sessionId: 1, at: now + i, step: 'identify', type: 'step', details: { from: 'welcome' } });
const appendRate = floorAppends / ((performance.now() - floorStart) / 1000);
floorDb.close();
const rows = db.prepare('SELECT outcome, count(*) AS n FROM sessions GROUP BY outcome').all() as { outcome: Outcome; n: number }[];
const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
db.close();
const actual = Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
const lost = (Object.keys(expected) as Outcome[]).filter((o) => (actual[o] ?? 0) !== expected[o]);
const size = statSync(join(dir, 'kiosk.db')).size;
rmSync(dir, { recursive: true, force: true });

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`load: ${SESSIONS} sessions (${enrolled.length} enrolments) in ${seconds.toFixed(1)} s = ${(SESSIONS / seconds).toFixed(0)} sessions/s`);
console.log(`load: ${events} events (${(events / seconds).toFixed(0)} events/s), log ${mb(size)}, ${(size / events).toFixed(0)} bytes/event on disk`);
console.log(`load: RSS ${mb(rssStart)} at start, ${mb(peakRss)} peak`);
console.log(`load: outcomes expected ${JSON.stringify(expected)}, logged ${JSON.stringify(actual)}`);
console.log(`load: ${describeVerification('chain', chain)}`);
const report = createReport('load');
report.add({
  id: 'events-per-s',
  label: 'events logged through the contract (five kinds of session mixed)',
  value: events / seconds,
  unit: 'events/s',
  floor: appendRate,
  floorLabel: 'durable appends alone, one transaction each, same disk',
  budget: null,
  note: `${(SESSIONS / seconds).toFixed(0)} sessions/s; each agent action is one durable transaction, so the floor bounds it`,
});
report.add({
  id: 'bytes-per-event',
  label: 'bytes per event on disk, engine-written log (checkpoints included)',
  value: size / events,
  unit: 'B',
  floor: payload,
  floorLabel: 'the bytes the columns hold',
  budget: anyOf(atMost(2, 'ratio')),
});
report.add({
  id: 'peak-rss',
  label: 'peak RSS over the run',
  value: peakRss / 1024 / 1024,
  unit: 'MB',
  floor: rssStart / 1024 / 1024,
  floorLabel: 'RSS once the kiosk is open',
  budget: anyOf(atMost(400)),
});
report.print();
if (!chain.ok || lost.length > 0) {
  console.error(`load: FAILED (${lost.length > 0 ? `outcome counts differ for ${lost.join(', ')}` : 'chain'})`);
  process.exit(1);
}
