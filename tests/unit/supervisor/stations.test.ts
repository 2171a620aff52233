// An enrolment day across three stations through the console: bundles to a drive, import on the head, combined figures.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/contract';
import { enrol, testWithPin } from '../engine/flow';
import { openTestKiosk, type TestKiosk } from '../engine/harness';
import { PASSPHRASE, importRosterFile, settled, setUpAndOpen, sup, supRefused } from './harness';

const opened: TestKiosk[] = [];
let drive = '';
afterEach(() => {
  for (const k of opened.splice(0)) k.close();
  if (drive) rmSync(drive, { recursive: true, force: true });
});

async function station(name: string, agents: string[], finishTest = true): Promise<TestKiosk> {
  const k = await openTestKiosk();
  opened.push(k);
  await setUpAndOpen(k, { stationName: name, open: false });
  for (const [i, email] of agents.entries()) {
    const { secret } = await enrol(k, email, `phone-${i}`);
    if (finishTest) await testWithPin(k, secret);
    await k.call(finishTest ? 'next' : 'cancel');
  }
  return k;
}

async function bundleTo(k: TestKiosk, folder: string): Promise<string> {
  await sup(k, 'openConsole', { passphrase: PASSPHRASE });
  const progress = await settled(await sup(k, 'exportData', { kind: 'bundle', folder }), () => sup(k, 'getExportProgress'));
  expect(progress).toMatchObject({ state: 'done', kind: 'bundle', rows: 1, total: 1 });
  await sup(k, 'closeConsole');
  return progress.files[0] ?? '';
}

async function importFrom(head: TestKiosk, folder: string): Promise<MethodOutput<'getImportProgress'>> {
  return follow(head, await sup(head, 'importBundles', { folder }));
}

async function follow(head: TestKiosk, first: MethodOutput<'getImportProgress'>): Promise<MethodOutput<'getImportProgress'>> {
  const progress = await settled(first, () => sup(head, 'getImportProgress'));
  expect(progress.state).toBe('done');
  return progress;
}

/** Starts verifying this station's log and follows it, as the console does, to its result. */
async function verified(k: TestKiosk, input: { fingerprint?: string }) {
  const progress = await settled(await sup(k, 'verifyLog', input), () => sup(k, 'getVerifyProgress'));
  expect(progress.state).toBe('done');
  return progress.result;
}

const ROSTER = [
  'email;name;service',
  'a.one@agriculture.gouv.fr;A One;PIF',
  'b.one@agriculture.gouv.fr;B One;PIF',
  'b.two@agriculture.gouv.fr;B Two;PIF',
  'c.one@agriculture.gouv.fr;C One;PIF',
  'nobody@agriculture.gouv.fr;Nobody;PIF',
].join('\n');

