// Each export's content, parsed back: sessions, events and roster CSVs, and the French report.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/contract';
import type { Language } from '../../../shared/steps';
import { at, openTestKiosk, query, type TestKiosk } from '../engine/harness';
import { enrol, testWithPin } from '../engine/flow';
import { importRosterFile, settled, setUpAndOpen, sup, supRefused } from './harness';

const REPO = join(import.meta.dirname, '../../..');
interface ConsoleMessages {
  console: {
    roster: {
      columns: { email: string; name: string; service: string; status: string };
      status: { notStarted: string; deviceRegistered: string; signInTested: string };
    };
  };
}

let k: TestKiosk;
let folder: string;
afterEach(() => {
  k.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A fresh kiosk with its console open and an empty folder standing for the USB stick. */
async function openConsoleWithStick(setup?: Parameters<typeof setUpAndOpen>[1]): Promise<void> {
  k = await openTestKiosk();
  folder = mkdtempSync(join(tmpdir(), 'usb-'));
  await setUpAndOpen(k, setup);
}

/**
 * Reads a CSV the kiosk wrote as a spreadsheet would: BOM, the documented separator of its language (`;` French,
 * `,` English), quoted cells; returns header and rows as objects.
 */
function readCsv(file: string, language: Language = 'fr'): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse<Record<string, string>>(text.slice(1), { columns: true, delimiter: language === 'fr' ? ';' : ',' });
}

async function exportAndWait(kind: 'sessions' | 'events' | 'roster' | 'report', language?: Language): Promise<MethodOutput<'getExportProgress'>> {
  const started = await sup(k, 'exportData', { kind, folder, ...(language ? { language } : {}) });
  expect(started.state).toBe('running');
  const progress = await settled(started, () => sup(k, 'getExportProgress'));
  expect(progress.state).toBe('done');
  return progress;
}

async function aDayOfSessions(): Promise<void> {
  await importRosterFile(
    k,
    Buffer.from('email;nom;service\njeanne.martin@agriculture.gouv.fr;Jeanne Martin;Roissy\n=cmd|x;Formule;X\nluc.petit@agriculture.gouv.fr;"=HYPERLINK(""x"")";Roissy\n'),
  );
  const { secret } = await enrol(k, 'jeanne.martin@agriculture.gouv.fr');
  await testWithPin(k, secret);
  at(await k.call('next'), 'welcome');
  await k.call('start', { language: 'fr' });
  await k.refused('identify', { email: 'faux' });
  await k.call('cancel');
  await sup(k, 'pingConsole').catch(async () => sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' }));
}

describe('exports', () => {
  it('writes the sessions CSV with one row per session, as the log has them', async () => {
    await openConsoleWithStick({ stationName: 'PIF Roissy' });
    await aDayOfSessions();
    const progress = await exportAndWait('sessions');
    expect(progress).toMatchObject({ kind: 'sessions', rows: 2, total: 2 });
    const rows = readCsv(progress.files[0] ?? '');
    // In French, as the console is: its headers and words, the report's step names.
    expect(rows.map((r) => [r['N°'], r['Résultat'], r['Étape la plus avancée'], r.Mode, r.Borne])).toEqual([
      ['1', 'Terminée', 'Terminé', 'Enrôlement', 'PIF Roissy'],
      ['2', 'Abandonnée', 'Identification (adresse e-mail)', 'Enrôlement', 'PIF Roissy'],
    ]);
    expect(rows[0]?.['Méthode testée']).toBe('App avec code PIN');
    // The station's local time with its offset: the wall clock's hour, and the same instant as the log's.
    const started = rows[0]?.['Début'] ?? '';
    expect(started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    const loggedAt = query<{ s: number }>(k.dataDir, 'SELECT started_at AS s FROM sessions WHERE id = 1')[0]?.s ?? 0;
    expect(new Date(started).getTime()).toBe(loggedAt);
    expect(started.slice(11, 13)).toBe(String(new Date(loggedAt).getHours()).padStart(2, '0'));
    // Nothing half-written is left behind.
    expect(readdirSync(folder).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('writes the events CSV with the hash chain, row for row', async () => {
    await openConsoleWithStick();
    await aDayOfSessions();
    const progress = await exportAndWait('events');
    const rows = readCsv(progress.files[0] ?? '').map((r) => ({
      id: r['N°'],
      type: r.Type,
      code: r.Code,
      step: r['Étape'],
      prev_hash: r['Empreinte précédente'],
    }));
    const db = query<{ id: number; type: string; code: string | null; h: string }>(
      k.dataDir,
      'SELECT id, type, code, hex(prev_hash) AS h FROM events ORDER BY id',
    );
    // The export's own event is logged after the rows were read.
    expect(rows.map((r) => [Number(r.id), r.type, r.code || null, r.prev_hash])).toEqual(
      db.filter((e) => e.type !== 'data_exported').map((e) => [e.id, e.type, e.code, e.h.toLowerCase()]),
    );
    // Type and code stay the log's stable codes (what the chain covers); the step is named.
    expect(rows.some((r) => r.code === 'email_invalid' && r.step === 'Identification (adresse e-mail)')).toBe(true);
  });

  it('writes the roster progress CSV, with formula cells disarmed for spreadsheets', async () => {
    await openConsoleWithStick();
    await aDayOfSessions();
    const rows = readCsv((await exportAndWait('roster')).files[0] ?? '');
    // By service, then name: the order a supervisor walks the queue in.
    expect(rows).toEqual([
      { 'Adresse e-mail': 'luc.petit@agriculture.gouv.fr', Nom: "'=HYPERLINK(\"x\")", Service: 'Roissy', Avancement: 'Non commencé' },
      { 'Adresse e-mail': 'jeanne.martin@agriculture.gouv.fr', Nom: 'Jeanne Martin', Service: 'Roissy', Avancement: 'Connexion testée' },
    ]);
  });

  for (const language of ['fr', 'en'] as const) {
    it(`writes the roster CSV read back with the ${language} separator as the console's roster screen shows it`, async () => {
      await openConsoleWithStick();
      await aDayOfSessions();
      const messages = JSON.parse(readFileSync(join(REPO, `shared/i18n/console/${language}.json`), 'utf8')) as ConsoleMessages;
      const screen = messages.console.roster;
      const statusWord = { 'not-started': screen.status.notStarted, 'device-registered': screen.status.deviceRegistered, 'sign-in-tested': screen.status.signInTested };
      const view = await sup(k, 'getRoster');
      const rows = readCsv((await exportAndWait('roster', language)).files[0] ?? '', language);
      // The screen's columns, in its words, and the same agents with the same values (the formula disarmed aside).
      expect(Object.keys(rows[0] ?? {})).toEqual([screen.columns.email, screen.columns.name, screen.columns.service, screen.columns.status]);
      const disarm = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
      expect(new Set(rows.map((r) => Object.values(r).join('|')))).toEqual(
        new Set(view.agents.map((a) => [a.email, disarm(a.name), a.service, statusWord[a.status]].join('|'))),
      );
    });
  }

  it('writes the report in French with the dashboard figures and the difficulties by step, and offers it to print', async () => {
    await openConsoleWithStick();
    await aDayOfSessions();
    const progress = await exportAndWait('report');
    const html = readFileSync(progress.files[0] ?? '', 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    const cells = (label: string) => {
      const match = new RegExp(`<th scope="row">${label}</th>((?:<td>[^<]*</td>)+)</tr>`).exec(html);
      return [...(match?.[1] ?? '').matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    };
    expect(cells('Sessions')).toEqual(['2', '2', '2']);
    expect(cells('Terminées')).toEqual(['1', '1', '1']);
    expect(cells('Abandonnées')).toEqual(['1', '1', '1']);
    expect(cells('Taux de réussite')).toEqual(['50\u00a0%', '50\u00a0%', '50\u00a0%']);
    expect(html).toContain('<td>Identification (adresse e-mail)</td><td>Adresse e-mail invalide</td><td>1</td>');
    expect(html).not.toContain('jeanne.martin');
    const { bodyHtml } = await sup(k, 'getReport', {});
    expect(bodyHtml).toContain('Rapport d’enrôlement');
    expect(bodyHtml).not.toContain('<html');
  });

  it('writes the report in the language the console is shown in, English too', async () => {
    k = await openTestKiosk();
    folder = mkdtempSync(join(tmpdir(), 'usb-'));
    await setUpAndOpen(k);
    await aDayOfSessions();
    const { bodyHtml } = await sup(k, 'getReport', { language: 'en' });
    expect(bodyHtml).toContain('<h1>Two-factor authentication enrolment report</h1>');
    expect(bodyHtml).toContain('<th scope="row">Completion rate</th><td>50%</td>');
    expect(bodyHtml).toContain('<td>Identify (e-mail address)</td><td>Invalid e-mail address</td><td>1</td>');
    expect(bodyHtml).not.toMatch(/Terminées|Rapport/);
    const started = await sup(k, 'exportData', { kind: 'report', folder, language: 'en' });
    expect(started.state).toBe('running');
    await expect.poll(async () => (await sup(k, 'getExportProgress')).state).toBe('done');
    const file = (await sup(k, 'getExportProgress')).files[0] ?? '';
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('reports progress over a log of several pages and ends with every row written', async () => {
    await openConsoleWithStick();
    for (let i = 0; i < 400; i += 1) {
      await k.call('start', { language: 'fr' });
      await k.call('cancel');
    }
    await sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' });
    const [{ n }] = query<{ n: number }>(k.dataDir, 'SELECT count(*) AS n FROM events') as [{ n: number }];
    expect(n).toBeGreaterThan(1000);
    const progress = await exportAndWait('events');
    // The export first signs the chain head: its checkpoint is the one event more in the file.
    expect(progress).toMatchObject({ rows: n + 1, total: n + 1 });
    expect(readCsv(progress.files[0] ?? '')).toHaveLength(n + 1);
  });

  it('writes English CSVs with commas, English headers and words', async () => {
    await openConsoleWithStick();
    await aDayOfSessions();
    const rows = readCsv((await exportAndWait('sessions', 'en')).files[0] ?? '', 'en');
    expect(rows.map((r) => [r['No.'], r.Outcome, r['Furthest step'], r['Method tested']])).toEqual([
      ['1', 'Completed', 'Done', 'App with PIN code'],
      ['2', 'Abandoned', 'Identify (e-mail address)', ''],
    ]);
  });

  it('refuses a relative or missing folder, and offers the data folder’s exports/ by default', async () => {
    await openConsoleWithStick();
    const targets = await sup(k, 'getExportTargets');
    expect(targets.defaultFolder).toBe(join(k.dataDir, 'exports'));
    expect(Array.isArray(targets.removable)).toBe(true);
    for (const bad of ['exports', join(folder, 'nope')]) {
      expect((await supRefused(k, 'exportData', { kind: 'sessions', folder: bad })).code).toBe('export_folder_invalid');
    }
    folder = targets.defaultFolder;
    const done = await exportAndWait('sessions');
    expect(done.files[0]?.startsWith(join(k.dataDir, 'exports'))).toBe(true);
  });
});
