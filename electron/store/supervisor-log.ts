// The supervisor engine's view of the log and of the export folders (SupervisorLog), bound to one connection.
import { readdir, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { RunningTask, SupervisorLog, TaskProgress } from '../engine/supervisor/ports';
import type { PurgeCounts } from '../engine/supervisor/domain';
import type { LogVerificationView, PurgeTrigger } from '../../shared/supervisor-contract';
import { KioskError } from '../../shared/errors';
import { localDay } from '../../shared/days';
import { dashboardPeriod } from './dashboard';
import { writeCheckpoint, type CheckpointReason } from './checkpoints';
import { deleteLockedDevices } from './devices';
import { appendEvent, chainHead, readAnchor } from './events';
import { snapshotLog, writeBundle } from './bundle';
import { folderAccess } from './file-modes';
import { fingerprintOf, listStations, listTrusted, type StationIdentity } from './identity';
import { asRefusal, importBundle, recordImport, recordRefusal } from './import';
import * as byStation from './station-dashboard';
import { readFigures } from './figures';
import { verifyLog, type LogVerification } from './verify';
import { logReader, runTask } from './worker/tasks';
import { eraseAgentData, lastPurge, purgeExpired, recordPurge } from './retention';
import { replaceRoster } from './roster';
import { readSettings, writeSettings } from './settings';
import { readConsoleLockout, readSupervisorPassphrase, writeConsoleLockout, writeSupervisorPassphrase } from './supervisor-auth';
import { browseWithin, readFileWithin } from './roster';
import { exportTableCsv, partialName, prepareExportFolder, removableDrives, writeExportFile } from './supervisor-export';
import * as q from './supervisor-queries';
import { kioskTurn } from './worker/writer-turn';

function verificationView(v: LogVerification): LogVerificationView {
  return {
    ok: v.ok,
    events: v.events,
    headHash: v.headHash,
    checkpoints: v.checkpoints,
    stationId: v.station?.stationId ?? null,
    fingerprint: v.station?.fingerprint ?? null,
    unsignedAfter: v.unsignedAfter,
    problem: v.problem,
  };
}

/** Runs `work` here and now, as a task that cannot be cancelled: a log in memory has no file a worker could open. */
function here<T>(work: () => T | Promise<T>): RunningTask<T> {
  return { answer: new Promise<T>((resolve) => resolve(work())), cancel: () => {} };
}

/**
 * `identity` signs the checkpoints of purges, exports, bundles and imports (null only in tests of the console alone).
 * Where the log is a file, the dashboards are read by a worker kept for the purpose (`close` ends it) and the long
 * tasks each run in a worker of their own. `readHere`: the dashboards are read on the calling thread (the admin
 * command line, a process of its own with nobody else to answer).
 */
export function createSupervisorLog(
  db: Database.Database,
  identity: StationIdentity | null = null,
  { readHere = false }: { readHere?: boolean } = {},
): SupervisorLog & { close(): Promise<void> } {
  const checkpoint = (reason: CheckpointReason, at: number) => {
    if (identity) writeCheckpoint(db, identity, reason, at);
  };
  const reader = db.memory || readHere ? null : logReader(db.name);
  /** The last purge asked for: the next one starts once it is over. */
  let purges: Promise<unknown> = Promise.resolve();
  /** A purge asked for that has not started yet: later requests join it. */
  let waiting: { request: { now: number; trigger: PurgeTrigger; onProgress: TaskProgress }; running: RunningTask<PurgeCounts> } | null = null;
  /** Purges running or waiting, cancelled when the log closes. */
  const pendingPurges = new Set<RunningTask<PurgeCounts>>();
  return {
    // IMMEDIATE, as the engine's (store/port.ts): a purge or an import commits from a worker meanwhile.
    transaction: (fn) => kioskTurn.kioskWrites(() => db.transaction(fn).immediate()),
    settings: () => readSettings(db),
    writeSettings: (changes) => writeSettings(db, changes),
    append: (event) => void appendEvent(db, event),
    readPassphrase: () => readSupervisorPassphrase(db),
    writePassphrase: (stored) => writeSupervisorPassphrase(db, stored),
    readLockout: () => readConsoleLockout(db),
    writeLockout: (lockout) => writeConsoleLockout(db, lockout),
    period: (range, now) => dashboardPeriod(range, now, localDay),
    readFigures: (scope, plan) => (reader ? reader.read({ kind: 'figures', scope, plan }) : here(() => readFigures(db, scope, plan)).answer),
    replaceRoster: (entries) => replaceRoster(db, entries),
    rosterProgress: () => q.rosterProgress(db),
    deleteLockedDevices: (email) => deleteLockedDevices(db, email),
    eraseAgent: (email, at) => eraseAgentData(db, email, at),
    scrubFreedSpace: () => q.scrubFreedSpace(db),
    purge: (now, trigger, onProgress = () => {}) => {
      if (db.memory) {
        return here(() =>
          db.transaction(() => {
            const counts = purgeExpired(db, now, readSettings(db).retentionDays, trigger);
            checkpoint('purge', now);
            return counts;
          }).immediate(),
        );
      }
      // One purge at a time. One asked for while another runs waits for it, and the requests that come meanwhile
      // join the waiting one (with their time and trigger): an hour's timers queued behind a long purge are one purge.
      if (waiting) {
        Object.assign(waiting.request, { now, trigger, onProgress });
        return waiting.running;
      }
      const request = { now, trigger, onProgress, cancelled: false, stop: () => {} };
      const answer = purges
        .catch(() => undefined)
        .then(async () => {
          if (waiting?.request === request) waiting = null;
          if (request.cancelled) throw new KioskError('task_cancelled');
          const { retentionDays } = readSettings(db);
          // The deletes in the worker, in short steps; the chain is appended to (the purge's event, its checkpoint) here.
          const task = runTask({ kind: 'purge', dbPath: db.name, now: request.now, retentionDays }, (done, total) => request.onProgress(done, total));
          request.stop = task.cancel;
          const { counts } = await task.answer;
          // Closed meanwhile (the kiosk stopped, which cancels it): the steps done left the chain whole, unlogged.
          if (!db.open) return counts;
          return db
            .transaction(() => {
              recordPurge(db, request.now, counts, retentionDays, request.trigger);
              checkpoint('purge', request.now);
              return counts;
            })
            .immediate();
        });
      purges = answer;
      const running: RunningTask<PurgeCounts> = {
        answer,
        cancel: () => {
          request.cancelled = true;
          request.stop();
        },
      };
      waiting = { request, running };
      pendingPurges.add(running);
      void answer.catch(() => undefined).finally(() => pendingPurges.delete(running));
      return running;
    },
    checkpoint: (reason, at) => checkpoint(reason, at),
    lastPurge: () => lastPurge(db),
    folderAccess: (folder) => folderAccess(folder),
    exportTable: (kind, file, onProgress, format) => {
      if (db.memory) return here(() => exportTableCsv(db, kind, file, onProgress, format));
      const task = runTask({ kind: 'export', dbPath: db.name, table: kind, file, format }, onProgress);
      return {
        answer: task.answer.then(
          ({ rows }) => rows,
          async (error: unknown) => {
            // A worker that died (killed, out of memory) had no turn to remove its partial file.
            await rm(partialName(file), { force: true });
            throw error;
          },
        ),
        cancel: task.cancel,
      };
    },
    writeExportFile: (file, content) => writeExportFile(file, content),
    prepareExportFolder: (folder, defaultFolder) => prepareExportFolder(folder, defaultFolder),
    removableDrives: () => removableDrives(userInfo().username),
    browseWithin: (folder, roots) => browseWithin(folder, roots),
    readFileWithin: (file, roots, maxBytes) => readFileWithin(file, roots, maxBytes),
    rosterProgressOf: (scope) => byStation.rosterProgress(db, scope),
    stations: () =>
      listStations(db).map((s) => ({
        stationId: s.stationId,
        name: s.isSelf ? readSettings(db).stationName : s.name,
        fingerprint: fingerprintOf(s.publicKey),
        isSelf: s.isSelf,
        lastEventId: s.lastEventId,
        importedAt: s.importedAt,
      })),
    verifyOwnLog: (fingerprint, onProgress) => {
      // A log in memory (tests of the console alone) has no file a worker could open: verified here.
      if (db.memory) return here(() => verificationView(verifyLog(db, fingerprint === undefined ? {} : { fingerprint })));
      const task = runTask({ kind: 'verify', dbPath: db.name, ...(fingerprint === undefined ? {} : { fingerprint }) }, onProgress);
      return { answer: task.answer.then((a) => verificationView(a.verification)), cancel: task.cancel };
    },
    chainHead: () => {
      const head = chainHead(db);
      return { events: head.id - readAnchor(db).purgedThrough, headHash: head.hash.toString('hex') };
    },
    writeBundle: async (file, now) => {
      if (!identity) throw new Error('no station identity to sign the bundle');
      // The snapshot (VACUUM INTO, scrub, verify: seconds on a long log) in the worker; signing stays here.
      const signer = identity;
      await writeBundle(db, signer, file, now, async (scratch, at) => {
        if (db.memory) return snapshotLog(db, scratch, signer, at);
        const task = runTask({ kind: 'snapshot', dbPath: db.name, scratch, signer: { stationId: signer.stationId, publicKey: signer.publicKey, fingerprint: signer.fingerprint }, at }, () => {});
        return (await task.answer).manifest;
      });
    },
    listBundles: async (folder) => {
      if (!isAbsolute(folder) || !(await stat(folder)).isDirectory()) throw new Error(`${folder} is not a folder`);
      const names = (await readdir(folder)).filter((n) => n.toLowerCase().endsWith('.ekb')).sort();
      return names.map((n) => join(folder, n));
    },
    importBundle: (file, now, options) => {
      if (!identity) throw new Error('no station identity to sign the import');
      // The private copy goes in the data folder (0700), never on the drive the bundle came from.
      const scratchDir = dirname(db.name);
      if (db.memory) {
        const answer = importBundle(db, identity, file, now, { scratchDir, ...options });
        return { answer, cancel: () => {} };
      }
      const { trust, onProgress = () => {} } = options;
      const task = runTask(
        {
          kind: 'import',
          dbPath: db.name,
          file,
          scratchDir,
          stationId: identity.stationId,
          publicKey: identity.publicKey,
          at: now(),
          ...(trust === undefined ? {} : { trust }),
        },
        onProgress,
      );
      // The worker merged the rows; the chain is appended to on this thread alone.
      const answer = task.answer.then(
        ({ result }) => {
          recordImport(db, identity, result, now());
          return result;
        },
        (error: unknown) => {
          const refusal = asRefusal(error, file);
          recordRefusal(db, refusal, file, now());
          throw refusal;
        },
      );
      return { answer, cancel: task.cancel };
    },
    trustedStations: () => listTrusted(db),
    close: async () => {
      for (const purge of pendingPurges) purge.cancel();
      await reader?.close();
    },
  };
}
