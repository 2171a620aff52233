// The one door to the engine: the Electron preload's API when present, else the browser shell's HTTP API.
import type { KioskApi, Result } from '../../shared/contract';
import type { KioskErrorShape } from '../../shared/errors';
import { METHOD_NAMES, type MethodName } from '../../shared/methods';
import { TOKEN_STORAGE_KEY } from '../../shared/kiosk-token';

declare global {
  interface Window {
    /** Exposed by the Electron preload: one function per contract method. */
    kiosk?: KioskApi;
  }
}

type Call = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

const OUT_OF_SERVICE: Result<never> = { ok: false, error: { code: 'out_of_service', params: {} } };

/** Builds the KioskApi by looping over the method list, so a new method needs no code here. */
const outOfServiceListeners = new Set<(error: KioskErrorShape) => void>();

/**
 * Calls `listener` with every out_of_service refusal, whichever screen made the call (a step, the idle guard, the
 * supervisor console): the station's state is not one screen's business. Returns what removes the listener.
 */
export function onOutOfService(listener: (error: KioskErrorShape) => void): () => void {
  outOfServiceListeners.add(listener);
  return () => outOfServiceListeners.delete(listener);
}

function buildClient(call: Call): KioskApi {
  const told = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    const result = await call(method, input);
    if (!result.ok && result.error.code === 'out_of_service') for (const listener of outOfServiceListeners) listener(result.error);
    return result;
  };
  const entries = METHOD_NAMES.map((method) => [method, (input: unknown) => told(method, input ?? {})]);
  return Object.freeze(Object.fromEntries(entries)) as KioskApi;
}

function isErrorShape(value: unknown): value is KioskErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const { code, params } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof params === 'object' && params !== null;
}

/** Accepts only a well-formed Result envelope; anything else means the engine is out of reach. */
export function toResult(body: unknown): Result<unknown> {
  if (typeof body !== 'object' || body === null) return OUT_OF_SERVICE;
  const envelope = body as Record<string, unknown>;
  if (envelope.ok === true && 'value' in envelope) return { ok: true, value: envelope.value };
  if (envelope.ok === false && isErrorShape(envelope.error)) return { ok: false, error: envelope.error };
  return OUT_OF_SERVICE;
}

const TOKEN_KEY = TOKEN_STORAGE_KEY;

/**
 * Reads the per-launch token from `#token=...`, then removes it from the URL (and so from history).
 * It is also kept in this tab's session storage: Chromium's kiosk mode still reloads on F5, and the
 * reloaded page, without the fragment, must not fall out of service. The throw-away profile goes at exit.
 * `later` runs the storing and the removal: at start-up they wait until the first screen is drawn (both cost
 * milliseconds of IPC in a new renderer process, up to 8 ms for session storage, which would otherwise sit between
 * the engine's first answer and that screen); `storage` is a getter for the same reason. The token is stored
 * before the fragment goes, so that a reload at any moment finds it in one or the other.
 */
export function takeTokenFromUrl(
  location: Location,
  history: History,
  storage?: () => Pick<Storage, 'getItem' | 'setItem'>,
  later: (task: () => void) => void = (task) => task(),
): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  if (token !== '') later(() => storage?.().setItem(TOKEN_KEY, token));
  if (location.hash) {
    const address = `${location.pathname}${location.search}`;
    later(() => history.replaceState(history.state, '', address));
  }
  if (token !== '') return token;
  return storage?.().getItem(TOKEN_KEY) ?? '';
}

export function httpClient(token: string, fetchImpl: typeof fetch): KioskApi {
  return buildClient(async (method, input) => {
    try {
      const response = await fetchImpl(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
        body: JSON.stringify(input),
        cache: 'no-store',
        credentials: 'omit',
      });
      // A refusal from the engine still arrives as an envelope; a bare HTTP error does not.
      return toResult(await response.json());
    } catch {
      return OUT_OF_SERVICE;
    }
  });
}

/** Wraps the preload's API so that even a broken bridge never throws into the screens. */
export function electronClient(api: KioskApi): KioskApi {
  return buildClient(async (method, input) => {
    try {
      const fn = api[method] as (input: unknown) => Promise<unknown>;
      return toResult(await fn(input));
    } catch {
      return OUT_OF_SERVICE;
    }
  });
}

function createClient(): KioskApi {
  if (window.kiosk) return electronClient(window.kiosk);
  // Session storage is opened only when used: its first access costs an IPC. Storing the token and cleaning the URL
  // wait until the first screen is drawn and the page idle (within a second at most).
  const token = takeTokenFromUrl(window.location, window.history, () => window.sessionStorage, (task) => window.requestIdleCallback(task, { timeout: 1000 }));
  return httpClient(token, window.fetch.bind(window));
}

let instance: KioskApi | null = null;

/** The client, created on first use (the token is read from the URL once, at start-up). */
export function kioskClient(): KioskApi {
  instance ??= createClient();
  return instance;
}
