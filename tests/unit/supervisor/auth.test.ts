// The supervisor's door: first-run passphrase rules, refusals while closed, lockout after 5 failures, idle expiry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SUPERVISOR_METHOD_NAMES } from '../../../shared/supervisor-methods';
import { fakeClock, openTestKiosk, query, tempDataDir, type TestKiosk } from '../engine/harness';
import { PASSPHRASE, setUpAndOpen, sup, supRefused } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

const wizard = (passphrase: string, passphraseConfirm = passphrase) => ({
  stationName: 'PIF Roissy',
  passphrase,
  passphraseConfirm,
  mode: 'enrolment' as const,
  language: 'fr' as const,
});

/** A station as delivered: the engine harness runs the wizard only for kiosks it creates the folder of. */
const freshStation = () => openTestKiosk(tempDataDir().dir);

describe('first-run wizard', () => {
  it('keeps a fresh station closed to agents until the wizard has run', async () => {
    k = await freshStation();
    expect((await k.call('getSnapshot')).station.status).toBe('setup-required');
    expect((await k.refused('start', { language: 'fr' })).code).toBe('setup_required');
    await sup(k, 'completeSetup', wizard(PASSPHRASE));
    expect((await k.call('getSnapshot')).station.status).toBe('ready');
    expect((await k.call('start', { language: 'fr' })).step).toBe('identify');
  });

  it('refuses a passphrase under 10 characters and a confirmation that differs', async () => {
    k = await freshStation();
    expect(await supRefused(k, 'completeSetup', wizard('court-9ch'))).toEqual({ code: 'passphrase_too_short', params: { min: 10 } });
    expect((await supRefused(k, 'completeSetup', wizard(PASSPHRASE, `${PASSPHRASE}!`))).code).toBe('passphrase_mismatch');
    expect((await supRefused(k, 'openConsole', { passphrase: PASSPHRASE })).code).toBe('setup_required');
  });

  it('sets the station and the passphrase once, then refuses to run again', async () => {
    k = await freshStation();
    await sup(k, 'completeSetup', { ...wizard(PASSPHRASE), stationName: 'PIF Le Havre', mode: 'training', language: 'en' });
    const snap = await k.call('getSnapshot');
    expect(snap.station).toMatchObject({ name: 'PIF Le Havre', mode: 'training', language: 'en', status: 'ready' });
    expect((await supRefused(k, 'completeSetup', wizard('another-passphrase'))).code).toBe('not_authorised');
  });

  it('keeps only a scrypt hash: the passphrase is nowhere in the database file', async () => {
    k = await freshStation();
    await sup(k, 'completeSetup', wizard(PASSPHRASE));
    const bytes = readFileSync(join(k.dataDir, 'kiosk.db'));
    const wal = readFileSync(join(k.dataDir, 'kiosk.db-wal'));
    expect(bytes.includes(PASSPHRASE)).toBe(false);
    expect(wal.includes(PASSPHRASE)).toBe(false);
  });
});

