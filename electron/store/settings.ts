// Station settings: one row per key, JSON values, read over the defaults so a fresh station works before the wizard runs.
import type Database from 'better-sqlite3';
import type { Settings } from '../engine/domain';
import { sql } from './statements';

/** The addresses the ministry instruction gives (seeds/002, annex): EU Login's help page, sign-in page and support. */
export const DEFAULT_HELP_ADDRESS = 'https://webgate.ec.europa.eu/cas/help.html';
export const DEFAULT_SIGN_IN_ADDRESS = 'https://webgate.ec.europa.eu/cas/login';
export const DEFAULT_SUPPORT_ADDRESS = 'EU-LOGIN-EXTERNAL-SUPPORT@ec.europa.eu';

export const DEFAULT_SETTINGS: Settings = {
  stationName: "Poste d'inspection",
  mode: 'enrolment',
  language: 'fr',
  status: 'ready',
  idleSeconds: 120,
  preparePhoneIdleSeconds: 600,
  hasKeyboard: true,
  allowedDomains: [],
  qrValiditySeconds: 300,
  issuer: '',
  retentionDays: 180,
  helpAddress: DEFAULT_HELP_ADDRESS,
  signInAddress: DEFAULT_SIGN_IN_ADDRESS,
  supportAddress: DEFAULT_SUPPORT_ADDRESS,
  maxPinAttempts: 5,
  maxCodeAttempts: 5,
};

const ALL = sql<[], { key: string; value: string }>('SELECT key, value FROM settings');
const UPSERT = sql<[key: string, value: string]>(
  'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
);
const GET = sql<[key: string], { value: string }>('SELECT value FROM settings WHERE key = ?');

function isSettingKey(key: string): key is keyof Settings {
  return Object.hasOwn(DEFAULT_SETTINGS, key);
}

/** The stored settings over the defaults; a value of the wrong type is ignored rather than trusted. */
export function readSettings(db: Database.Database): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS, allowedDomains: [...DEFAULT_SETTINGS.allowedDomains] };
  const rows = ALL.on(db).all();
  const target = settings as unknown as Record<string, unknown>;
  for (const row of rows) {
    if (!isSettingKey(row.key)) continue;
    const value: unknown = JSON.parse(row.value);
    const fallback: unknown = DEFAULT_SETTINGS[row.key];
    const sameType = Array.isArray(fallback) ? Array.isArray(value) : typeof value === typeof fallback;
    if (sameType) target[row.key] = value;
  }
  return settings;
}

export function writeSettings(db: Database.Database, changes: Partial<Settings>): void {
  db.transaction(() => {
    for (const [key, value] of Object.entries(changes)) {
      if (isSettingKey(key) && value !== undefined) UPSERT.on(db).run(key, JSON.stringify(value));
    }
  }).immediate();
}

/** Internal values the kiosk keeps beside the settings (station id, recovery notes); not user-editable. */
export function readInternal(db: Database.Database, key: string): unknown {
  const row = GET.on(db).get(`internal.${key}`);
  if (!row) return undefined;
  const value: unknown = JSON.parse(row.value);
  return value;
}

export function writeInternal(db: Database.Database, key: string, value: unknown): void {
  UPSERT.on(db).run(`internal.${key}`, JSON.stringify(value));
}
