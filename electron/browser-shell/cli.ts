// `serve`: the browser shell's server alone, printing the kiosk URL; `launch`: the server and the system Chromium as the kiosk window.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAFE_STORAGE_KEY_FILE } from '../safe-storage-key-store';
import { openKioskOrOutOfService, type Kiosk, type ShellEventDetails } from '../kiosk';
import { defaultDataDir } from '../data-dir';
import type { Language } from '../../shared/steps';
import { TOKEN_STORAGE_KEY } from '../../shared/kiosk-token';
import { FIRST_PAGE, findChromium, hasLocale, launchChromium, printReportPdf, type LaunchedChromium } from './chromium';
import { keepWindowOpen, type WindowEnd } from './keep-open';
import { lockKiosk, type KioskLock } from './kiosk-lock';
import type { ShellLock } from '../../shared/supervisor-contract';
import type { KioskHandlers } from '../../shared/contract';
import { lockLine, managedPoliciesInstalled } from './lock-status';
import { startShellServer, type ShellServer } from './server';

const RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));
/** A Chromium that has not answered on its pipe by then is stuck (a loaded thin client starts it in a few seconds). */
const LOCK_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolveValue, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer on the DevTools pipe in ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolveValue(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The station's language (a setting of the console), for Chromium's own strings; French if the engine cannot say. */
async function stationLanguage(handlers: KioskHandlers): Promise<Language> {
  try {
    return (await handlers.getSnapshot({})).station.language;
  } catch {
    // Out of service, or any refusal: Chromium's strings in French, as the station's are by default.
    return 'fr';
  }
}

type Command = 'serve' | 'launch';

/**
 * What the kiosk asks of the shell that exists only once the server and the window are up: the kiosk opens
 * first (the server serves its handlers), so these are bound as they come, each in one place below.
 */
interface ShellBindings {
  /** The supervisor's "Exit the kiosk": bound once there is a server and a window to close. */
  exit: () => void;
  /** What holds the window, for the supervisor's dashboard. */
  lock: ShellLock;
  /** The Chromium that shows the kiosk and also lays the report's PDF out (`launch` only). */
  chromium: string | null;
  /** The kiosk window's lock while it is up: the agent's recap is laid out from its page, over the pipe. */
  held: KioskLock | null;
}

function refuseKeychainStation(dataDir: string): void {
  if (existsSync(join(dataDir, SAFE_STORAGE_KEY_FILE))) {
    // The Electron shell sealed this station's key in the OS keychain: a new key file here would make
    // every stored secret unreadable, so refuse rather than start a second, incompatible key.
    throw new Error(
      `the station key of ${dataDir} is held by the Electron kiosk's keychain; start the Electron kiosk, or give the browser shell its own KIOSK_DATA_DIR`,
    );
  }
}

function openTheKiosk(command: Command, dataDir: string, shell: ShellBindings): Promise<Kiosk> {
  return openKioskOrOutOfService(
    {
      dataDir,
      onInternalError: (error) => console.error('internal error:', error),
      onExit: () => shell.exit(),
      shellLock: () => shell.lock,
      // `serve` holds no Chromium: its report is printed from the page.
      printToPdf:
        command === 'launch'
          ? (html) => (shell.chromium ? printReportPdf(shell.chromium, html) : Promise.reject(new Error('no Chromium to lay the report out')))
          : undefined,
      // The agent's recap: the kiosk page's print layout (the recap sheet alone) as a PDF, no dialog; `serve` has none.
      printKioskToPdf:
        command === 'launch' ? () => (shell.held ? shell.held.printPage() : Promise.reject(new Error('no kiosk window to print'))) : undefined,
    },
    // The page still opens, on the out-of-service screen with the reason for the supervisor: never a blank window.
    (error) => console.error(`The kiosk cannot open its data folder ${dataDir}:`, error instanceof Error ? error.message : error),
  );
}

function serveTheKiosk(kiosk: Kiosk): Promise<ShellServer> {
  return startShellServer({
    handlers: kiosk.handlers,
    rendererDir: RENDERER_DIR,
    port: Number(process.env.KIOSK_PORT ?? 0),
    onInternalError: (error) => console.error('internal error:', error),
    onRefused: ({ method, path, status, reason }) => console.warn(`refused ${method} ${path}: ${status} (${reason})`),
  });
}

interface Shutdown {
  /** Closes the windows, the server and the kiosk, then exits with `code`; once, whoever asks first. */
  (code: number): Promise<void>;
  closing(): boolean;
}

/** `windows`: the kiosk's Chromium, and for a moment the one quitting before it. */
function shutdownWith(server: ShellServer, kiosk: Kiosk, windows: ReadonlySet<LaunchedChromium>): Shutdown {
  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    // Chromium would outlive this process and show a dead kiosk: it goes first, with its throw-away profile.
    for (const launched of windows) launched.child.kill('SIGTERM');
    await Promise.race([Promise.all([...windows].map((w) => w.exited)), new Promise((resolveWait) => setTimeout(resolveWait, 5_000))]);
    await server.close();
    kiosk.close();
    process.exit(code);
  };
  return Object.assign(shutdown, { closing: () => closing });
}

