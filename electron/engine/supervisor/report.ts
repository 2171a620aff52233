// The printable report for management, in the console's language: dashboard figures and the difficulties by step.
import type { Dashboard, RosterView, StationFigures, StationView } from '../../../shared/supervisor-contract';
import { formatDuration, formatNumber, formatPercent, LOCALES } from '../../../shared/display-format';
import type { Language } from '../../../shared/steps';
import { escapeHtml, REPORT_LABELS, type ReportLabels } from './report-labels';

export interface ReportData {
  stationName: string;
  generatedAt: number;
  /** Figures of this station, or of all stations once others were imported (`byStation` then lists each). */
  today: Dashboard;
  week: Dashboard;
  all: Dashboard;
  roster: RosterView['counts'] | null;
  language: Language;
  /** This station first (its fingerprint is the one to note), then every station imported. */
  stations: StationView[];
  byStation: StationFigures[];
  /** The head of this station's log as signed when the report was made: noted, it proves nothing was cut off later. */
  signedHead: { events: number; headHash: string };
}

/** The figures as the console writes them, in the report's language. */
const formats = (language: Language) => ({
  number: (n: number) => formatNumber(n, language),
  percent: (rate: number | null) => formatPercent(rate, language),
  duration: (ms: number | null) => formatDuration(ms, 'long'),
});

function figuresTable(data: ReportData, l: ReportLabels): string {
  const { number, percent, duration } = formats(l.language);
  const f = l.figures;
  const ranges = [data.today, data.week, data.all];
  const row = (label: string, cell: (d: Dashboard) => string) =>
    `<tr><th scope="row">${label}</th>${ranges.map((d) => `<td>${cell(d)}</td>`).join('')}</tr>`;
  return `<table class="report-figures">
<thead><tr><th></th>${l.ranges.map((r) => `<th scope="col">${r}</th>`).join('')}</tr></thead>
<tbody>
${row(f.sessions, (d) => number(d.sessions))}
${row(f.completed, (d) => number(d.completed))}
${row(f.abandoned, (d) => number(d.abandoned))}
${row(f.timedOut, (d) => number(d.timedOut))}
${row(f.locked, (d) => number(d.locked))}
${row(f.failed, (d) => number(d.failed))}
${row(f.completionRate, (d) => percent(d.completionRate))}
${row(f.medianDuration, (d) => duration(d.medianDurationMs))}
${row(f.training, (d) => number(d.training))}
</tbody></table>`;
}

function funnelTable(d: Dashboard, l: ReportLabels): string {
  const { number, percent } = formats(l.language);
  const first = d.funnel.find((f) => f.step === 'identify')?.reached ?? 0;
  const rows = d.funnel
    .filter((f) => f.step !== 'welcome')
    .map(
      (f) =>
        `<tr><th scope="row">${l.steps[f.step] ?? escapeHtml(f.step)}</th><td>${number(f.reached)}</td>` +
        `<td>${first === 0 ? '—' : percent(f.reached / first)}</td></tr>`,
    )
    .join('\n');
  return `<table class="report-funnel"><thead><tr>${l.funnelHead.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table>`;
}

function difficultiesTable(d: Dashboard, l: ReportLabels): string {
  const { number } = formats(l.language);
  if (d.difficulties.length === 0) return `<p>${l.noDifficulty}</p>`;
  const rows = d.difficulties
    .map(
      (x) =>
        `<tr><td>${l.steps[x.step] ?? escapeHtml(x.step)}</td><td>${l.codes[x.code] ?? escapeHtml(x.code)}</td>` +
        `<td>${number(x.count)}</td></tr>`,
    )
    .join('\n');
  return `<table class="report-difficulties"><thead><tr>${l.difficultiesHead.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table>`;
}

function rosterSection(roster: ReportData['roster'], l: ReportLabels): string {
  if (roster === null || roster.total === 0) return '';
  const { number } = formats(l.language);
  const r = l.roster;
  return `<h2>${l.rosterTitle}</h2>
<table class="report-figures"><tbody>
<tr><th scope="row">${r.total}</th><td>${number(roster.total)}</td></tr>
<tr><th scope="row">${r.notStarted}</th><td>${number(roster.notStarted)}</td></tr>
<tr><th scope="row">${r.deviceRegistered}</th><td>${number(roster.deviceRegistered)}</td></tr>
<tr><th scope="row">${r.signInTested}</th><td>${number(roster.signInTested)}</td></tr>
</tbody></table>`;
}

/**
 * A fingerprint read off paper is split over lines only between its groups of four, never inside one: the
 * « Par poste » table then fits the page's width (A4 portrait) instead of running off its right edge.
 */
