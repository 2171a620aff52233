// Settings through the console: bounds, normalised domains, the assumptions shown, and the engine using the new values.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestKiosk, query, type TestKiosk } from '../engine/harness';
import { setUpAndOpen, sup, supRefused } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

describe('settings', () => {
  it('shows the station’s values and the assumptions EU Login does not publish', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k, { stationName: 'PIF Sète' });
    const settings = await sup(k, 'getSettings');
    expect(settings).toMatchObject({
      stationName: 'PIF Sète',
      mode: 'enrolment',
      language: 'fr',
      idleSeconds: 120,
      allowedDomains: [],
      qrValiditySeconds: 300,
      issuer: 'EU Login',
      retentionDays: 180,
      assumptions: { maxPinAttempts: 5, maxCodeAttempts: 5, codeDigits: 6, qrValiditySeconds: 300 },
      dataDir: k.dataDir,
    });
    expect(settings.assumptions.blockedPins).toBeGreaterThan(3);
  });

  it('saves changes the engine then uses, with domains in lower case and without @', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const saved = await sup(k, 'updateSettings', {
      stationName: 'PIF Brest',
      idleSeconds: 90,
      allowedDomains: ['@Agriculture.gouv.fr', 'douane.finances.gouv.fr', 'agriculture.gouv.fr'],
      mode: 'training',
    });
    expect(saved.allowedDomains).toEqual(['agriculture.gouv.fr', 'douane.finances.gouv.fr']);
    expect((await k.call('getSnapshot')).station).toMatchObject({ name: 'PIF Brest', idleSeconds: 90, mode: 'training' });
    expect(query(k.dataDir, "SELECT details FROM events WHERE type = 'settings_changed'")).toEqual([
      { details: '{"keys":"allowedDomains,idleSeconds,mode,stationName"}' },
    ]);
  });

  it('refuses values out of bounds at the boundary, changing nothing', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    expect(await supRefused(k, 'updateSettings', { idleSeconds: 5 })).toEqual({ code: 'invalid_input', params: { field: 'idleSeconds' } });
    expect((await supRefused(k, 'updateSettings', { allowedDomains: ['pas un domaine'] })).code).toBe('invalid_input');
    expect((await supRefused(k, 'updateSettings', { stationName: '   ' })).code).toBe('invalid_input');
    expect((await sup(k, 'getSettings')).idleSeconds).toBe(120);
  });
});
