// The exported CSVs in the console's language: headers, values and the separator the language's spreadsheet expects.
import type { Language, Mode, Outcome, SignInMethod, StepId } from '../../../shared/steps';
import type { RosterStatus } from '../../../shared/supervisor-contract';
import { createTranslator } from '../../../shared/i18n/translate';
import { CONSOLE_MESSAGES, stepNames, type ConsoleMessages } from './report-labels';

/**
 * How a CSV is written for one language. French Excel splits lines on `;` (the comma is its decimal sign) and
 * shows a comma-separated file as one column; English Excel splits on `,`. The events CSV keeps its type and
 * code columns as the log's stable codes: they are what the hash chain covers and what an auditor checks.
 */
export interface CsvFormat {
  separator: ',' | ';';
  headers: {
    sessions: readonly string[];
    events: readonly string[];
    roster: readonly string[];
  };
  mode: Record<Mode, string>;
  /** `in-progress`: a session not ended yet (no outcome). */
  outcome: Record<Outcome | 'in-progress', string>;
  step: Record<StepId, string>;
  method: Record<SignInMethod, string>;
  status: Record<RosterStatus, string>;
}

/** French Excel's separator is `;`, English Excel's `,`: how the file is cut, not words. */
const SEPARATORS: Readonly<Record<Language, CsvFormat['separator']>> = { fr: ';', en: ',' };

/**
 * The CSVs' words from the console's message files: the roster's columns and statuses as its screen shows them,
 * the modes as the settings name them, the steps as the report names them; the rest the CSVs' own (`csv`).
 */
export function csvFormat(language: Language, messages: ConsoleMessages = CONSOLE_MESSAGES[language]): CsvFormat {
  const t = createTranslator(messages);
  const steps = stepNames(messages);
  const step = (id: StepId) => steps[id] ?? id;
  return {
    separator: SEPARATORS[language],
    headers: {
      sessions: [
        t('csv.number'),
        t('stations.list.station'),
        t('console.settings.mode'),
        t('csv.start'),
        t('csv.end'),
        t('csv.duration'),
        t('csv.outcome'),
        t('csv.furthestStep'),
        t('csv.method'),
      ],
      events: [t('csv.number'), t('csv.session'), t('console.dashboard.clockOffsets.time'), t('report.step'), t('csv.type'), t('csv.code'), t('csv.details'), t('csv.previousHash')],
      roster: [t('console.roster.columns.email'), t('console.roster.columns.name'), t('console.roster.columns.service'), t('console.roster.columns.status')],
    },
    mode: { enrolment: t('setup.modes.enrolment.label'), training: t('setup.modes.training.label') },
    outcome: {
      completed: t('csv.outcomes.completed'),
      abandoned: t('csv.outcomes.abandoned'),
      timed_out: t('csv.outcomes.timedOut'),
      locked: t('csv.outcomes.locked'),
      failed: t('csv.outcomes.failed'),
      'in-progress': t('csv.outcomes.inProgress'),
    },
    step: {
      welcome: step('welcome'),
      identify: step('identify'),
      'prepare-phone': step('prepare-phone'),
      'add-device': step('add-device'),
      'scan-qr': step('scan-qr'),
      'confirm-device': step('confirm-device'),
      registered: step('registered'),
      'test-login': step('test-login'),
      done: step('done'),
    },
    method: { qr: t('csv.methods.qr'), pin: t('csv.methods.pin') },
    status: {
      'not-started': t('console.roster.status.notStarted'),
      'device-registered': t('console.roster.status.deviceRegistered'),
      'sign-in-tested': t('console.roster.status.signInTested'),
    },
  };
}

export const CSV_FORMATS: Readonly<Record<Language, CsvFormat>> = { fr: csvFormat('fr'), en: csvFormat('en') };