function fingerprintHtml(fingerprint: string): string {
  return fingerprint
    .split('-')
    .map((group) => `<span class="group">${escapeHtml(group)}</span>`)
    .join('-<wbr>');
}

function stationsSection(data: ReportData, l: ReportLabels): string {
  const { number, percent, duration } = formats(l.language);
  const w = l.identity;
  const self = data.stations.find((s) => s.isSelf);
  const head = `<p class="identity">${w.fingerprint}${w.colon} <strong class="fingerprint">${fingerprintHtml(self?.fingerprint ?? '—')}</strong>
(${w.id} ${escapeHtml(self?.stationId ?? '—')}). ${w.signedLog(number(data.signedHead.events))},
${w.head} <code>${escapeHtml(data.signedHead.headHash)}</code>.
${w.noteIt('<code>npm run admin -- verify kiosk.db --fingerprint …</code>')}</p>`;
  if (data.byStation.length === 0) return head;
  const rows = data.byStation
    .map((r) => {
      const fp = fingerprintHtml(data.stations.find((s) => s.stationId === r.stationId)?.fingerprint ?? '—');
      return `<tr><th scope="row">${escapeHtml(r.name)}${r.isSelf ? w.thisStation : ''}<br><small class="fingerprint">${fp}</small></th>` +
        `<td>${number(r.sessions)}</td><td>${number(r.completed)}</td><td>${percent(r.completionRate)}</td>` +
        `<td>${duration(r.medianDurationMs)}</td><td>${number(r.registered)}</td><td>${number(r.tested)}</td></tr>`;
    })
    .join('\n');
  const headRow = w.columns.map((c) => `<th scope="col">${c}</th>`).join('');
  return `${head}
<h2>${w.byStationTitle}</h2>
<table class="report-stations"><thead><tr>${headRow}</tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

/** The report's content, without <html>/<head>: the browser shell shows it inside the console to print it. */
export function renderReportBody(data: ReportData): string {
  const l = REPORT_LABELS[data.language];
  const { number } = formats(l.language);
  const when = new Date(data.generatedAt).toLocaleString(LOCALES[l.language], { dateStyle: 'long', timeStyle: 'short' });
  const clock = data.week.clockOffset;
  const clockNote = clock.warning
    ? `<p class="warning">${l.clockWarning(number(Math.round(Math.abs(clock.medianSeconds ?? 0) / 60)), number(clock.samples))}</p>`
    : '';
  return `<article class="report">
<h1>${l.title}</h1>
<p class="meta">${l.station}${l.identity.colon} <strong>${escapeHtml(data.stationName)}</strong> — ${l.printedOn} ${escapeHtml(when)}${
    data.byStation.length > 0 ? ` — <strong>${l.identity.stationsJoined(number(data.byStation.length))}</strong>` : ''
  }</p>
${stationsSection(data, l)}
${clockNote}
<h2>${l.keyFigures}${data.byStation.length > 0 ? l.identity.allStations : ''}</h2>
${figuresTable(data, l)}
<h2>${l.funnelTitle}</h2>
${funnelTable(data.all, l)}
<h2>${l.difficultiesTitle}</h2>
${difficultiesTable(data.all, l)}
${rosterSection(data.roster, l)}
<p class="note">${l.note}</p>
</article>`;
}

/**
 * A4 portrait, every column inside the page: the page margins alone (the body's margin is for the screen), cells
 * that wrap their words, long codes that break anywhere, and the fingerprint's groups kept whole.
 */
const REPORT_CSS = `body{font-family:system-ui,sans-serif;margin:2cm;color:#111}
@media print{body{margin:0}}
h1{font-size:20pt}h2{font-size:14pt;margin-top:1.5em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #999;padding:4px 6px;text-align:left;overflow-wrap:break-word}td{text-align:right}
.report-difficulties td:first-child,.report-difficulties td:nth-child(2){text-align:left}
.report-stations{font-size:8.5pt}.report-stations th,.report-stations td{padding:3px 4px}.fingerprint{font-family:monospace}.fingerprint .group{white-space:nowrap}
code{overflow-wrap:anywhere;word-break:break-all}
.warning{border:2px solid #b00;padding:8px;font-weight:bold}.meta,.note{color:#333}
@page{size:A4 portrait;margin:1.5cm}`;

/** The whole page: the file written beside the CSVs, and what the Electron shell turns into a PDF. */
export function renderReportDocument(data: ReportData): string {
  return `<!doctype html>
<html lang="${data.language}"><head><meta charset="utf-8"><title>${REPORT_LABELS[data.language].title} — ${escapeHtml(data.stationName)}</title>
<style>${REPORT_CSS}</style></head>
<body>
${renderReportBody(data)}
</body></html>
`;
}
