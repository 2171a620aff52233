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
      issuer: '',
      retentionDays: 180,
      maxPinAttempts: 5,
      maxCodeAttempts: 5,
      helpAddress: 'https://webgate.ec.europa.eu/cas/help.html',
      signInAddress: 'https://webgate.ec.europa.eu/cas/login',
      supportAddress: 'EU-LOGIN-EXTERNAL-SUPPORT@ec.europa.eu',
      assumptions: { maxPinAttempts: 5, maxCodeAttempts: 5, codeDigits: 6, qrValiditySeconds: 300 },
      dataDir: k.dataDir,
    });
    expect(settings.assumptions.blockedPins).toBeGreaterThan(3);
  });

  it('lets the organisation set the attempt limits and the addresses agents are given, refusing what is not an address', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const saved = await sup(k, 'updateSettings', {
      maxPinAttempts: 3,
      maxCodeAttempts: 4,
      helpAddress: 'https://intranet.example.fr/aide-eu-login',
      supportAddress: 'assistance@example.fr',
    });
    expect(saved).toMatchObject({ maxPinAttempts: 3, maxCodeAttempts: 4, assumptions: { maxPinAttempts: 3, maxCodeAttempts: 4 } });
    expect(saved.helpAddress).toBe('https://intranet.example.fr/aide-eu-login');
    for (const bad of [{ helpAddress: 'voir le guide' }, { supportAddress: 'assistance' }, { maxPinAttempts: 1 }, { maxCodeAttempts: 99 }]) {
      expect((await k.refused('updateSettings', bad)).code).toBe('invalid_input');
    }
    expect((await sup(k, 'getSettings')).supportAddress).toBe('assistance@example.fr');
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
