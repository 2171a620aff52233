// The supervisor engine's view of the log and of the export folders (SupervisorLog), bound to one connection.
import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import type { SupervisorLog } from '../engine/supervisor/ports';
import { appendEvent } from './events';
import { replaceRoster } from './roster';
import { readSettings, writeSettings } from './settings';
import { readConsoleLockout, readSupervisorPassphrase, writeConsoleLockout, writeSupervisorPassphrase } from './supervisor-auth';
import { exportTableCsv, prepareExportFolder, removableDrives, writeExportFile } from './supervisor-export';
import * as q from './supervisor-queries';

export function createSupervisorLog(db: Database.Database): SupervisorLog {
  return {
    transaction: (fn) => db.transaction(fn)(),
    settings: () => readSettings(db),
    writeSettings: (changes) => writeSettings(db, changes),
    append: (event) => void appendEvent(db, event),
    readPassphrase: () => readSupervisorPassphrase(db),
    writePassphrase: (stored) => writeSupervisorPassphrase(db, stored),
    readLockout: () => readConsoleLockout(db),
    writeLockout: (lockout) => writeConsoleLockout(db, lockout),
    outcomeCounts: (sinceDay) => q.outcomeCounts(db, sinceDay),
    medianCompletedDuration: (sinceDay) => q.medianCompletedDuration(db, sinceDay),
    furthestStepCounts: (sinceDay) => q.furthestStepCounts(db, sinceDay),
    topErrorCodes: (sinceMs, limit) => q.topErrorCodes(db, sinceMs, limit),
    errorsByStep: (sinceMs) => q.errorsByStep(db, sinceMs),
    recentClockOffsets: (sinceMs, limit) => q.recentClockOffsets(db, sinceMs, limit),
    replaceRoster: (entries) => replaceRoster(db, entries),
    rosterProgress: () => q.rosterProgress(db),
    deleteLockedDevices: (email) => q.deleteLockedDevices(db, email),
    deleteAgentData: (email) => q.deleteAgentData(db, email),
    scrubFreedSpace: () => q.scrubFreedSpace(db),
    purge: null,
    exportTable: (kind, file, onProgress) => exportTableCsv(db, kind, file, onProgress),
    writeExportFile: (file, content) => writeExportFile(file, content),
    prepareExportFolder: (folder, defaultFolder) => prepareExportFolder(folder, defaultFolder),
    removableDrives: () => removableDrives(userInfo().username),
  };
}
