// The console's exports into a folder (a USB stick): one job at a time with its progress, the CSVs and the report.
import { join } from 'node:path';
import type { Language } from '../../../shared/steps';
import { KioskError } from '../../../shared/errors';
import type { ExportKind, ExportProgress } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';
import { CSV_FORMATS } from './csv-labels';
import { buildDashboard } from './dashboard';
import type { ConsoleEvent, SupervisorHandlers, SupervisorOptions } from './handlers';
import type { RunningTask, SupervisorLog } from './ports';
import { renderReportBody, renderReportDocument, type ReportData } from './report';
import { rosterView } from './roster';
import { figuresFor, rosterRowsFor } from './scope';
import { compareStations } from './stations';

/** The station's own export folder, inside its data folder: the exports' default, and a place the roster picker lists. */
export function exportFolder(dataDir: string): string {
  return join(dataDir, 'exports');
}

/** "20261125-1830": sorts by date in a file listing, and has no character a FAT-formatted stick refuses. */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

type ExportHandlers = Pick<SupervisorHandlers, 'getExportTargets' | 'exportData' | 'getExportProgress' | 'getReport'>;

/**
 * The printable report's figures: today, the last 7 days and since the start, and the roster's progress;
 * in the console's language when it says which, else the station's.
 */
export async function buildReportData(log: SupervisorLog, now: number, dataDir: string, language?: Language): Promise<ReportData> {
  const stations = log.stations();
  const settings = log.settings();
  // With other stations imported, the report is the day's combined one: all stations, then each side by side.
  const scope = stations.length > 1 ? 'all' : 'this';
  const figures = figuresFor(log, scope);
  const roster = rosterView(rosterRowsFor(log, scope)).counts;
  const [today, week, all, byStation] = await Promise.all([
    buildDashboard(log, 'today', now, dataDir, { figures, station: scope }),
    buildDashboard(log, '7d', now, dataDir, { figures, station: scope }),
    buildDashboard(log, 'all', now, dataDir, { figures, station: scope }),
    stations.length > 1 ? compareStations(log, 'all', now, dataDir) : [],
  ]);
  return {
    language: language ?? settings.language,
    stationName: settings.stationName,
    generatedAt: now,
    today,
    week,
    all,
    roster: roster.total > 0 ? roster : null,
    stations,
    byStation,
    // The head as it is (a checkpoint signs it before an export): reading it costs one row, unlike a verification.
    signedHead: log.chainHead(),
  };
}

export function createExportHandlers(
  log: SupervisorLog,
  clock: Clock,
  event: ConsoleEvent,
  { dataDir, printToPdf, shellLock }: Pick<SupervisorOptions, 'dataDir' | 'printToPdf' | 'shellLock'>,
): ExportHandlers & { exportRunning(): boolean; cancelExport(): void } {
  const defaultFolder = exportFolder(dataDir);
  let job: ExportProgress = { state: 'idle', kind: null, rows: 0, total: 0, files: [], errorCode: null };
  /** The running export's table task (a worker), and whether the supervisor cancelled the export. */
  let table: RunningTask<number> | null = null;
  let cancelled = false;
  const stopIfCancelled = () => {
    if (cancelled) throw new KioskError('task_cancelled');
  };

  const reportData = (language: Language | undefined) => buildReportData(log, clock.now(), dataDir, language);

  async function runExport(kind: ExportKind, folder: string, language: Language | undefined): Promise<void> {
    const stamp = fileStamp(clock.now());
    // Signed first: the exported files (and the report's head hash) are then covered by a checkpoint.
    log.checkpoint('export', clock.now());
    if (kind === 'report') {
      const html = renderReportDocument(await reportData(language));
      stopIfCancelled();
      const htmlFile = join(folder, `rapport-${stamp}.html`);
      await log.writeExportFile(htmlFile, html);
      job = { ...job, files: [htmlFile], rows: 1, total: printToPdf ? 2 : 1 };
      // Once the HTML is on the drive the PDF follows whatever Cancel says: the report is never left in half.
      if (printToPdf) {
        const pdfFile = join(folder, `rapport-${stamp}.pdf`);
        await log.writeExportFile(pdfFile, await printToPdf(html));
        job = { ...job, files: [htmlFile, pdfFile], rows: 2 };
      }
    } else if (kind === 'bundle') {
      // One file per station and moment: bundles of several stations sit side by side on one drive.
      const self = log.stations().find((st) => st.isSelf);
      const file = join(folder, `poste-${stamp}-${(self?.stationId ?? 'station').slice(0, 8)}.ekb`);
      job = { ...job, total: 1 };
      await log.writeBundle(file, () => clock.now());
      job = { ...job, files: [file], rows: 1 };
    } else {
      const file = join(folder, `kiosk-${kind}-${stamp}.csv`);
      const format = CSV_FORMATS[language ?? log.settings().language];
      // In a worker: a long log's CSV takes seconds, which the kiosk's thread spends answering the agents.
      table = log.exportTable(
        kind,
        file,
        (rows, total) => {
          job = { ...job, rows, total };
        },
        format,
      );
      try {
        await table.answer;
      } finally {
        table = null;
      }
      job = { ...job, files: [file] };
    }
    event('data_exported', { kind });
  }

  return {
    exportRunning: () => job.state === 'running',

    /** Stops the running export: its table at the next page, the report before its first file; no partial file stays. */
    cancelExport: () => {
      if (job.state !== 'running') return;
      cancelled = true;
      table?.cancel();
    },

    getExportTargets: async () => ({
      defaultFolder,
      removable: await log.removableDrives(),
    }),

    async exportData({ kind, folder, language }) {
      if (job.state === 'running') throw new KioskError('export_busy');
      if (!(await log.prepareExportFolder(folder, defaultFolder))) throw new KioskError('export_folder_invalid', { folder });
      job = { state: 'running', kind, rows: 0, total: 0, files: [], errorCode: null };
      cancelled = false;
      runExport(kind, folder, language).then(
        () => {
          job = { ...job, state: 'done' };
        },
        (error: unknown) => {
          // The reason (disk full, stick pulled) is not the supervisor's to debug; the code says what to do.
          const code = cancelled || (error instanceof KioskError && error.code === 'task_cancelled') ? 'task_cancelled' : 'export_failed';
          job = { ...job, state: 'failed', errorCode: code };
        },
      );
      return job;
    },

    getExportProgress: async () => job,

    // A window the browser shell holds has printing off (its kiosk profile and policies); Electron and serve can print.
    getReport: async ({ language }) => ({ bodyHtml: renderReportBody(await reportData(language)), canPrint: shellLock?.().window !== 'held' }),
  };
}
