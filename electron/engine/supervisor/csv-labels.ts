// The exported CSVs in the console's language: headers, values and the separator the language's spreadsheet expects.
import type { Language, Mode, Outcome, SignInMethod, StepId } from '../../../shared/steps';
import type { RosterStatus } from '../../../shared/supervisor-contract';
import { REPORT_LABELS } from './report-labels';

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

const fr: Omit<CsvFormat, 'step' | 'status'> = {
  separator: ';',
  headers: {
    sessions: ['N°', 'Borne', 'Mode', 'Début', 'Fin', 'Durée (s)', 'Résultat', 'Étape la plus avancée', 'Méthode testée'],
    events: ['N°', 'Session', 'Heure', 'Étape', 'Type', 'Code', 'Détails', 'Empreinte précédente'],
    roster: ['Adresse e-mail', 'Nom', 'Service', 'Avancement'],
  },
  mode: { enrolment: 'Enrôlement', training: 'Entraînement' },
  outcome: {
    completed: 'Terminée',
    abandoned: 'Abandonnée',
    timed_out: 'Expirée (inactivité)',
    locked: 'Appareil bloqué',
    failed: 'Échec (incident)',
    'in-progress': 'En cours',
  },
  method: { qr: 'App avec code QR', pin: 'App avec code PIN' },
};

const en: Omit<CsvFormat, 'step' | 'status'> = {
  separator: ',',
  headers: {
    sessions: ['No.', 'Station', 'Mode', 'Start', 'End', 'Duration (s)', 'Outcome', 'Furthest step', 'Method tested'],
    events: ['No.', 'Session', 'Time', 'Step', 'Type', 'Code', 'Details', 'Previous hash'],
    roster: ['E-mail address', 'Name', 'Service', 'Progress'],
  },
  mode: { enrolment: 'Enrolment', training: 'Training' },
  outcome: {
    completed: 'Completed',
    abandoned: 'Abandoned',
    timed_out: 'Timed out (idle)',
    locked: 'Device locked',
    failed: 'Failed (fault)',
    'in-progress': 'In progress',
  },
  method: { qr: 'App with QR code', pin: 'App with PIN code' },
};

/** The step names and roster statuses are the report's own: one word per concept in the report and the CSVs. */
function withReportWords(language: Language, base: Omit<CsvFormat, 'step' | 'status'>): CsvFormat {
  const labels = REPORT_LABELS[language];
  const step = (id: StepId) => labels.steps[id] ?? id;
  return {
    ...base,
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
    status: {
      'not-started': labels.roster.notStarted,
      'device-registered': labels.roster.deviceRegistered,
      'sign-in-tested': labels.roster.signInTested,
    },
  };
}

export const CSV_FORMATS: Record<Language, CsvFormat> = { fr: withReportWords('fr', fr), en: withReportWords('en', en) };
