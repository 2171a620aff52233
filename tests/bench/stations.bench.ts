// `npm run bench` (stations part): 10 station bundles of 100,000 events each, verified and imported on a head station, and how long a cheap call waits meanwhile.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../electron/engine/clock';
import { IDENTITY_KEY_FILE_NAME, createKeyFileStore } from '../../electron/engine/key-store';
import { buildDashboard } from '../../electron/engine/supervisor/dashboard';
import { openKiosk } from '../../electron/kiosk';
import { dispatch } from '../../electron/transport/dispatch';
import { writeBundle } from '../../electron/store/bundle';
import { withCheckedBundle } from '../../electron/store/import';
import { openLog } from '../../electron/store/open';
import { createEngineLog } from '../../electron/store/port';
import { openStation } from '../../electron/store/station';
import { writeSettings } from '../../electron/store/settings';
import { createSupervisorLog } from '../../electron/store/supervisor-log';
import { CHAIN_PREIMAGE, sha256, verifyLog, type LogVerification } from '../../electron/store/verify';
import { anyOf, atLeast, atMost, createReport, quantile, timePaired } from './figures';
import { dayLogEnd, dayLogStation } from './day-log';

const STATIONS = Number(process.env.BENCH_STATIONS ?? 10);
/** BENCH_EVENTS: a long campaign's log on each station (BENCH_STATIONS=1 BENCH_EVENTS=5000000: one head's worth). */
const EVENTS_PER_STATION = Number(process.env.BENCH_EVENTS ?? process.env.BENCH_STATION_EVENTS ?? 100_000);
const DASHBOARD_RUNS = 50;

const root = mkdtempSync(join(tmpdir(), 'kiosk-stations-bench-'));
const drive = join(root, 'usb');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
let peakRss = process.memoryUsage().rss;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const day0 = Date.UTC(2026, 10, 25, 7, 0, 0);
/** A day after the last generated session: the bundles are written, imported and read then, so "all" covers every session. */
const after = dayLogEnd(EVENTS_PER_STATION, day0) + 86_400_000;

/** BENCH_CACHE: a folder outside the repository where each generated station log is kept for the next run. */
const CACHE = process.env.BENCH_CACHE;

const report = createReport('stations');

/**
 * Runs `task` while a cheap call (one indexed read on the kiosk's connection, as an agent's next screen
 * makes) is made every 10 ms; returns the longest any of them waited, timer lateness included.
 */
async function stallDuring<T>(
  db: Database.Database,
  task: () => Promise<T>,
  { write = false } = {},
): Promise<{ result: T; stall: number; writeStall: number }> {
  let worst = 0;
  let worstWrite = 0;
  let running = true;
  const cheap = db.prepare('SELECT count(*) AS n FROM stations');
  // With `write`, also an agent's next step as the kiosk's thread commits it: a short transaction through the engine's port.
  const touch = db.prepare("UPDATE settings SET value = value WHERE key = 'retentionDays'");
  const engineLog = createEngineLog(db);
  const sampler = (async () => {
    while (running) {
      const due = performance.now() + 10;
      await new Promise((resolve) => setTimeout(resolve, 10));
      cheap.get();
      worst = Math.max(worst, performance.now() - due);
      if (write) {
        const started = performance.now();
        engineLog.transaction(() => touch.run());
        worstWrite = Math.max(worstWrite, performance.now() - started);
      }
    }
  })();
  try {
    return { result: await task(), stall: worst, writeStall: worstWrite };
  } finally {
    running = false;
    await sampler;
  }
}

const bundles: string[] = [];
const fingerprints: string[] = [];
let generated = 0;
const genStart = performance.now();
mkdirSync(drive, { recursive: true });
const generate = (i: number) => dayLogStation(join(root, `poste-${i + 1}`), `poste-${i + 1}`, EVENTS_PER_STATION, day0, CACHE);
const first = generate(0);
for (let i = 0; i < STATIONS; i += 1) {
  const { db, identity } = i === 0 ? first : generate(i);
  const file = join(drive, `poste-${i + 1}.ekb`);
  const { manifest } = await writeBundle(db, identity, file, () => after);
  generated += manifest.events;
  bundles.push(file);
  fingerprints.push(manifest.fingerprint);
  if (i > 0) db.close();
  sampleRss();
}
const genSeconds = (performance.now() - genStart) / 1000;
const bundleBytes = bundles.reduce((sum, f) => sum + statSync(f).size, 0);
console.log(`stations: ${STATIONS} bundles, ${generated} events, ${mb(bundleBytes)} on the drive (written in ${genSeconds.toFixed(1)} s)`);

