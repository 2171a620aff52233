// The renderer's client: one function per contract method, the browser shell's token kept out of the URL, never a throw.
import { describe, expect, it } from 'vitest';
import type { KioskApi, Result } from '../../../shared/contract';
import { METHOD_NAMES } from '../../../shared/methods';

/**
 * The client is browser code (DOM types), outside the Node tests' TypeScript project: it is loaded by path
 * at run time and given the few types these tests use.
 */
interface ClientModule {
  httpClient: (token: string, fetchImpl: typeof fetch) => KioskApi;
  electronClient: (api: KioskApi) => KioskApi;
  takeTokenFromUrl: (
    location: { hash: string; pathname: string; search: string },
    history: FakeHistory,
    storage?: () => { getItem: (key: string) => string | null; setItem: (key: string, value: string) => void },
    later?: (task: () => void) => void,
  ) => string;
  toResult: (body: unknown) => Result<unknown>;
}
interface FakeHistory {
  state: unknown;
  replaceState: (state: unknown, title: string, url: string) => void;
}
const CLIENT_PATH = '../../../renderer/src/client.ts';
const { electronClient, httpClient, takeTokenFromUrl, toResult } = (await import(/* @vite-ignore */ CLIENT_PATH)) as ClientModule;

const OUT_OF_SERVICE = { ok: false, error: { code: 'out_of_service', params: {} } };

function fakeFetch(respond: (url: string, init: RequestInit) => Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('renderer client', () => {
  it('has one function for every method of the contract', () => {
    const client = httpClient('t', fakeFetch(async () => new Response('{}')).fetchImpl);
    expect(Object.keys(client).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('posts the input as JSON to /api/<method> with the token header', async () => {
    const snapshot = { step: 'identify' };
    const { calls, fetchImpl } = fakeFetch(async () => Response.json({ ok: true, value: snapshot }));
    const result = await httpClient('abc', fetchImpl).identify({ email: 'a@b.fr' });
    expect(result).toEqual({ ok: true, value: snapshot });
    expect(calls[0]?.url).toBe('/api/identify');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.headers).toMatchObject({ 'content-type': 'application/json', 'x-kiosk-token': 'abc' });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ email: 'a@b.fr' });
  });

  it('passes on the engine refusal with its code and parameters', async () => {
    const refusal = { ok: false, error: { code: 'pin_wrong', params: { attemptsLeft: 3 } } };
    const { fetchImpl } = fakeFetch(async () => Response.json(refusal, { status: 200 }));
    expect(await httpClient('t', fetchImpl).confirmDevice({ pin: '1', code: '2' })).toEqual(refusal);
  });

  it('turns a network failure, an HTTP error page or a malformed body into out_of_service', async () => {
    const broken = [
      fakeFetch(async () => Promise.reject(new TypeError('Failed to fetch'))),
      fakeFetch(async () => new Response('Forbidden', { status: 403 })),
      fakeFetch(async () => Response.json({ hello: 'world' })),
    ];
    for (const { fetchImpl } of broken) expect(await httpClient('t', fetchImpl).getSnapshot({})).toEqual(OUT_OF_SERVICE);
  });

  it('reads the token from the URL fragment and removes it from the address', () => {
    const replaced: string[] = [];
    const location = { hash: '#token=deadbeef', pathname: '/', search: '' };
    const history: FakeHistory = { state: null, replaceState: (_s, _t, url) => replaced.push(url) };
    expect(takeTokenFromUrl(location, history)).toBe('deadbeef');
    expect(replaced).toEqual(['/']);
  });

  it('finds the token again after a reload, which comes back without the fragment', () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const history: FakeHistory = { state: null, replaceState: () => {} };
    expect(takeTokenFromUrl({ hash: '#token=cafe', pathname: '/', search: '' }, history, () => storage)).toBe('cafe');
    expect(takeTokenFromUrl({ hash: '', pathname: '/', search: '' }, history, () => storage)).toBe('cafe');
  });

  it('gives the token at once and removes it from the address and stores it as soon as the start-up lets it', () => {
    const replaced: string[] = [];
    const stored = new Map<string, string>();
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const history: FakeHistory = { state: null, replaceState: (_s, _t, url) => replaced.push(url) };
    const tasks: (() => void)[] = [];
    let opened = 0;
    const open = () => {
      opened += 1;
      return storage;
    };
    expect(takeTokenFromUrl({ hash: '#token=f00d', pathname: '/', search: '' }, history, open, (task) => tasks.push(task))).toBe('f00d');
    // Neither the address nor session storage (opening it costs an IPC) is touched on the way to the first call.
    expect(replaced).toEqual([]);
    expect(opened).toBe(0);
    for (const task of tasks) task();
    expect(replaced).toEqual(['/']);
    expect(takeTokenFromUrl({ hash: '', pathname: '/', search: '' }, history, open)).toBe('f00d');
  });

  it('stores the token before it leaves the address: a reload between the two deferred tasks still finds it', () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const replaced: string[] = [];
    const history: FakeHistory = { state: null, replaceState: (_s, _t, url) => replaced.push(url) };
    const tasks: (() => void)[] = [];
    takeTokenFromUrl({ hash: '#token=beef', pathname: '/', search: '' }, history, () => storage, (task) => tasks.push(task));
    tasks[0]?.();
    // The address still holds the fragment, and storage already holds the token: F5 now loses nothing.
    expect(replaced).toEqual([]);
    expect(takeTokenFromUrl({ hash: '', pathname: '/', search: '' }, history, () => storage)).toBe('beef');
  });

  it('wraps the Electron preload API so a broken bridge never throws', async () => {
    const api = Object.fromEntries(
      METHOD_NAMES.map((m) => [m, async () => (m === 'start' ? Promise.reject(new Error('bridge')) : { ok: true, value: m })]),
    ) as unknown as KioskApi;
    const client = electronClient(api);
    expect(await client.getSnapshot({})).toEqual({ ok: true, value: 'getSnapshot' });
    expect(await client.start({ language: 'fr' })).toEqual(OUT_OF_SERVICE);
  });

  it('accepts only well-formed result envelopes', () => {
    expect(toResult({ ok: true, value: 1 })).toEqual({ ok: true, value: 1 });
    expect(toResult({ ok: false, error: { code: 'internal' } })).toEqual(OUT_OF_SERVICE);
    expect(toResult(null)).toEqual(OUT_OF_SERVICE);
  });
});
