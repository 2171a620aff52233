// The browser shell's door: only the page holding the launch token, from the app's own origin and host, gets in.
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { callApi } from '../support/api';
import { E2E_PASSPHRASE, expect, test } from '../support/kiosk';

interface RawResponse {
  status: number;
  body: string;
}

/** A request with full control of Host and Origin, which fetch and Playwright's request API rewrite. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolveResponse, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolveResponse({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

test.describe('browser shell API', () => {
  test('refuses calls without the token, with a wrong Host or Origin, oversized or malformed, and keeps serving', async ({ kiosk }) => {
    const shell = kiosk.shell;
    test.skip(shell === null, 'browser shell only');
    if (shell === null) return;
    const api = `${shell.origin}/api/getSnapshot`;
    const good = { 'content-type': 'application/json', origin: shell.origin, 'x-kiosk-token': shell.token };

    expect((await raw(api, { headers: { ...good, 'x-kiosk-token': '' }, body: '{}' })).status).toBe(401);
    expect((await raw(api, { headers: { ...good, 'x-kiosk-token': 'f'.repeat(64) }, body: '{}' })).status).toBe(401);
    expect((await raw(api, { headers: { ...good, origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await raw(api, { headers: { ...good, host: 'evil.example' }, body: '{}' })).status).toBe(403);
    expect((await raw(api, { headers: good, body: Buffer.alloc(70 * 1024, 'a') })).status).toBe(413);
    expect((await raw(api, { headers: good, body: '{"not json' })).status).toBe(400);
    expect((await raw(`${shell.origin}/api/dropTables`, { headers: good, body: '{}' })).status).toBe(404);
    expect((await raw(api, { method: 'GET', headers: good })).status).toBe(405);
    expect((await raw(`${shell.origin}/../../etc/passwd`, { method: 'GET', headers: {} })).status).toBe(404);

    // A refused start never reaches the engine: no session, no event in the log.
    const start = `${shell.origin}/api/start`;
    expect((await raw(start, { headers: { ...good, 'x-kiosk-token': 'nope' }, body: '{"language":"fr"}' })).status).toBe(401);
    expect((await raw(start, { headers: { ...good, origin: 'http://evil.example' }, body: '{"language":"fr"}' })).status).toBe(403);
    const db = new Database(join(kiosk.dataDir, 'kiosk.db'), { readonly: true });
    const sessions = db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
    const sessionEvents = db.prepare('SELECT count(*) AS n FROM events WHERE session_id IS NOT NULL').get() as { n: number };
    db.close();
    expect(sessions.n).toBe(0);
    expect(sessionEvents.n).toBe(0);

    const ok = await raw(api, { headers: good, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { step: 'welcome' } });
  });

  test('the page loses the token from its address once loaded', async ({ kiosk: { page } }) => {
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The address is cleaned just after the first screen is drawn (client.ts takeTokenFromUrl), not before it.
    await expect.poll(() => new URL(page.url()).hash).toBe('');
  });
});

test('a reload (F5 still works in Chromium kiosk mode) keeps the kiosk in service', async ({ kiosk: { page } }) => {
  await expect(page.getByTestId('start')).toBeVisible();
  await page.reload();
  await page.getByTestId('start').click();
  await expect(page.locator('main')).toHaveAttribute('data-step', 'identify');
});

test("the supervisor's Exit the kiosk stops the browser shell", async ({ kiosk }) => {
  const shell = kiosk.shell;
  test.skip(shell === null, 'browser shell only');
  if (shell === null) return;
  const exited = new Promise<number | null>((resolve) => shell.child.once('exit', (code) => resolve(code)));
  expect(await callApi(shell, 'exitKiosk')).toMatchObject({ ok: false, error: { code: 'not_authorised' } });
  expect(await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE })).toMatchObject({ ok: true });
  expect(await callApi(shell, 'exitKiosk')).toMatchObject({ ok: true });
  expect(await exited).toBe(0);
});
