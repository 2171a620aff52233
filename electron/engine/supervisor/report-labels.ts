// The report's words, read from the console's message files (the same keys where the console shows the same words), as HTML.
import en from '../../../shared/i18n/console/en.json' with { type: 'json' };
import fr from '../../../shared/i18n/console/fr.json' with { type: 'json' };
import { createTranslator, formatMessage, messageAt, stepKey } from '../../../shared/i18n/translate';
import { STEP_IDS, type Language } from '../../../shared/steps';

/** The console's messages; each language's file has every key of the other's (both assignments compile only then). */
export type ConsoleMessages = typeof fr;
export const CONSOLE_MESSAGES: Readonly<Record<Language, ConsoleMessages>> = { fr: fr satisfies typeof en, en };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Every text is HTML: the messages' words escaped, the parameters inserted as the report built them. */
export interface ReportLabels {
  language: Language;
  title: string;
  station: string;
  printedOn: string;
  /** `minutes` and `samples` as formatted numbers; likewise the other functions' parameters. */
  clockWarning: (minutes: string, samples: string) => string;
  keyFigures: string;
  ranges: [string, string, string];
  figures: {
    sessions: string;
    completed: string;
    abandoned: string;
    timedOut: string;
    locked: string;
    failed: string;
    completionRate: string;
    medianDuration: string;
    training: string;
  };
  funnelTitle: string;
  funnelHead: [string, string, string];
  difficultiesTitle: string;
  difficultiesHead: [string, string, string];
  noDifficulty: string;
  rosterTitle: string;
  roster: { total: string; notStarted: string; deviceRegistered: string; signInTested: string };
  note: string;
  /** The station's identity and the stations side by side (a combined report of an enrolment day). */
  identity: {
    /** Between a label and its value: « Borne : », "Station: ". */
    colon: string;
    fingerprint: string;
    id: string;
    signedLog: (events: string) => string;
    head: string;
    /** `command`: the command line that checks the fingerprint, as HTML. */
    noteIt: (command: string) => string;
    stationsJoined: (count: string) => string;
    allStations: string;
    byStationTitle: string;
    thisStation: string;
    columns: [string, string, string, string, string, string, string];
  };
  /** By step id, and '' for an error outside any step. */
  steps: Readonly<Record<string, string>>;
  /** The difficulty's name by error code. */
  codes: Readonly<Record<string, string>>;
}

/** The report's step names, the CSVs' too, by step id; '' names an error logged outside any step. */
export function stepNames(messages: ConsoleMessages, escape?: (text: string) => string): Record<string, string> {
  const word = (key: string) => formatMessage(messageAt(messages, key), {}, escape);
  return Object.fromEntries([...STEP_IDS.map((step) => [step, word(`report.steps.${stepKey(step)}`)]), ['', word('report.steps.outside')]]);
}

/**
 * The console's name of each difficulty, or the report's own where it says more to a reader who never saw the
 * screens (« Code à 6 chiffres erroné » for the console's « Code erroné »).
 */
function codeNames(messages: ConsoleMessages): Record<string, string> {
  const names = Object.entries({ ...messages.console.codes, ...messages.report.codes });
  return Object.fromEntries(names.map(([code, name]) => [code, formatMessage(name, {}, escapeHtml)]));
}

/** One language's labels; `messages` are that language's console messages (a test passes them to follow the keys read). */
export function reportLabels(language: Language, messages: ConsoleMessages = CONSOLE_MESSAGES[language]): ReportLabels {
  const t = createTranslator(messages, escapeHtml);
  const figures = {
    sessions: t('console.dashboard.figures.sessions'),
    completed: t('console.dashboard.figures.completed'),
    abandoned: t('console.dashboard.figures.abandoned'),
    timedOut: t('console.dashboard.figures.timedOut'),
    locked: t('console.dashboard.figures.locked'),
    failed: t('console.dashboard.figures.failed'),
    completionRate: t('console.dashboard.figures.completionRate'),
    medianDuration: t('report.medianDuration'),
    training: t('report.training'),
  };
  const roster = {
    total: t('console.roster.counts.total'),
    notStarted: t('console.roster.status.notStarted'),
    deviceRegistered: t('console.roster.status.deviceRegistered'),
    signInTested: t('console.roster.status.signInTested'),
  };
  const step = t('report.step');
  return {
    language,
    title: t('report.title'),
    station: t('stations.list.station'),
    printedOn: t('report.printedOn'),
    clockWarning: (minutes, samples) => t('report.clockWarning', { minutes, samples }),
    keyFigures: t('report.keyFigures'),
    ranges: [t('console.dashboard.ranges.today'), t('console.dashboard.ranges.week'), t('console.dashboard.ranges.all')],
    figures,
    funnelTitle: t('report.funnelTitle'),
    funnelHead: [step, t('report.reached'), t('report.share')],
    difficultiesTitle: t('report.difficultiesTitle'),
    difficultiesHead: [step, t('report.difficulty'), t('report.occurrences')],
    noDifficulty: t('report.noDifficulty'),
    rosterTitle: t('console.roster.title'),
    roster,
    note: t('report.note'),
    identity: {
      colon: t('stations.settingsSeparator').trimEnd(),
      fingerprint: t('report.fingerprint'),
      id: t('report.id'),
      signedLog: (events) => t('report.signedLog', { events }),
      head: t('report.head'),
      noteIt: (command) => t('report.noteIt', { command }),
      stationsJoined: (count) => t('report.stationsJoined', { count }),
      allStations: ` ${t('report.allStations')}`,
      byStationTitle: t('report.byStationTitle'),
      thisStation: ` ${t('report.thisStation')}`,
      columns: [
        t('report.stationColumn'),
        figures.sessions,
        figures.completed,
        figures.completionRate,
        t('console.dashboard.figures.medianDuration'),
        t('report.registered'),
        roster.signInTested,
      ],
    },
    steps: stepNames(messages, escapeHtml),
    codes: codeNames(messages),
  };
}

export const REPORT_LABELS: Readonly<Record<Language, ReportLabels>> = { fr: reportLabels('fr'), en: reportLabels('en') };
