// The supervisor engine's view of the log and of the export folders (SupervisorLog), bound to one connection.
import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import type { SupervisorLog } from '../engine/supervisor/ports';
import { localDay } from '../../shared/days';
import * as dashboard from './dashboard';
import { dashboardPeriod } from './dashboard';
import { deleteLockedDevices } from './devices';
import { appendEvent } from './events';
import { folderAccess } from './file-modes';
import { eraseAgentData, lastPurge, purgeExpired } from './retention';
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
    purge: (now, trigger) => purgeExpired(db, now, readSettings(db).retentionDays, localDay, trigger),
    lastPurge: () => lastPurge(db),
    folderAccess: (folder) => folderAccess(folder),
    exportTable: (kind, file, onProgress) => exportTableCsv(db, kind, file, onProgress),
    writeExportFile: (file, content) => writeExportFile(file, content),
    prepareExportFolder: (folder, defaultFolder) => prepareExportFolder(folder, defaultFolder),
    removableDrives: () => removableDrives(userInfo().username),
  };
}