/** A developer's tool: the page opens in a browser nothing holds. */
function announceServe(server: ShellServer, lock: ShellLock): void {
  console.log(lockLine(lock));
  // The token is in the URL's fragment and whoever has this line can use the kiosk, so it goes to this terminal only.
  console.log(`Kiosk URL: ${server.url}`);
}

interface WindowContext {
  chromium: string;
  windowed: boolean;
  server: ShellServer;
  kiosk: Kiosk;
  shell: ShellBindings;
  windows: Set<LaunchedChromium>;
  report: (type: string, details: ShellEventDetails) => void;
}

/**
 * One kiosk window: Chromium started and locked over its pipe, then awaited until it ends. The kiosk page gone
 * (Ctrl+W, Alt+F4) is enough: the next window need not wait for this Chromium to finish quitting.
 */
async function openKioskWindow({ chromium, windowed, server, kiosk, shell, windows, report }: WindowContext): Promise<WindowEnd> {
  const launched = await launchChromium(chromium, !windowed, false, await stationLanguage(kiosk.handlers));
  windows.add(launched);
  void launched.exited.then(() => windows.delete(launched));
  // The kiosk page gone, also while the lock is still being set up: a person pressing Ctrl+W as soon as
  // the window shows must not wait for this Chromium's orderly shutdown (up to 4.3 s seen under load).
  let closePage: () => void = () => {};
  const pageClosed = new Promise<void>((resolveClosed) => (closePage = resolveClosed));
  let ready = false;
  try {
    const lock = await withTimeout(
      Promise.race([
        lockKiosk(launched.cdp, {
          origin: server.origin,
          firstPage: FIRST_PAGE,
          startUrl: `${server.origin}/`,
          token: { value: server.token, storageKey: TOKEN_STORAGE_KEY },
          onEvent: (type, details) => report(type, details),
          onClosed: () => closePage(),
        }),
        pageClosed.then(() => null),
      ]),
      LOCK_TIMEOUT_MS,
    );
    if (lock !== null) {
      shell.held = lock;
      void lock.ready.then(() => (ready = true));
    }
  } catch (error) {
    // Without the pipe nothing holds this Chromium and the kiosk page never got its token: start again.
    report('lock-failed', { reason: error instanceof Error ? error.message : String(error) });
    launched.child.kill('SIGTERM');
  }
  const end = await Promise.race([
    launched.exited.then(({ code, signal }): WindowEnd => ({ reason: 'exited', code, signal, ready })),
    pageClosed.then((): WindowEnd => ({ reason: 'page-closed', code: null, signal: null, ready })),
  ]);
  // Its profile is thrown away: nothing to save, and its orderly shutdown would slow the next window's start.
  if (end.reason === 'page-closed') launched.child.kill('SIGKILL');
  return end;
}

/** `launch`: the system Chromium as the kiosk window, opened again whenever it goes, until the supervisor exits. */
async function holdKioskWindow(server: ShellServer, kiosk: Kiosk, shell: ShellBindings, windows: Set<LaunchedChromium>, shutdown: Shutdown): Promise<void> {
  const chromium = findChromium();
  shell.chromium = chromium;
  if (chromium === null) {
    console.error('No Chromium found (set CHROMIUM_PATH, or on Debian: apt-get install chromium).');
    await shutdown(1);
    return;
  }
  const windowed = process.env.KIOSK_WINDOWED === '1';
  shell.lock = { window: windowed ? 'windowed' : 'held', policies: managedPoliciesInstalled(chromium) };
  console.log(lockLine(shell.lock));
  console.log(`Kiosk open in ${chromium}; only the supervisor console's "Exit the kiosk" closes it.`);
  const language = await stationLanguage(kiosk.handlers);
  if (!hasLocale(chromium, language)) {
    console.warn(`Chromium's own strings are NOT in the station's language (${language}): install them (Debian: apt-get install chromium-l10n).`);
  }
  const report = (type: string, details: ShellEventDetails) => {
    console.warn(`kiosk window: ${type} ${JSON.stringify(details)}`);
    kiosk.recordShellEvent(type, details);
  };
  await keepWindowOpen({
    stopping: shutdown.closing,
    onReopen: (details) => report('window-reopened', details),
    openWindow: () => openKioskWindow({ chromium, windowed, server, kiosk, shell, windows, report }),
  });
}

async function main(command: Command): Promise<void> {
  const dataDir = defaultDataDir();
  refuseKeychainStation(dataDir);
  const shell: ShellBindings = { exit: () => {}, lock: { window: 'not-held', policies: false }, chromium: null, held: null };
  const kiosk = await openTheKiosk(command, dataDir, shell);
  const server = await serveTheKiosk(kiosk);
  const windows = new Set<LaunchedChromium>();
  const shutdown = shutdownWith(server, kiosk, windows);
  shell.exit = () => {
    console.log('The supervisor closed the kiosk.');
    void shutdown(0);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  console.log(`Data folder: ${dataDir}`);
  if (command === 'serve') announceServe(server, shell.lock);
  else await holdKioskWindow(server, kiosk, shell, windows, shutdown);
}

const command = process.argv[2] ?? 'launch';
if (command !== 'serve' && command !== 'launch') {
  console.error('usage: cli.mjs serve|launch');
  process.exit(2);
}
main(command).catch((error: unknown) => {
  console.error('The kiosk could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
