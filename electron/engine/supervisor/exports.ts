// The console's exports into a folder (a USB stick): one job at a time with its progress, the CSVs and the report.
import { join } from 'node:path';
import { KioskError } from '../../../shared/errors';
import type { ExportKind, ExportProgress } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';
import { buildDashboard } from './dashboard';
import type { ConsoleEvent, SupervisorHandlers, SupervisorOptions } from './handlers';
import type { SupervisorLog } from './ports';
import { renderReportBody, renderReportDocument, type ReportData } from './report';
import { rosterView } from './roster';

/** "20261125-1830": sorts by date in a file listing, and has no character a FAT-formatted stick refuses. */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

type ExportHandlers = Pick<SupervisorHandlers, 'getExportTargets' | 'exportData' | 'getExportProgress' | 'getReport'>;

export function createExportHandlers(
  log: SupervisorLog,
  clock: Clock,
  event: ConsoleEvent,
  { dataDir, printToPdf }: Pick<SupervisorOptions, 'dataDir' | 'printToPdf'>,
): ExportHandlers {
  const defaultFolder = join(dataDir, 'exports');
  let job: ExportProgress = { state: 'idle', kind: null, rows: 0, total: 0, files: [], errorCode: null };

  function reportData(): ReportData {
    const now = clock.now();
    const roster = rosterView(log).counts;
    return {
      stationName: log.settings().stationName,
      generatedAt: now,
      today: buildDashboard(log, 'today', now, dataDir),
      week: buildDashboard(log, '7d', now, dataDir),
      all: buildDashboard(log, 'all', now, dataDir),
      roster: roster.total > 0 ? roster : null,
    };
  }

  async function runExport(kind: ExportKind, folder: string): Promise<void> {
    const stamp = fileStamp(clock.now());
    if (kind === 'report') {
      const html = renderReportDocument(reportData());
      const htmlFile = join(folder, `rapport-${stamp}.html`);
      await log.writeExportFile(htmlFile, html);
      job = { ...job, files: [htmlFile], rows: 1, total: printToPdf ? 2 : 1 };
      if (printToPdf) {
        const pdfFile = join(folder, `rapport-${stamp}.pdf`);
        await log.writeExportFile(pdfFile, await printToPdf(html));
        job = { ...job, files: [htmlFile, pdfFile], rows: 2 };
      }
    } else {
      const file = join(folder, `kiosk-${kind}-${stamp}.csv`);
      await log.exportTable(kind, file, (rows, total) => {
        job = { ...job, rows, total };
      });
      job = { ...job, files: [file] };
    }
    event('data_exported', { kind });
  }

  return {
    getExportTargets: async () => ({
      defaultFolder,
      removable: await log.removableDrives(),
    }),

    async exportData({ kind, folder }) {
      if (job.state === 'running') throw new KioskError('export_busy');
      if (!(await log.prepareExportFolder(folder, defaultFolder))) throw new KioskError('export_folder_invalid', { folder });
      job = { state: 'running', kind, rows: 0, total: 0, files: [], errorCode: null };
      runExport(kind, folder).then(
        () => {
          job = { ...job, state: 'done' };
        },
        () => {
          // The reason (disk full, stick pulled) is not the supervisor's to debug; the code says what to do.
          job = { ...job, state: 'failed', errorCode: 'export_failed' };
        },
      );
      return job;
    },

    getExportProgress: async () => job,

    getReport: async () => ({ bodyHtml: renderReportBody(reportData()) }),
  };
}