describe('console door', () => {
  it('refuses every console method with not_authorised while the console is closed', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k, { open: false });
    const open = new Set(['completeSetup', 'openConsole', 'closeConsole']);
    const inputs: Record<string, unknown> = {
      getDashboard: { range: 'today' },
      importRoster: { fileName: 'a.csv', bytesBase64: '', part: 0, parts: 1 },
      browseRosterFiles: { folder: '' },
      importRosterFile: { path: '/tmp/a.csv' },
      exportData: { kind: 'sessions', folder: '/tmp' },
      unlockDevice: { email: 'a@b.fr' },
      eraseAgent: { email: 'a@b.fr' },
      changePassphrase: { current: PASSPHRASE, next: 'x'.repeat(12), nextConfirm: 'x'.repeat(12) },
      compareStations: { range: 'all' },
      importBundles: { folder: '/tmp' },
      approveBundle: { file: '/tmp/b.ekb', fingerprint: 'ab12-cd34' },
    };
    for (const method of SUPERVISOR_METHOD_NAMES.filter((m) => !open.has(m))) {
      const error = await supRefused(k, method, inputs[method] as never);
      expect({ method, code: error.code }).toEqual({ method, code: 'not_authorised' });
    }
  });

  it('counts wrong passphrases down, locks for 5 minutes on the fifth (logged), then opens again', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k, { open: false });
    for (const left of [4, 3, 2, 1]) {
      expect(await supRefused(k, 'openConsole', { passphrase: 'wrong-passphrase' })).toEqual({
        code: 'passphrase_wrong',
        params: { attemptsLeft: left },
      });
    }
    expect(await supRefused(k, 'openConsole', { passphrase: 'wrong-passphrase' })).toEqual({
      code: 'console_locked',
      params: { seconds: 300 },
    });
    // Locked means locked: the right passphrase is not even checked.
    k.clock.advance(4 * 60_000);
    expect(await supRefused(k, 'openConsole', { passphrase: PASSPHRASE })).toEqual({
      code: 'console_locked',
      params: { seconds: 60 },
    });
    expect(query(k.dataDir, "SELECT type FROM events WHERE type = 'console_locked'")).toHaveLength(1);
    expect(query(k.dataDir, "SELECT type FROM events WHERE code = 'passphrase_wrong'")).toHaveLength(5);
    k.clock.advance(60_000);
    await sup(k, 'openConsole', { passphrase: PASSPHRASE });
    expect((await sup(k, 'getDashboard', { range: 'today' })).sessions).toBe(0);
  });

  it('keeps the lock across a restart of the kiosk', async () => {
    const clock = fakeClock();
    k = await openTestKiosk(undefined, clock);
    await setUpAndOpen(k, { open: false });
    for (let i = 0; i < 5; i += 1) await supRefused(k, 'openConsole', { passphrase: 'wrong-passphrase' });
    const dir = k.dataDir;
    k.close(true);
    k = await openTestKiosk(dir, clock);
    expect((await supRefused(k, 'openConsole', { passphrase: PASSPHRASE })).code).toBe('console_locked');
  });

  it('closes itself after 2 minutes without a console call, and each call pushes that back', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    k.clock.advance(110_000);
    await sup(k, 'pingConsole');
    k.clock.advance(110_000);
    await sup(k, 'getSettings');
    k.clock.advance(120_001);
    expect((await supRefused(k, 'getSettings')).code).toBe('not_authorised');
    // Expired stays closed: a later call does not find it open again.
    expect((await supRefused(k, 'pingConsole')).code).toBe('not_authorised');
    expect(query(k.dataDir, "SELECT details FROM events WHERE type = 'console_closed'")).toEqual([{ details: '{"idle":true}' }]);
  });

  it('closes on request, and logs whether the supervisor or the idle screen closed it', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await sup(k, 'closeConsole');
    expect((await supRefused(k, 'getSettings')).code).toBe('not_authorised');
    await sup(k, 'openConsole', { passphrase: PASSPHRASE });
    await sup(k, 'closeConsole', { idle: true });
    expect(query(k.dataDir, "SELECT details FROM events WHERE type = 'console_closed' ORDER BY id")).toEqual([
      { details: '{"idle":false}' },
      { details: '{"idle":true}' },
    ]);
  });

  it('changes the passphrase only with the current one, and the new one then opens the console', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const next = 'Nouvelle-phrase-2027';
    expect((await supRefused(k, 'changePassphrase', { current: 'not-the-one!', next, nextConfirm: next })).code).toBe(
      'passphrase_wrong',
    );
    expect((await supRefused(k, 'changePassphrase', { current: PASSPHRASE, next: 'short', nextConfirm: 'short' })).code).toBe(
      'passphrase_too_short',
    );
    await sup(k, 'changePassphrase', { current: PASSPHRASE, next, nextConfirm: next });
    await sup(k, 'closeConsole');
    expect((await supRefused(k, 'openConsole', { passphrase: PASSPHRASE })).code).toBe('passphrase_wrong');
    await sup(k, 'openConsole', { passphrase: next });
  });
});