describe('a 3-station enrolment day', () => {
  it('the head imports two stations from one drive; dashboard, roster and report show this station, all, and each side by side', async () => {
    const head = await station('Poste A', ['a.one@agriculture.gouv.fr']);
    const b = await station('Poste B', ['b.one@agriculture.gouv.fr', 'b.two@agriculture.gouv.fr']);
    const c = await station('Poste C', ['c.one@agriculture.gouv.fr'], false);
    drive = mkdtempSync(join(tmpdir(), 'usb-'));
    await bundleTo(b, drive);
    await bundleTo(c, drive);
    writeFileSync(join(drive, 'notes.ekb'), 'not a bundle');
    expect(readdirSync(drive).filter((f) => f.endsWith('.ekb'))).toHaveLength(3);

    await sup(head, 'openConsole', { passphrase: PASSPHRASE });
    await importRosterFile(head, Buffer.from(ROSTER));
    // Neither station is trusted yet: both bundles are held, each with the fingerprint its own console shows.
    const held = await importFrom(head, drive);
    const ownFingerprint = async (k: TestKiosk) => {
      await sup(k, 'openConsole', { passphrase: PASSPHRASE });
      const fingerprint = (await sup(k, 'getSettings')).fingerprint ?? '';
      await sup(k, 'closeConsole');
      return fingerprint;
    };
    const [fb, fc] = [await ownFingerprint(b), await ownFingerprint(c)];
    expect(held.results.map((r) => [r.ok, r.stationName, r.errorCode, r.fingerprint]).sort()).toEqual(
      [
        [false, null, 'bundle_not_a_bundle', null],
        [false, 'Poste B', 'bundle_held', fb],
        [false, 'Poste C', 'bundle_held', fc],
      ].sort(),
    );
    expect((await sup(head, 'getStations')).stations).toHaveLength(1);
    expect((await sup(head, 'getTrustedStations')).stations).toEqual([]);
    // Approved, once the fingerprints were compared on each station's console.
    let imported = held;
    for (const r of held.results.filter((x) => x.errorCode === 'bundle_held')) {
      imported = await follow(head, await sup(head, 'approveBundle', { file: r.file, fingerprint: r.fingerprint ?? '' }));
    }
    expect(imported.results.map((r) => [r.ok, r.stationName, r.sessions, r.errorCode]).sort()).toEqual(
      [
        [false, null, 0, 'bundle_not_a_bundle'],
        [true, 'Poste B', 2, null],
        [true, 'Poste C', 1, null],
      ].sort(),
    );
    expect((await sup(head, 'getTrustedStations')).stations.map((t) => [t.name, t.fingerprint])).toEqual([
      ['Poste B', fb],
      ['Poste C', fc],
    ]);
    // Again: nothing new.
    const again = await importFrom(head, drive);
    expect(again.results.filter((r) => r.ok).every((r) => r.events === 0 && r.sessions === 0)).toBe(true);

    const stations = (await sup(head, 'getStations')).stations;
    expect(stations.map((s) => [s.name, s.isSelf])).toEqual([
      ['Poste A', true],
      ['Poste B', false],
      ['Poste C', false],
    ]);
    expect(new Set(stations.map((s) => s.fingerprint)).size).toBe(3);

    const here = await sup(head, 'getDashboard', { range: 'today', station: 'this' });
    const all = await sup(head, 'getDashboard', { range: 'today', station: 'all' });
    const onlyB = await sup(head, 'getDashboard', { range: 'today', station: stations[1]?.stationId ?? '' });
    expect([here.sessions, here.completed]).toEqual([1, 1]);
    expect([onlyB.sessions, onlyB.completed]).toEqual([2, 2]);
    expect([all.sessions, all.completed, all.abandoned]).toEqual([4, 3, 1]);
    expect(all.station).toBe('all');

    const rows = (await sup(head, 'compareStations', { range: 'today' })).rows;
    expect(rows.map((r) => [r.name, r.sessions, r.completed, r.registered, r.tested])).toEqual([
      ['Poste A', 1, 1, 1, 1],
      ['Poste B', 2, 2, 2, 2],
      ['Poste C', 1, 0, 1, 0],
    ]);

    const rosterHere = await sup(head, 'getRoster', { station: 'this' });
    const rosterAll = await sup(head, 'getRoster', { station: 'all' });
    expect(rosterHere.counts).toMatchObject({ total: 5, notStarted: 4, signInTested: 1 });
    expect(rosterAll.counts).toEqual({ total: 5, notStarted: 1, deviceRegistered: 1, signInTested: 3 });

    const report = (await sup(head, 'getReport')).bodyHtml;
    expect(report).toContain('Bornes réunies\u00a0: 3');
    // Printed whole, split over lines only between its groups of four (each kept on one line).
    const printed = report.replace(/<[^>]+>/g, '');
    for (const s of stations) expect(printed).toContain(s.fingerprint);
    expect(report).toMatch(/Poste B<br><small class="fingerprint">(<span class="group">[0-9a-f]{4}<\/span>-<wbr>){7}<span class="group">[0-9a-f]{4}<\/span><\/small><\/th><td>2<\/td><td>2<\/td>/);

    expect(await verified(head, {})).toMatchObject({ ok: true, problem: null, fingerprint: stations[0]?.fingerprint });
    expect((await verified(head, { fingerprint: stations[1]?.fingerprint ?? '' }))?.problem?.code).toBe('fingerprint_mismatch');
    // Each bundle and import starts a worker thread (from sources, through tsx): seconds on a busy machine.
  }, 60_000);

  it('an unknown station id is refused as input', async () => {
    const head = await station('Poste A', []);
    await sup(head, 'openConsole', { passphrase: PASSPHRASE });
    const error = await supRefused(head, 'getDashboard', { range: 'today', station: '00000000-0000-4000-8000-000000000000' });
    expect(error).toEqual({ code: 'invalid_input', params: { field: 'station' } });
  });
});
