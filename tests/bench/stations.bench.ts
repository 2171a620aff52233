// `npm run bench` (stations part): 10 station bundles of 100,000 events each, verified and imported on a head station.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { buildDashboard } from '../../electron/engine/supervisor/dashboard';
import { writeBundle } from '../../electron/store/bundle';
import type { StationIdentity } from '../../electron/store/identity';
import { importBundle, withCheckedBundle } from '../../electron/store/import';
import { openLog } from '../../electron/store/open';
import { openStation } from '../../electron/store/station';
import { writeSettings } from '../../electron/store/settings';
import { createSupervisorLog } from '../../electron/store/supervisor-log';
import { verifyLog } from '../../electron/store/verify';
import { fillDayLog } from './day-log';

const STATIONS = Number(process.env.BENCH_STATIONS ?? 10);
const EVENTS_PER_STATION = Number(process.env.BENCH_STATION_EVENTS ?? 100_000);
const DASHBOARD_RUNS = 50;

const root = mkdtempSync(join(tmpdir(), 'kiosk-stations-bench-'));
const drive = join(root, 'usb');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
let peakRss = process.memoryUsage().rss;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const day0 = Date.UTC(2026, 10, 25, 7, 0, 0);

function station(name: string): { db: Database.Database; identity: StationIdentity } {
  const dir = join(root, name);
  const { db } = openLog(join(dir, 'kiosk.db'));
  writeSettings(db, { stationName: name });
  return { db, identity: openStation(db, randomBytes(32), day0) };
}

function fill(db: Database.Database, identity: StationIdentity, events: number): void {
  fillDayLog(db, identity, events, day0);
}

const bundles: string[] = [];
let generated = 0;
const genStart = performance.now();
mkdirSync(drive, { recursive: true });
for (let i = 0; i < STATIONS; i += 1) {
  const { db, identity } = station(`poste-${i + 1}`);
  fill(db, identity, EVENTS_PER_STATION);
  const file = join(drive, `poste-${i + 1}.ekb`);
  const { manifest } = await writeBundle(db, identity, file, () => day0 + 86_400_000);
  generated += manifest.events;
  bundles.push(file);
  db.close();
  sampleRss();
}
const genSeconds = (performance.now() - genStart) / 1000;
const bundleBytes = bundles.reduce((sum, f) => sum + statSync(f).size, 0);
console.log(`stations: ${STATIONS} bundles, ${generated} events, ${mb(bundleBytes)} on the drive (written in ${genSeconds.toFixed(1)} s)`);

// Verify each bundle alone (admin verify): copy, digest, integrity, chain, signatures, session rows.
let verified = 0;
const verifyStart = performance.now();
for (const file of bundles) {
  const v = await withCheckedBundle(file, { scratchDir: root }, ({ db }) => verifyLog(db));
  if (!v.ok) throw new Error(`${file} did not verify: ${JSON.stringify(v.problem)}`);
  verified += v.events;
  sampleRss();
}
const verifySeconds = (performance.now() - verifyStart) / 1000;
console.log(`stations: verify ${verified} events in ${verifySeconds.toFixed(1)} s = ${(verified / verifySeconds).toFixed(0)} events/s`);

// Import all of them on a head station, then once more (idempotent: nothing added).
const head = station('head');
let imported = 0;
const importStart = performance.now();
for (const file of bundles) {
  imported += (await importBundle(head.db, head.identity, file, () => day0 + 8 * 86_400_000, { scratchDir: root })).events;
  sampleRss();
}
const importSeconds = (performance.now() - importStart) / 1000;
console.log(`stations: import ${imported} events in ${importSeconds.toFixed(1)} s = ${(imported / importSeconds).toFixed(0)} events/s`);
let again = 0;
for (const file of bundles) again += (await importBundle(head.db, head.identity, file, () => day0 + 8 * 86_400_000, { scratchDir: root })).events;
console.log(`stations: importing the same ${STATIONS} bundles again added ${again} events`);

// The head's dashboard over all stations, as the supervisor opens it after the import.
const log = createSupervisorLog(head.db, head.identity);
const all = log.figuresOf({ kind: 'all' });
const times: number[] = [];
let sessions = 0;
for (let i = 0; i < DASHBOARD_RUNS; i += 1) {
  const started = performance.now();
  sessions = buildDashboard(log, 'all', day0 + 8 * 86_400_000, root, { figures: all, station: 'all' }).sessions;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0;
sampleRss();
console.log(
  `stations: head dashboard "all stations" over ${sessions} sessions: p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms (${DASHBOARD_RUNS} runs)`,
);
const headFiles = ['kiosk.db', 'kiosk.db-wal'].map((f) => join(root, 'head', f));
const headBytes = headFiles.reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
console.log(`stations: peak RSS ${mb(peakRss)}; head log ${mb(headBytes)}`);
const headCheck = verifyLog(head.db);
console.log(`stations: head chain ${headCheck.ok ? 'intact and signed' : `BROKEN: ${JSON.stringify(headCheck.problem)}`}`);
head.db.close();
if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
else console.log(root);
if (!headCheck.ok || again !== 0 || imported !== generated) process.exitCode = 1;
