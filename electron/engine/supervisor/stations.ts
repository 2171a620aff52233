// The station dimension of the console: whose figures (this station, all, one imported), side by side, and bundle imports.
import { basename } from 'node:path';
import { KioskError } from '../../../shared/errors';
import type { DashboardRange, ImportProgress, StationFigures } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';
import { buildDashboard } from './dashboard';
import type { ConsoleEvent, SupervisorHandlers } from './handlers';
import type { SupervisorLog } from './ports';
import { rosterView } from './roster';
import { figuresFor, rosterRowsFor } from './scope';

/** Each station's main figures side by side, this station first. */
export function compareStations(log: SupervisorLog, range: DashboardRange, now: number, dataDir: string): StationFigures[] {
  return log.stations().map((s) => {
    const scope = s.isSelf ? 'this' : s.stationId;
    const d = buildDashboard(log, range, now, dataDir, { figures: figuresFor(log, scope), station: scope });
    const roster = rosterView(rosterRowsFor(log, scope)).counts;
    return {
      stationId: s.stationId,
      name: s.name,
      isSelf: s.isSelf,
      sessions: d.sessions,
      completed: d.completed,
      inProgress: d.inProgress,
      completionRate: d.completionRate,
      medianDurationMs: d.medianDurationMs,
      registered: roster.deviceRegistered + roster.signInTested,
      tested: roster.signInTested,
    };
  });
}

type StationHandlers = Pick<SupervisorHandlers, 'getStations' | 'compareStations' | 'verifyLog' | 'importBundles' | 'getImportProgress'>;

/** `exportRunning`: an import waits for a running export (both write to the log and read the drive). */
export function createStationHandlers(
  log: SupervisorLog,
  clock: Clock,
  event: ConsoleEvent,
  dataDir: string,
  exportRunning: () => boolean,
): StationHandlers {
  let importJob: ImportProgress = { state: 'idle', total: 0, done: 0, results: [], errorCode: null };

  async function runImport(files: string[]): Promise<void> {
    for (const file of files) {
      const name = basename(file);
      try {
        const r = await log.importBundle(file, () => clock.now());
        importJob.results.push({ file: name, ok: true, stationName: r.stationName, events: r.events, sessions: r.sessions, errorCode: null });
      } catch (error) {
        const code = error instanceof KioskError ? error.code : 'bundle_failed';
        importJob.results.push({ file: name, ok: false, stationName: null, events: 0, sessions: 0, errorCode: code });
      }
      importJob = { ...importJob, done: importJob.done + 1 };
    }
    importJob = { ...importJob, state: 'done' };
  }

  return {
    getStations: async () => ({ stations: log.stations() }),

    compareStations: async ({ range }) => ({ rows: compareStations(log, range, clock.now(), dataDir) }),

    async verifyLog({ fingerprint }) {
      const result = log.verifyOwnLog(fingerprint?.trim() ? fingerprint : undefined);
      event('log_verified', { ok: result.ok, problem: result.problem?.code ?? null });
      return result;
    },

    async importBundles({ folder }) {
      if (importJob.state === 'running' || exportRunning()) throw new KioskError('export_busy');
      const files = await log.listBundles(folder).catch(() => null);
      if (files === null) throw new KioskError('export_folder_invalid', { folder });
      importJob = { state: 'running', total: files.length, done: 0, results: [], errorCode: null };
      void runImport(files);
      return importJob;
    },

    getImportProgress: async () => importJob,
  };
}
