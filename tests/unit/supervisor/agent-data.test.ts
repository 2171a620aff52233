// Erasing one agent leaves no trace of their e-mail in the database files; unlocking; training leaves no secret on disk.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { at, openTestKiosk, PIN_OK, query, type TestKiosk } from '../engine/harness';
import { enrol, phoneCode, testWithPin, toScanQr } from '../engine/flow';
import { importRosterFile, setUpAndOpen, sup, supRefused } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

/** The raw bytes of the log and of its WAL, as someone copying the files would get them. */
function rawFiles(dataDir: string): Buffer {
  const db = readFileSync(join(dataDir, 'kiosk.db'));
  const walPath = join(dataDir, 'kiosk.db-wal');
  return Buffer.concat([db, existsSync(walPath) ? readFileSync(walPath) : Buffer.alloc(0)]);
}

/** A checkpoint from a second connection, as a later start of the kiosk would run one. */
function checkpoint(dataDir: string): void {
  const db = new Database(join(dataDir, 'kiosk.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const JEANNE = 'jeanne.martin@agriculture.gouv.fr';

describe('erase one agent', () => {
  it('removes the e-mail from the database file and its WAL, and keeps the session figures', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await importRosterFile(k, Buffer.from(`email;nom;service\n${JEANNE};Jeanne Martin;Roissy\nluc.petit@agriculture.gouv.fr;Luc Petit;Roissy\n`));
    // Seen twice: the second visit rewrites her agent row, leaving an older copy in free space.
    const { secret } = await enrol(k, JEANNE, 'pixel-jeanne');
    await testWithPin(k, secret);
    await k.call('next');
    await k.call('start', { language: 'fr' });
    await k.call('identify', { email: JEANNE });
    await k.call('cancel');
    await enrol(k, 'luc.petit@agriculture.gouv.fr');
    await k.call('cancel');
    await sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' });
    checkpoint(k.dataDir);
    expect(rawFiles(k.dataDir).includes(JEANNE)).toBe(true);

    expect(await sup(k, 'eraseAgent', { email: ' Jeanne.Martin@agriculture.gouv.fr ' })).toEqual({ erased: true });

    const raw = rawFiles(k.dataDir);
    expect(raw.includes(JEANNE)).toBe(false);
    expect(raw.includes('jeanne.martin')).toBe(false);
    expect(raw.includes('pixel-jeanne')).toBe(false);
    checkpoint(k.dataDir);
    expect(rawFiles(k.dataDir).includes('jeanne.martin')).toBe(false);
    // The other agent is untouched; the sessions stay as anonymous figures.
    expect(rawFiles(k.dataDir).includes('luc.petit@agriculture.gouv.fr')).toBe(true);
    expect((await sup(k, 'getDashboard', { range: 'all' })).sessions).toBe(3);
    expect((await sup(k, 'getRoster')).agents.map((a) => a.email)).toEqual(['luc.petit@agriculture.gouv.fr']);
    expect(query(k.dataDir, "SELECT details FROM events WHERE type = 'agent_erased'")).toEqual([{ details: null }]);
    // The chain still verifies: erasing touched no event.
    expect(at(await k.call('getSnapshot'), 'welcome').station.status).toBe('ready');
  });

  it('says so when there is nobody by that address', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    expect((await supRefused(k, 'eraseAgent', { email: 'personne@agriculture.gouv.fr' })).code).toBe('agent_not_found');
  });
});

describe('unlock a device', () => {
  it('removes the locked device so the agent enrols again as new', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const secret = await toScanQr(k, JEANNE);
    await k.call('next');
    for (let i = 0; i < 5; i += 1) await k.refused('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret, 100) });
    await k.call('start', { language: 'fr' });
    expect(at(await k.call('identify', { email: JEANNE }), 'identify').returning).toMatchObject({ locked: true });
    await k.call('cancel');

    await sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' });
    expect(await sup(k, 'unlockDevice', { email: JEANNE })).toEqual({ devices: 1 });
    await k.call('start', { language: 'fr' });
    at(await k.call('identify', { email: JEANNE }), 'prepare-phone');
  });
  it("keeps the agent's roster progress when the device they tested is removed after a lock", async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await importRosterFile(k, Buffer.from('email;nom;service\njeanne.martin@agriculture.gouv.fr;Jeanne Martin;Roissy\n'));
    const { secret } = await enrol(k, JEANNE);
    await testWithPin(k, secret);
    at(await k.call('next'), 'welcome');
    const status = async () => (await sup(k, 'getRoster')).agents.map((a) => a.status);
    expect(await status()).toEqual(['sign-in-tested']);
    // Back another day, the agent mistypes the device's PIN until it locks; a supervisor removes the device.
    await k.call('start', { language: 'fr' });
    at(await k.call('identify', { email: JEANNE }), 'identify');
    for (let i = 0; i < 5; i += 1) await k.refused('giveDevicePin', { pin: '9731' });
    await sup(k, 'pingConsole').catch(async () => sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' }));
    expect(await sup(k, 'unlockDevice', { email: JEANNE })).toEqual({ devices: 1 });
    expect(await status()).toEqual(['sign-in-tested']);
  });
});

describe('training mode end to end', () => {
  it('keeps no secret, no device and no name on disk, and still counts the steps', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k, { mode: 'training' });
    const secret = await toScanQr(k, 'Bérénice', 'tel-formation');
    await k.call('next');
    at(await k.call('confirmDevice', { pin: PIN_OK, code: await phoneCode(k, secret) }), 'registered');
    await testWithPin(k, secret);
    await k.call('next');
    checkpoint(k.dataDir);
    const raw = rawFiles(k.dataDir);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(raw.includes(secret)).toBe(false);
    expect(raw.includes('Bérénice')).toBe(false);
    expect(raw.includes('tel-formation')).toBe(false);
    expect(query(k.dataDir, 'SELECT (SELECT count(*) FROM agents) AS agents, (SELECT count(*) FROM devices) AS devices')).toEqual([
      { agents: 0, devices: 0 },
    ]);
    await sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' });
    const today = await sup(k, 'getDashboard', { range: 'today' });
    expect(today).toMatchObject({ sessions: 1, completed: 1, training: 1 });
    expect(today.funnel.at(-1)).toEqual({ step: 'done', reached: 1 });
  });
});

