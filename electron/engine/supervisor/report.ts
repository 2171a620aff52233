// The printable report for management (French, as issue 5 asks): dashboard figures and the difficulties by step.
import type { Dashboard, RosterView, StationFigures, StationView } from '../../../shared/supervisor-contract';

export interface ReportData {
  stationName: string;
  generatedAt: number;
  /** Figures of this station, or of all stations once others were imported (`byStation` then lists each). */
  today: Dashboard;
  week: Dashboard;
  all: Dashboard;
  roster: RosterView['counts'] | null;
  /** This station first (its fingerprint is the one to note), then every station imported. */
  stations: StationView[];
  byStation: StationFigures[];
  /** The head of this station's log as signed when the report was made: noted, it proves nothing was cut off later. */
  signedHead: { events: number; headHash: string };
}

/** Step names as the seeds and the screens call them; the report is for readers who never saw the code. */
const STEP_LABELS: Record<string, string> = {
  welcome: 'Accueil',
  identify: 'Identification (adresse e-mail)',
  'prepare-phone': 'Préparation du téléphone',
  'add-device': 'Ajout de l’appareil (nom, code PIN)',
  'scan-qr': 'Lecture du QR code',
  'confirm-device': 'Confirmation de l’appareil',
  registered: 'Appareil enregistré',
  'test-login': 'Test de connexion',
  done: 'Terminé',
  '': 'Hors étape',
};

