// The loopback server refuses every call that is not the token-holding page of its own origin, and keeps serving.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskHandlers } from '../../../shared/contract';
import { METHOD_NAMES } from '../../../shared/methods';
import { startShellServer, type ShellServer } from '../../../electron/browser-shell/server';
import { appProtocolHandler } from '../../../electron/shell/app-protocol';
import { dispatch } from '../../../electron/transport/dispatch';
import { openTestKiosk, SUPERVISOR_PASSPHRASE } from '../engine/harness';

const welcome = {
  step: 'welcome' as const,
  station: { name: 'Poste test', mode: 'enrolment' as const, language: 'fr' as const, status: 'ready' as const, idleSeconds: 120, keyboard: true, allowedDomains: [] },
  now: 0,
  idle: null,
  canGoBack: false,
  canCancel: false,
};

/** Handlers that record every call: a refused request must never reach them. */
function recordingHandlers(calls: string[]): KioskHandlers {
  return Object.fromEntries(
    METHOD_NAMES.map((name) => [
      name,
      async () => {
        calls.push(name);
        return { ...welcome, secretThatMustNotLeak: 'JBSWY3DPEHPK3PXP' };
      },
    ]),
  ) as unknown as KioskHandlers;
}

function raw(url: string, method: string, headers: Record<string, string>, body?: string | Buffer) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const request = httpRequest(url, { method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, headers: response.headers }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('browser-shell server', () => {
  let dir: string;
  let server: ShellServer;
  let calls: string[];
  let good: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shell-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
    calls = [];
    server = await startShellServer({ handlers: recordingHandlers(calls), rendererDir: dir });
    good = { 'content-type': 'application/json', origin: server.origin, 'x-kiosk-token': server.token };
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback only and puts the token in the fragment', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.hash).toBe(`#token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a good call with the envelope and only the contract fields', async () => {
    const response = await raw(`${server.origin}/api/getSnapshot`, 'POST', good, '{}');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true, value: welcome });
    expect(response.body).not.toContain('JBSWY3DPEHPK3PXP');
  });

  it.each([
    ['no token', { 'x-kiosk-token': '' }, 401],
    ['a wrong token', { 'x-kiosk-token': '0'.repeat(64) }, 401],
    ['a foreign origin', { origin: 'http://evil.example' }, 403],
    ['no origin', { origin: '' }, 403],
    ['a rebinding host', { host: 'evil.example:80' }, 403],
    ['a form post', { 'content-type': 'text/plain' }, 415],
  ])('refuses a call with %s', async (_name, override, status) => {
    const response = await raw(`${server.origin}/api/start`, 'POST', { ...good, ...override }, '{"language":"fr"}');
    expect(response.status).toBe(status);
    expect(calls).toEqual([]);
  });

  it('refuses oversized and malformed bodies and unknown methods, then keeps serving', async () => {
    expect((await raw(`${server.origin}/api/start`, 'POST', good, Buffer.alloc(65 * 1024, 32))).status).toBe(413);
    expect((await raw(`${server.origin}/api/start`, 'POST', good, '{"language":')).status).toBe(400);
    expect((await raw(`${server.origin}/api/__proto__`, 'POST', good, '{}')).status).toBe(404);
    expect((await raw(`${server.origin}/api/start`, 'GET', good)).status).toBe(405);
    expect(calls).toEqual([]);
    expect((await raw(`${server.origin}/api/getSnapshot`, 'POST', good, '{}')).status).toBe(200);
  });

  it('refuses an input that does not match the contract without calling the engine', async () => {
    const response = await raw(`${server.origin}/api/start`, 'POST', good, '{"language":"de"}');
    expect(JSON.parse(response.body)).toEqual({ ok: false, error: { code: 'invalid_input', params: { field: 'language' } } });
    expect(calls).toEqual([]);
  });

  it('lets only content-hashed code be cached: the page, the API and other files are never stored', async () => {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'index-C_s-eSJO.js'), 'export {};');
    await writeFile(join(dir, 'assets', 'notes.js'), 'export {};');
    const hashed = await raw(`${server.origin}/assets/index-C_s-eSJO.js`, 'GET', {});
    expect(hashed.status).toBe(200);
    expect(hashed.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect((await raw(`${server.origin}/`, 'GET', {})).headers['cache-control']).toBe('no-store');
    expect((await raw(`${server.origin}/assets/notes.js`, 'GET', {})).headers['cache-control']).toBe('no-store');
    const api = await raw(`${server.origin}/api/getSnapshot`, 'POST', good, '{}');
    expect(api.status).toBe(200);
    expect(api.headers['cache-control']).toBe('no-store');
  });

  it('serves the renderer with the CSP and never a file outside it', async () => {
    const page = await raw(`${server.origin}/`, 'GET', {});
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect((await raw(`${server.origin}/../../etc/passwd`, 'GET', {})).status).toBe(404);
    expect((await raw(`${server.origin}/%2e%2e/%2e%2e/etc/passwd`, 'GET', {})).status).toBe(404);
  });

  it('answers 404 for a folder or anything that is not a regular file, without an internal error', async () => {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'app.js'), 'export {};');
    // A named pipe: reading it would wait for a writer forever.
    execFileSync('mkfifo', [join(dir, 'assets', 'pipe.js')]);
    const internal: unknown[] = [];
    await server.close();
    server = await startShellServer({ handlers: recordingHandlers(calls), rendererDir: dir, onInternalError: (e) => internal.push(e) });
    for (const path of ['/assets/', '/assets', '/assets/pipe.js']) {
      const response = await raw(`${server.origin}${path}`, 'GET', {});
      expect(response.status, path).toBe(404);
      expect(response.body).not.toMatch(/EISDIR|at .*\(/);
    }
    expect((await raw(`${server.origin}/assets/app.js`, 'GET', {})).status).toBe(200);
    expect(internal).toEqual([]);
  });

  it('sends the same security and cache headers as the Electron shell, for the page, code and a refusal', async () => {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'index-C_s-eSJO.js'), 'export {};');
    const electron = appProtocolHandler(dir);
    const shared = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !['content-length', 'date', 'connection', 'keep-alive'].includes(name)));
    for (const path of ['/', '/assets/index-C_s-eSJO.js', '/missing.js']) {
      const served = await raw(`${server.origin}${path}`, 'GET', {});
      const expected = Object.fromEntries((await electron(new Request(`app://kiosk${path}`))).headers);
      if (served.status === 404) delete expected['content-type'];
      const browser = shared(served.headers);
      if (served.status === 404) delete browser['content-type'];
      expect(browser, path).toEqual(expected);
    }
  });
});

describe('exiting the kiosk through the browser shell', () => {
  it('answers the page before the shell quits, even when quitting drops every connection at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shell-exit-'));
    let server: ShellServer | undefined;
    const quit: string[] = [];
    const k = await openTestKiosk(undefined, undefined, undefined, {
      onExit: () => {
        quit.push('quit');
        void server?.close();
      },
    });
    try {
      await writeFile(join(dir, 'index.html'), '<!doctype html>');
      server = await startShellServer({ handlers: k.kiosk.handlers, rendererDir: dir });
      expect(await dispatch(k.kiosk.handlers, 'openConsole', { passphrase: SUPERVISOR_PASSPHRASE })).toMatchObject({ ok: true });
      const headers = { 'content-type': 'application/json', origin: server.origin, 'x-kiosk-token': server.token };
      const answer = await raw(`${server.origin}/api/exitKiosk`, 'POST', headers, '{}');
      expect(JSON.parse(answer.body)).toEqual({ ok: true, value: {} });
      await vi.waitFor(() => expect(quit).toEqual(['quit']));
    } finally {
      await server?.close();
      k.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
