import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestKiosk, T0, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

describe('welcome and start', () => {
  it('shows a ready station on welcome with the defaults of a fresh station', async () => {
    k = await openTestKiosk();
    const snap = await k.call('getSnapshot');
    expect(snap).toMatchObject({
      step: 'welcome',
      now: T0,
      canGoBack: false,
      canCancel: false,
      station: { status: 'ready', mode: 'enrolment', language: 'fr', idleSeconds: 120, name: "Poste d'inspection" },
    });
  });

  it('start moves to identify in the chosen language and records the session start in the log', async () => {
    k = await openTestKiosk();
    const snap = await k.call('start', { language: 'en' });
    expect(snap).toMatchObject({ step: 'identify', returning: null, canCancel: true, station: { language: 'en' } });
    const db = new Database(join(k.dataDir, 'kiosk.db'), { readonly: true });
    const sessions = db.prepare('SELECT mode, outcome, started_at FROM sessions').all();
    // The session's own events: the station's first-run setup is logged before them, without a session.
    const events = db.prepare('SELECT type, step FROM events WHERE session_id IS NOT NULL ORDER BY id').all();
    db.close();
    expect(sessions).toEqual([{ mode: 'enrolment', outcome: null, started_at: T0 }]);
    expect(events).toEqual([
      { type: 'session_started', step: 'welcome' },
      { type: 'step', step: 'identify' },
    ]);
  });

  it('refuses start while a session is running', async () => {
    k = await openTestKiosk();
    await k.call('start', { language: 'fr' });
    expect(await k.refused('start', { language: 'fr' })).toEqual({
      code: 'not_allowed_in_step',
      params: { step: 'identify' },
    });
  });
});
