// The report's words in French and English: it is built in the main process, in the language the console is shown in.
import type { Language } from '../../../shared/steps';

export interface ReportLabels {
  locale: string;
  /** After the number: French puts a space before %, English none. */
  percentSign: string;
  title: string;
  station: string;
  printedOn: string;
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
    fingerprint: string;
    id: string;
    signedLog: (events: string) => string;
    head: string;
    noteIt: string;
    stationsJoined: (count: string) => string;
    allStations: string;
    byStationTitle: string;
    thisStation: string;
    columns: [string, string, string, string, string, string, string];
  };
  steps: Record<string, string>;
  codes: Record<string, string>;
}

const fr: ReportLabels = {
  locale: 'fr-FR',
  percentSign: ' %',
  title: 'Rapport d’enrôlement à la double authentification',
  station: 'Poste',
  printedOn: 'édité le',
  clockWarning: (minutes, samples) =>
    `Attention : les téléphones et le poste diffèrent en moyenne de ${minutes} min (médiane des ${samples} dernières connexions). Vérifiez l’heure du poste.`,
  keyFigures: 'Chiffres clés',
  ranges: ['Aujourd’hui', '7 derniers jours', 'Depuis le début'],
  figures: {
    sessions: 'Sessions',
    completed: 'Terminées',
    abandoned: 'Abandonnées',
    timedOut: 'Expirées (inactivité)',
    locked: 'Appareil bloqué',
    failed: 'Échec (incident)',
    completionRate: 'Taux de réussite',
    medianDuration: 'Durée médiane (sessions terminées)',
    training: 'Dont sessions de formation',
  },
  funnelTitle: 'Progression par étape (depuis le début)',
  funnelHead: ['Étape', 'Sessions l’ayant atteinte', 'Part'],
  difficultiesTitle: 'Difficultés par étape (depuis le début)',
  difficultiesHead: ['Étape', 'Difficulté', 'Occurrences'],
  noDifficulty: 'Aucune difficulté enregistrée.',
  rosterTitle: 'Liste des agents attendus',
  roster: { total: 'Agents sur la liste', notStarted: 'Non commencé', deviceRegistered: 'Appareil enregistré', signInTested: 'Connexion testée' },
  note: 'Aucune donnée personnelle (adresse, appareil, code) ne figure dans ce rapport.',
  identity: {
    fingerprint: 'Empreinte de la clé du poste',
    id: 'identifiant',
    signedLog: (events) => `Journal signé\u00a0: ${events} événements`,
    head: 'tête',
    noteIt: 'Notez l’empreinte\u00a0: la commande <code>npm run admin -- verify kiosk.db --fingerprint …</code> la contrôle.',
    stationsJoined: (count) => `${count} postes réunis`,
    allStations: ' (tous les postes)',
    byStationTitle: 'Par poste (depuis le début)',
    thisStation: ' (ce poste)',
    columns: ['Poste et empreinte', 'Sessions', 'Terminées', 'Taux de réussite', 'Durée médiane', 'Agents de la liste enregistrés', 'Connexion testée'],
  },
  /** Step names as the seeds and the screens call them; the report is for readers who never saw the code. */
  steps: {
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
  },
  codes: {
    email_invalid: 'Adresse e-mail invalide',
    email_domain_not_allowed: 'Domaine d’adresse non autorisé',
    email_not_on_roster: 'Adresse absente de la liste',
    device_name_invalid: 'Nom d’appareil invalide',
    device_name_accented: 'Nom d’appareil avec accents',
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
  },
};

const en: ReportLabels = {
  locale: 'en-GB',
  percentSign: '%',
  title: 'Two-factor authentication enrolment report',
  station: 'Station',
  printedOn: 'printed on',
  clockWarning: (minutes, samples) =>
    `Warning: phones and the station differ by ${minutes} min on average (median of the last ${samples} sign-ins). Check the station’s time.`,
  keyFigures: 'Key figures',
  ranges: ['Today', 'Last 7 days', 'All time'],
  figures: {
    sessions: 'Sessions',
    completed: 'Completed',
    abandoned: 'Abandoned',
    timedOut: 'Timed out (idle)',
    locked: 'Device locked',
    failed: 'Failed (fault)',
    completionRate: 'Completion rate',
    medianDuration: 'Median duration (completed sessions)',
    training: 'Of which training sessions',
  },
  funnelTitle: 'Progress by step (all time)',
  funnelHead: ['Step', 'Sessions that reached it', 'Share'],
  difficultiesTitle: 'Difficulties by step (all time)',
  difficultiesHead: ['Step', 'Difficulty', 'Occurrences'],
  noDifficulty: 'No difficulty recorded.',
  rosterTitle: 'Roster of expected agents',
  roster: { total: 'Agents on the roster', notStarted: 'Not started', deviceRegistered: 'Device registered', signInTested: 'Sign-in tested' },
  note: 'No personal data (address, device, code) appears in this report.',
  identity: {
    fingerprint: 'Station key fingerprint',
    id: 'id',
    signedLog: (events) => `Signed log: ${events} events`,
    head: 'head',
    noteIt: 'Note the fingerprint: the command <code>npm run admin -- verify kiosk.db --fingerprint …</code> checks it.',
    stationsJoined: (count) => `${count} stations combined`,
    allStations: ' (all stations)',
    byStationTitle: 'By station (all time)',
    thisStation: ' (this station)',
    columns: ['Station and fingerprint', 'Sessions', 'Completed', 'Completion rate', 'Median duration', 'Roster agents registered', 'Sign-in tested'],
  },
  steps: {
    welcome: 'Welcome',
    identify: 'Identify (e-mail address)',
    'prepare-phone': 'Phone preparation',
    'add-device': 'Add the device (name, PIN)',
    'scan-qr': 'Scan the QR code',
    'confirm-device': 'Confirm the device',
    registered: 'Device registered',
    'test-login': 'Sign-in test',
    done: 'Done',
    '': 'Outside a step',
  },
  codes: {
    email_invalid: 'Invalid e-mail address',
    email_domain_not_allowed: 'Address domain not allowed',
    email_not_on_roster: 'Address not on the roster',
    device_name_invalid: 'Invalid device name',
    device_name_accented: 'Device name with accents',
    device_name_taken: 'Device name already used',
    pin_format: 'PIN in the wrong format',
    pin_mismatch: 'PINs differ',
    pin_too_common: 'PIN too common',
    qr_expired: 'QR code expired',
    pin_wrong: 'Wrong PIN',
    code_format: '6-digit code in the wrong format',
    code_wrong: 'Wrong 6-digit code',
    code_replayed: 'Code already used',
    clock_offset: 'Phone clock off',
    verification_number_wrong: 'Wrong verification number',
    device_locked: 'Device locked',
  },
};

export const REPORT_LABELS: Record<Language, ReportLabels> = { fr, en };