describe('purge now', () => {
  it('removes at once what a shorter retention no longer keeps, and the log says the supervisor did it', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await enrol(k, JEANNE);
    await k.call('cancel');
    // 31 days on: the station's own purges (180 days) keep Jeanne; the supervisor shortens the retention to 30.
    k.clock.advance(31 * 86_400_000);
    // The station's purges run in a worker: the last hour's is over before the supervisor's.
    const lastPurgeAt = () => query<{ at: number }>(k.dataDir, "SELECT at FROM events WHERE type = 'retention_purge' ORDER BY id DESC LIMIT 1")[0]?.at;
    await vi.waitFor(() => expect(lastPurgeAt()).toBe(k.clock.now()), { timeout: 30_000, interval: 20 });
    await enrol(k, 'luc.petit@agriculture.gouv.fr');
    await k.call('cancel');
    await sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' });
    expect(query(k.dataDir, 'SELECT email FROM agents ORDER BY id')).toHaveLength(2);
    await sup(k, 'updateSettings', { retentionDays: 30 });
    const counts = await sup(k, 'purgeNow');
    expect(counts).toMatchObject({ sessions: 1, agents: 1 });
    expect(counts.events).toBeGreaterThan(0);
    expect(query(k.dataDir, 'SELECT email FROM agents')).toEqual([{ email: 'luc.petit@agriculture.gouv.fr' }]);
    const purges = query<{ details: string }>(k.dataDir, "SELECT details FROM events WHERE type = 'retention_purge' ORDER BY id");
    // The purge at start is itself older than 30 days now: its record went with the rest.
    expect(purges.map((p) => (JSON.parse(p.details) as { trigger: string }).trigger)).toEqual(['hourly', 'supervisor']);
  });
});

describe('what the console shows', () => {
  it('never carries an agent’s secret, PIN or device name, whatever it is asked', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await importRosterFile(k, Buffer.from(`email\n${JEANNE}\n`));
    const { secret } = await enrol(k, JEANNE, 'pixel-secret-name');
    await testWithPin(k, secret);
    await k.call('next');
    await sup(k, 'openConsole', { passphrase: 'Douane-Roissy-2026' });
    const answers = [
      await sup(k, 'getDashboard', { range: 'all' }),
      await sup(k, 'getRoster'),
      await sup(k, 'getSettings'),
      await sup(k, 'getReport'),
      await sup(k, 'getExportTargets'),
      await sup(k, 'getExportProgress'),
    ];
    const text = JSON.stringify(answers);
    expect(text).toContain(JEANNE);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(PIN_OK);
    expect(text).not.toContain('pixel-secret-name');
  });
});
