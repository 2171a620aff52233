// Each export's content, parsed back: sessions, events and roster CSVs, and the French report.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/contract';
import { at, openTestKiosk, query, type TestKiosk } from '../engine/harness';
import { enrol, testWithPin } from '../engine/flow';
import { importRosterFile, setUpAndOpen, sup, supRefused } from './harness';

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

/** Reads a CSV the kiosk wrote: BOM, ',', quoted cells; returns header and rows as objects. */
function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse<Record<string, string>>(text.slice(1), { columns: true });
}

async function exportAndWait(kind: 'sessions' | 'events' | 'roster' | 'report'): Promise<MethodOutput<'getExportProgress'>> {
  const started = await sup(k, 'exportData', { kind, folder });
  expect(started.state).toBe('running');
  let progress = started;
  // Polled as the console does; each poll lets the export's pages run in between.
  for (let i = 0; i < 1000 && progress.state === 'running'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    progress = await sup(k, 'getExportProgress');
  }
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
    expect(rows.map((r) => [r.id, r.outcome, r.furthest_step, r.mode, r.station])).toEqual([
      ['1', 'completed', 'done', 'enrolment', 'PIF Roissy'],
      ['2', 'abandoned', 'identify', 'enrolment', 'PIF Roissy'],
    ]);
    expect(rows[0]?.sign_in_method).toBe('pin');
    expect(new Date(rows[0]?.started_at ?? '').getTime()).toBe(query<{ s: number }>(k.dataDir, 'SELECT started_at AS s FROM sessions WHERE id = 1')[0]?.s);
    // Nothing half-written is left behind.
    expect(readdirSync(folder).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('writes the events CSV with the hash chain, row for row', async () => {
    await openConsoleWithStick();
    await aDayOfSessions();
    const progress = await exportAndWait('events');
    const rows = readCsv(progress.files[0] ?? '');
    const db = query<{ id: number; type: string; code: string | null; h: string }>(
      k.dataDir,
      'SELECT id, type, code, hex(prev_hash) AS h FROM events ORDER BY id',
    );
    // The export's own event is logged after the rows were read.
    expect(rows.map((r) => [Number(r.id), r.type, r.code || null, r.prev_hash])).toEqual(
      db.filter((e) => e.type !== 'data_exported').map((e) => [e.id, e.type, e.code, e.h.toLowerCase()]),
    );
    expect(rows.some((r) => r.code === 'email_invalid' && r.step === 'identify')).toBe(true);
  });

  it('writes the roster progress CSV, with formula cells disarmed for spreadsheets', async () => {
    await openConsoleWithStick();
    await aDayOfSessions();
    const rows = readCsv((await exportAndWait('roster')).files[0] ?? '');
    // By service, then name: the order a supervisor walks the queue in.
    expect(rows).toEqual([
      { email: 'luc.petit@agriculture.gouv.fr', name: "'=HYPERLINK(\"x\")", service: 'Roissy', status: 'not-started' },
      { email: 'jeanne.martin@agriculture.gouv.fr', name: 'Jeanne Martin', service: 'Roissy', status: 'sign-in-tested' },
    ]);
  });

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
    expect(cells('Taux de réussite')).toEqual(['50 %', '50 %', '50 %']);
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