/** Kept here rather than read from the renderer's messages: the report is built in the main process. */
const CODE_LABELS: Record<string, string> = {
  email_invalid: 'Adresse e-mail invalide',
  email_domain_not_allowed: 'Domaine d’adresse non autorisé',
  email_not_on_roster: 'Adresse absente de la liste',
  device_name_invalid: 'Nom d’appareil invalide',
  device_name_taken: 'Nom d’appareil déjà utilisé',
  pin_format: 'Code PIN au mauvais format',
  pin_mismatch: 'Codes PIN différents',
  pin_too_common: 'Code PIN trop courant',
  qr_expired: 'QR code expiré',
  pin_wrong: 'Code PIN erroné',
  code_format: 'Code à 6 chiffres au mauvais format',
  code_wrong: 'Code à 6 chiffres erroné',
  code_replayed: 'Code déjà utilisé',
  clock_offset: 'Horloge du téléphone décalée',
  verification_number_wrong: 'Numéro de vérification erroné',
  device_locked: 'Appareil verrouillé',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const number = (n: number) => n.toLocaleString('fr-FR');
const percent = (rate: number | null) =>
  rate === null ? '—' : `${(rate * 100).toLocaleString('fr-FR', { maximumFractionDigits: 0 })} %`;

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

function figuresTable(data: ReportData): string {
  const ranges = [data.today, data.week, data.all];
  const row = (label: string, cell: (d: Dashboard) => string) =>
    `<tr><th scope="row">${label}</th>${ranges.map((d) => `<td>${cell(d)}</td>`).join('')}</tr>`;
  return `<table class="report-figures">
<thead><tr><th></th><th scope="col">Aujourd’hui</th><th scope="col">7 derniers jours</th><th scope="col">Depuis le début</th></tr></thead>
<tbody>
${row('Sessions', (d) => number(d.sessions))}
${row('Terminées', (d) => number(d.completed))}
${row('Abandonnées', (d) => number(d.abandoned))}
${row('Expirées (inactivité)', (d) => number(d.timedOut))}
${row('Appareil bloqué', (d) => number(d.locked))}
${row('Taux de réussite', (d) => percent(d.completionRate))}
${row('Durée médiane (sessions terminées)', (d) => formatDuration(d.medianDurationMs))}
${row('Dont sessions de formation', (d) => number(d.training))}
</tbody></table>`;
}

function funnelTable(d: Dashboard): string {
  const first = d.funnel.find((f) => f.step === 'identify')?.reached ?? 0;
  const rows = d.funnel
    .filter((f) => f.step !== 'welcome')
    .map(
      (f) =>
        `<tr><th scope="row">${escapeHtml(STEP_LABELS[f.step] ?? f.step)}</th><td>${number(f.reached)}</td>` +
        `<td>${first === 0 ? '—' : percent(f.reached / first)}</td></tr>`,
    )
    .join('\n');
  return `<table class="report-funnel"><thead><tr><th scope="col">Étape</th><th scope="col">Sessions l’ayant atteinte</th><th scope="col">Part</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function difficultiesTable(d: Dashboard): string {
  if (d.difficulties.length === 0) return '<p>Aucune difficulté enregistrée.</p>';
  const rows = d.difficulties
    .map(
      (x) =>
        `<tr><td>${escapeHtml(STEP_LABELS[x.step] ?? x.step)}</td><td>${escapeHtml(CODE_LABELS[x.code] ?? x.code)}</td>` +
        `<td>${number(x.count)}</td></tr>`,
    )
    .join('\n');
  return `<table class="report-difficulties"><thead><tr><th scope="col">Étape</th><th scope="col">Difficulté</th><th scope="col">Occurrences</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function rosterSection(roster: ReportData['roster']): string {
  if (roster === null || roster.total === 0) return '';
  return `<h2>Liste des agents attendus</h2>
<table class="report-figures"><tbody>
<tr><th scope="row">Agents sur la liste</th><td>${number(roster.total)}</td></tr>
<tr><th scope="row">Non commencé</th><td>${number(roster.notStarted)}</td></tr>
<tr><th scope="row">Appareil enregistré</th><td>${number(roster.deviceRegistered)}</td></tr>
<tr><th scope="row">Connexion testée</th><td>${number(roster.signInTested)}</td></tr>
</tbody></table>`;
}

function stationsSection(data: ReportData): string {
  const self = data.stations.find((s) => s.isSelf);
  const head = `<p class="identity">Empreinte de la clé du poste&nbsp;: <strong class="fingerprint">${escapeHtml(self?.fingerprint ?? '—')}</strong>
(identifiant ${escapeHtml(self?.stationId ?? '—')}). Journal signé&nbsp;: ${number(data.signedHead.events)} événements,
tête <code>${escapeHtml(data.signedHead.headHash)}</code>.
Notez l’empreinte&nbsp;: la commande <code>npm run admin -- verify kiosk.db --fingerprint …</code> la contrôle.</p>`;
  if (data.byStation.length === 0) return head;
  const rows = data.byStation
    .map((r) => {
      // Non-breaking hyphens: a fingerprint read off paper must not be split over lines.
      const fp = (data.stations.find((s) => s.stationId === r.stationId)?.fingerprint ?? '—').replaceAll('-', '\u2011');
      return `<tr><th scope="row">${escapeHtml(r.name)}${r.isSelf ? ' (ce poste)' : ''}<br><small>${escapeHtml(fp)}</small></th>` +
        `<td>${number(r.sessions)}</td><td>${number(r.completed)}</td><td>${percent(r.completionRate)}</td>` +
        `<td>${formatDuration(r.medianDurationMs)}</td><td>${number(r.registered)}</td><td>${number(r.tested)}</td></tr>`;
    })
    .join('\n');
  return `${head}
<h2>Par poste (depuis le début)</h2>
<table class="report-stations"><thead><tr><th scope="col">Poste et empreinte</th><th scope="col">Sessions</th><th scope="col">Terminées</th>
<th scope="col">Taux de réussite</th><th scope="col">Durée médiane</th><th scope="col">Agents de la liste enregistrés</th><th scope="col">Connexion testée</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

/** The report's content, without <html>/<head>: the browser shell shows it inside the console to print it. */
export function renderReportBody(data: ReportData): string {
  const when = new Date(data.generatedAt).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
  const clock = data.week.clockOffset;
  const clockNote = clock.warning
    ? `<p class="warning">Attention : les téléphones et le poste diffèrent en moyenne de ${number(
        Math.round(Math.abs(clock.medianSeconds ?? 0) / 60),
      )} min (médiane des ${number(clock.samples)} dernières connexions). Vérifiez l’heure du poste.</p>`
    : '';
  return `<article class="report">
<h1>Rapport d’enrôlement à la double authentification</h1>
<p class="meta">Poste : <strong>${escapeHtml(data.stationName)}</strong> — édité le ${escapeHtml(when)}${
    data.byStation.length > 0 ? ` — <strong>${number(data.byStation.length)} postes réunis</strong>` : ''
  }</p>
${stationsSection(data)}
${clockNote}
<h2>Chiffres clés${data.byStation.length > 0 ? ' (tous les postes)' : ''}</h2>
${figuresTable(data)}
<h2>Progression par étape (depuis le début)</h2>
${funnelTable(data.all)}
<h2>Difficultés par étape (depuis le début)</h2>
${difficultiesTable(data.all)}
${rosterSection(data.roster)}
<p class="note">Aucune donnée personnelle (adresse, appareil, code) ne figure dans ce rapport.</p>
</article>`;
}

const REPORT_CSS = `body{font-family:system-ui,sans-serif;margin:2cm;color:#111}
h1{font-size:20pt}h2{font-size:14pt;margin-top:1.5em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #999;padding:4px 8px;text-align:left}td{text-align:right}
.report-difficulties td:first-child,.report-difficulties td:nth-child(2){text-align:left}
.warning{border:2px solid #b00;padding:8px;font-weight:bold}.meta,.note{color:#333}
@page{size:A4;margin:1.5cm}`;

/** The whole page: the file written beside the CSVs, and what the Electron shell turns into a PDF. */
export function renderReportDocument(data: ReportData): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapport d’enrôlement — ${escapeHtml(data.stationName)}</title>
<style>${REPORT_CSS}</style></head>
<body>
${renderReportBody(data)}
</body></html>
`;
}
