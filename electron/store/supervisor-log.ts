// The supervisor engine's view of the log and of the export folders (SupervisorLog), bound to one connection.
import { readdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { SupervisorLog } from '../engine/supervisor/ports';
import type { LogVerificationView } from '../../shared/supervisor-contract';
import { localDay } from '../../shared/days';
import * as dashboard from './dashboard';
import { dashboardPeriod } from './dashboard';
import { writeCheckpoint, type CheckpointReason } from './checkpoints';
import { deleteLockedDevices } from './devices';
import { appendEvent, chainHead, readAnchor } from './events';
import { snapshotLog, writeBundle } from './bundle';
import { folderAccess } from './file-modes';
import { fingerprintOf, listStations, listTrusted, type StationIdentity } from './identity';
import { asRefusal, importBundle, recordImport, recordRefusal } from './import';
import * as byStation from './station-dashboard';
import { verifyLog, type LogVerification } from './verify';
import { runTask } from './worker/tasks';
import { eraseAgentData, lastPurge, purgeExpired } from './retention';
import { replaceRoster } from './roster';
import { readSettings, writeSettings } from './settings';
import { readConsoleLockout, readSupervisorPassphrase, writeConsoleLockout, writeSupervisorPassphrase } from './supervisor-auth';
import { browseWithin, readFileWithin } from './roster';
import { exportTableCsv, prepareExportFolder, removableDrives, writeExportFile } from './supervisor-export';
import * as q from './supervisor-queries';

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

/** `identity` signs the checkpoints of purges, exports, bundles and imports (null only in tests of the console alone). */
export function createSupervisorLog(db: Database.Database, identity: StationIdentity | null = null): SupervisorLog {
  const checkpoint = (reason: CheckpointReason, at: number) => {
    if (identity) writeCheckpoint(db, identity, reason, at);
  };
  return {
    transaction: (fn) => db.transaction(fn)(),
    settings: () => readSettings(db),
    writeSettings: (changes) => writeSettings(db, changes),
    append: (event) => void appendEvent(db, event),
    readPassphrase: () => readSupervisorPassphrase(db),
    writePassphrase: (stored) => writeSupervisorPassphrase(db, stored),
    readLockout: () => readConsoleLockout(db),
    writeLockout: (lockout) => writeConsoleLockout(db, lockout),
    period: (range, now) => dashboardPeriod(range, now, localDay),
    countsByDayAndOutcome: (period) => dashboard.countsByDayAndOutcome(db, period),
    medianDuration: (period) => dashboard.medianDuration(db, period),
    funnel: (period) => dashboard.funnel(db, period),
    topErrorCodes: (period, limit) => dashboard.topErrorCodes(db, period, limit),
    errorsByStep: (period) => q.errorsByStep(db, period),
    clockOffsets: (period, limit) => dashboard.clockOffsets(db, period, limit),
    clockJumps: (period, limit) => dashboard.clockJumps(db, period, limit),
    replaceRoster: (entries) => replaceRoster(db, entries),
    rosterProgress: () => q.rosterProgress(db),
    deleteLockedDevices: (email) => deleteLockedDevices(db, email),
    eraseAgent: (email, at) => eraseAgentData(db, email, at),
    scrubFreedSpace: () => q.scrubFreedSpace(db),
    purge: (now, trigger) =>
      db.transaction(() => {
        const counts = purgeExpired(db, now, readSettings(db).retentionDays, trigger);
        checkpoint('purge', now);
        return counts;
      })(),
    checkpoint: (reason, at) => checkpoint(reason, at),
    lastPurge: () => lastPurge(db),
    folderAccess: (folder) => folderAccess(folder),
    exportTable: (kind, file, onProgress, format) => exportTableCsv(db, kind, file, onProgress, format),
    writeExportFile: (file, content) => writeExportFile(file, content),
    prepareExportFolder: (folder, defaultFolder) => prepareExportFolder(folder, defaultFolder),
    removableDrives: () => removableDrives(userInfo().username),
    browseWithin: (folder, roots) => browseWithin(folder, roots),
    readFileWithin: (file, roots, maxBytes) => readFileWithin(file, roots, maxBytes),
    figuresOf: (scope) => ({
      period: (range, now) => dashboardPeriod(range, now, localDay),
      countsByDayAndOutcome: (period) => byStation.countsByDayAndOutcome(db, scope, period),
      medianDuration: (period) => byStation.medianDuration(db, scope, period),
      funnel: (period) => byStation.funnel(db, scope, period),
      topErrorCodes: (period, limit) => byStation.topErrorCodes(db, scope, period, limit),
      errorsByStep: (period) => byStation.errorsByStep(db, scope, period),
      clockOffsets: (period, limit) => byStation.clockOffsets(db, scope, period, limit),
      clockJumps: (period, limit) => byStation.clockJumps(db, scope, period, limit),
    }),
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
      if (db.memory) return { answer: Promise.resolve(verificationView(verifyLog(db, fingerprint === undefined ? {} : { fingerprint }))), cancel: () => {} };
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
  };
}