// "Verify the log" on one station's own log, beside its floor: the same rows iterated and each hashed.
const stationLog = createSupervisorLog(first.db, first.identity);
const idle = await stallDuring(first.db, () => new Promise((resolve) => setTimeout(resolve, 1000)));
// Verify and its floor alternate (timePaired), so both see the same moments of a shared machine; medians compared.
const verifyRuns = EVENTS_PER_STATION >= 5_000_000 ? 1 : 3;
let hashed = 0;
const verifications: LogVerification[] = [];
const paired = await timePaired(
  verifyRuns,
  () => {
    verifications.push(verifyLog(first.db));
  },
  () => {
    // The floor: each event's bytes (its previous hash and fields, as verify and hashEvent hash them) read and hashed.
    hashed = 0;
    for (const preimage of first.db.prepare<[], Buffer | null>(`SELECT ${CHAIN_PREIMAGE} FROM events ORDER BY id`).pluck().iterate()) {
      if (preimage) sha256(preimage);
      hashed += 1;
    }
  },
);
const verifySeconds = quantile(paired.subject, 0.5) / 1000;
const floorSeconds = quantile(paired.floor, 0.5) / 1000;
const ownVerify = verifications[0];
if (!ownVerify?.ok) throw new Error(`poste-1 did not verify: ${JSON.stringify(ownVerify?.problem)}`);
report.add({
  id: 'verify',
  label: "verify a station's own log (chain, checkpoints, session rows)",
  value: ownVerify.events / verifySeconds,
  unit: 'events/s',
  floor: hashed / floorSeconds,
  floorLabel: 'the same rows iterated and each hashed',
  budget: anyOf(atLeast(0.67, 'ratio')),
  note: `${ownVerify.events} events in ${verifySeconds.toFixed(1)} s (median of ${verifyRuns}, alternated with the floor)`,
});
const verifyStall = await stallDuring(first.db, () => stationLog.verifyOwnLog(undefined, () => {}).answer);
const bundleStall = await stallDuring(first.db, () => stationLog.writeBundle(join(root, 'again.ekb'), () => after));
// Bytes per event of a log the engine's own store functions wrote (sessions, steps, refusals, a signed checkpoint per session).
const stationEvents = first.db.prepare<[], number>('SELECT count(*) FROM events').pluck().get() ?? 0;
const columnBytes =
  first.db
    .prepare<[], number>(
      `SELECT avg(8 + 8 + 8 + coalesce(length(step), 0) + length(type) + coalesce(length(code), 0) + coalesce(length(details), 0) + 32) FROM events`,
    )
    .pluck()
    .get() ?? 0;
first.db.pragma('wal_checkpoint(TRUNCATE)');
report.add({
  id: 'bytes-per-event',
  label: "bytes per event on disk, a station's log written by the store (checkpoints included)",
  value: statSync(join(root, 'poste-1', 'kiosk.db')).size / stationEvents,
  unit: 'B',
  floor: columnBytes,
  floorLabel: 'the bytes the columns hold',
  budget: anyOf(atMost(2, 'ratio')),
});
const idleFloor = { floor: idle.stall, floorLabel: 'the same call, no task running', budget: anyOf(atMost(250)) } as const;
report.add({ id: 'stall-verify', label: 'longest wait of a cheap call during "verify the log"', value: verifyStall.stall, unit: 'ms', ...idleFloor });
report.add({ id: 'stall-bundle', label: 'longest wait of a cheap call while writing a bundle', value: bundleStall.stall, unit: 'ms', ...idleFloor });
first.db.close();

// Import all of them on a head station, as the console does (in the worker), then once more (nothing added).
// The head is a kiosk's data folder (keys, marker, settings), so that its start can be timed at the end.
const headDir = join(root, 'head');
const clock = { ...systemClock, now: () => after };
const setUp = await openKiosk({ dataDir: headDir, clock });
const passphrase = 'correct horse battery';
await dispatch(setUp.handlers, 'completeSetup', { stationName: 'Tête', passphrase, passphraseConfirm: passphrase, mode: 'enrolment', language: 'fr' });
setUp.close();
const head = (() => {
  const { db } = openLog(join(headDir, 'kiosk.db'));
  // A campaign's imports are all kept: the purge at start deletes nothing, as on a head within its retention.
  writeSettings(db, { retentionDays: 3650 });
  return { db };
})();
const headIdentity = openStation(head.db, await createKeyFileStore(headDir, IDENTITY_KEY_FILE_NAME).getKey(), after);
const log = createSupervisorLog(head.db, headIdentity);
const at = () => after;
let imported = 0;
let importStall = 0;
let importWriteStall = 0;
const importStart = performance.now();
for (const [i, file] of bundles.entries()) {
  const { result, stall, writeStall } = await stallDuring(head.db, () => log.importBundle(file, at, { trust: fingerprints[i] ?? '' }).answer, {
    write: true,
  });
  imported += result.events;
  importStall = Math.max(importStall, stall);
  importWriteStall = Math.max(importWriteStall, writeStall);
  sampleRss();
}
const importSeconds = (performance.now() - importStart) / 1000;
// Verify each bundle alone (admin verify): copy, digest, schema, counts, values, chain, session rows. After the
// imports: run here, in the bench's own thread, it leaves garbage whose collection would be timed as the imports' stall.
let verified = 0;
const checkStart = performance.now();
for (const file of bundles) {
  const v = await withCheckedBundle(file, { scratchDir: root }, ({ db }) => verifyLog(db));
  if (!v.ok) throw new Error(`${file} did not verify: ${JSON.stringify(v.problem)}`);
  verified += v.events;
  sampleRss();
}
const checkSeconds = (performance.now() - checkStart) / 1000;
console.log(`stations: admin verify of the bundles: ${verified} events in ${checkSeconds.toFixed(1)} s = ${(verified / checkSeconds).toFixed(0)} events/s`);

