// The station dimension of the console: whose figures (this station, all, one imported), side by side; verify, bundle imports and the trust list.
import { basename } from 'node:path';
import { KioskError } from '../../../shared/errors';
import type { DashboardRange, ImportProgress, StationFigures, VerifyProgress } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';
import { buildDashboard } from './dashboard';
import type { ConsoleEvent, SupervisorHandlers } from './handlers';
import type { RunningTask, SupervisorLog } from './ports';
import { rosterView } from './roster';
import { figuresFor, rosterRowsFor } from './scope';

/** Each station's main figures side by side, this station first. */
export async function compareStations(log: SupervisorLog, range: DashboardRange, now: number, dataDir: string): Promise<StationFigures[]> {
  return Promise.all(
    log.stations().map(async (s) => {
      const scope = s.isSelf ? 'this' : s.stationId;
      const d = await buildDashboard(log, range, now, dataDir, { figures: figuresFor(log, scope), station: scope });
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
    }),
  );
}

type StationHandlers = Pick<
  SupervisorHandlers,
  | 'getStations'
  | 'compareStations'
  | 'verifyLog'
  | 'getVerifyProgress'
  | 'importBundles'
  | 'getImportProgress'
  | 'approveBundle'
  | 'cancelTask'
  | 'getTrustedStations'
>;

const idleImport = (): ImportProgress => ({ state: 'idle', total: 0, done: 0, rows: 0, rowsTotal: 0, results: [], errorCode: null });
const idleVerify = (): VerifyProgress => ({ state: 'idle', done: 0, total: 0, result: null, errorCode: null });

/**
 * Verify and import run in a worker thread (store/worker), one at a time: the console follows them by
 * polling, which also keeps it open however long they take. `exportRunning`: an import waits for a running
 * export (both write to the log and read the drive).
 */
export function createStationHandlers(
  log: SupervisorLog,
  clock: Clock,
  event: ConsoleEvent,
  dataDir: string,
  exportRunning: () => boolean,
): StationHandlers {
  let importJob = idleImport();
  let verifyJob = idleVerify();
  /** The task running now, to cancel; null when none is. */
  let running: RunningTask<unknown> | null = null;
  /** Held bundles' full paths by file name, for the supervisor's approval. */
  const held = new Map<string, string>();

  const busy = () => running !== null || exportRunning();

  async function importOne(file: string, trust?: string): Promise<ImportProgress['results'][number]> {
    const name = basename(file);
    importJob = { ...importJob, rows: 0, rowsTotal: 0 };
    const task = log.importBundle(file, () => clock.now(), {
      ...(trust === undefined ? {} : { trust }),
      onProgress: (rows, rowsTotal) => {
        importJob = { ...importJob, rows, rowsTotal };
      },
    });
    running = task;
    try {
      const r = await task.answer;
      held.delete(name);
      return { file: name, ok: true, stationName: r.stationName, events: r.events, sessions: r.sessions, errorCode: null, fingerprint: null };
    } catch (error) {
      const code = error instanceof KioskError ? error.code : 'bundle_failed';
      const fingerprint = code === 'bundle_held' && error instanceof KioskError ? String(error.params.fingerprint ?? '') : null;
      const stationName = code === 'bundle_held' && error instanceof KioskError ? String(error.params.stationName ?? '') : null;
      if (fingerprint) held.set(name, file);
      return { file: name, ok: false, stationName, events: 0, sessions: 0, errorCode: code, fingerprint };
    } finally {
      running = null;
    }
  }

  async function runImport(files: string[]): Promise<void> {
    for (const file of files) {
      const result = await importOne(file);
      importJob = { ...importJob, results: [...importJob.results, result], done: importJob.done + 1 };
      if (result.errorCode === 'bundle_cancelled') break;
    }
    importJob = { ...importJob, state: 'done' };
  }

  async function approve(file: string, fingerprint: string): Promise<void> {
    const result = await importOne(file, fingerprint);
    importJob = {
      ...importJob,
      state: 'done',
      results: importJob.results.map((r) => (r.file === result.file ? result : r)),
    };
  }

  async function runVerify(fingerprint: string | undefined): Promise<void> {
    const task = log.verifyOwnLog(fingerprint, (done, total) => {
      verifyJob = { ...verifyJob, done, total };
    });
    running = task;
    try {
      const result = await task.answer;
      verifyJob = { ...verifyJob, state: 'done', done: result.events, total: result.events, result };
      event('log_verified', { ok: result.ok, problem: result.problem?.code ?? null });
    } catch (error) {
      verifyJob = { ...verifyJob, state: 'failed', errorCode: error instanceof KioskError ? error.code : 'export_failed' };
    } finally {
      running = null;
    }
  }

  return {
    getStations: async () => ({ stations: log.stations() }),

    compareStations: async ({ range }) => ({ rows: await compareStations(log, range, clock.now(), dataDir) }),

    async verifyLog({ fingerprint }) {
      if (busy()) throw new KioskError('export_busy');
      verifyJob = { ...idleVerify(), state: 'running' };
      void runVerify(fingerprint?.trim() ? fingerprint : undefined);
      return verifyJob;
    },

    getVerifyProgress: async () => verifyJob,

    async importBundles({ folder }) {
      if (busy()) throw new KioskError('export_busy');
      const files = await log.listBundles(folder).catch(() => null);
      if (files === null) throw new KioskError('export_folder_invalid', { folder });
      importJob = { ...idleImport(), state: 'running', total: files.length };
      held.clear();
      void runImport(files);
      return importJob;
    },

    getImportProgress: async () => importJob,

    async approveBundle({ file, fingerprint }) {
      if (busy()) throw new KioskError('export_busy');
      const path = held.get(file);
      if (!path) throw new KioskError('bundle_failed', { file });
      importJob = { ...importJob, state: 'running' };
      void approve(path, fingerprint);
      return importJob;
    },

    async cancelTask() {
      running?.cancel();
      return {};
    },

    getTrustedStations: async () => ({ stations: log.trustedStations() }),
  };
}