report.add({
  id: 'import',
  label: 'import bundles on the head (every check, then the merge)',
  value: imported / importSeconds,
  unit: 'events/s',
  floor: verified / checkSeconds,
  floorLabel: 'the same bundles checked alone (admin verify)',
  budget: anyOf(atLeast(100_000)),
  note: `${imported} events in ${importSeconds.toFixed(1)} s`,
});
report.add({ id: 'stall-import', label: 'longest wait of a cheap call during the imports', value: importStall, unit: 'ms', ...idleFloor });
report.add({
  id: 'stall-import-write',
  label: "longest wait of an agent's write on the head during the imports (the merge commits a range at a time)",
  value: importWriteStall,
  unit: 'ms',
  ...idleFloor,
});
let again = 0;
for (const file of bundles) again += (await log.importBundle(file, at, {}).answer).events;
console.log(`stations: importing the same ${STATIONS} bundles again added ${again} events`);

// The head's dashboard over all stations, as the supervisor opens it after the import.
const all = { kind: 'all' } as const;
const times: number[] = [];
const floorTimes: number[] = [];
let sessions = 0;
const scan = head.db.prepare('SELECT count(*) AS n, sum(duration_ms) AS d FROM station_sessions');
for (let i = 0; i < DASHBOARD_RUNS; i += 1) {
  let started = performance.now();
  sessions = (await buildDashboard(log, 'all', at(), headDir, { figures: all, station: 'all' })).sessions;
  times.push(performance.now() - started);
  started = performance.now();
  scan.get();
  floorTimes.push(performance.now() - started);
}
sampleRss();
report.add({
  id: 'dashboard-all-p95',
  label: 'head dashboard "all stations", p95',
  value: quantile(times, 0.95),
  unit: 'ms',
  floor: quantile(floorTimes, 0.95),
  floorLabel: 'one scan summing the imported sessions',
  budget: anyOf(atMost(200)),
  note: `${sessions} sessions, ${DASHBOARD_RUNS} runs, as served: read by the log's read worker`,
});
const headFiles = ['kiosk.db', 'kiosk.db-wal'].map((f) => join(headDir, f));
const headBytes = headFiles.reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
console.log(`stations: peak RSS ${mb(peakRss)}; head log ${mb(headBytes)}`);
const headCheck = verifyLog(head.db);
console.log(`stations: head chain ${headCheck.ok ? 'intact and signed' : `BROKEN: ${JSON.stringify(headCheck.problem)}`}`);
head.db.close();

// The head's start with all of it: from opening the data folder to the first answer an agent's screen gets.
const starts: number[] = [];
const floors: number[] = [];
for (let i = 0; i < 3; i += 1) {
  let started = performance.now();
  const kiosk = await openKiosk({ dataDir: headDir, clock });
  const answer = await dispatch(kiosk.handlers, 'getSnapshot', {});
  starts.push(performance.now() - started);
  kiosk.close();
  if (!answer.ok) throw new Error(`the head did not answer after start: ${answer.error.code}`);
  started = performance.now();
  const bare = new Database(join(headDir, 'kiosk.db'), { readonly: true });
  bare.prepare('SELECT count(*) FROM stations').get();
  bare.close();
  floors.push(performance.now() - started);
}
report.add({
  id: 'first-answer',
  label: "head's first answer after start (open, checks, purge at start, first getSnapshot), median of 3",
  value: quantile(starts, 0.5),
  unit: 'ms',
  floor: quantile(floors, 0.5),
  floorLabel: 'opening the same file and one read',
  budget: anyOf(atMost(1000)),
  note: `${starts.map((t) => t.toFixed(0)).join(', ')} ms; head log ${mb(headBytes)}`,
});
report.print();
if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
else console.log(root);
if (!headCheck.ok || again !== 0 || imported !== generated) process.exitCode = 1;
