// Starts the system Chromium as the kiosk window: --kiosk --app, a throw-away profile written locked, no background traffic, held over a DevTools pipe.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Language } from '../../shared/steps';
import { createCdpClient, type CdpClient } from './devtools-pipe';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to use: CHROMIUM_PATH, else the first system one found, else null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | null {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  return CANDIDATES.find((path) => exists(path)) ?? null;
}

/** Flags that keep Chromium quiet on a closed network: no updates, no sync, no metrics, no prefetching. */
export const QUIET_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-breakpad',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,InterestFeedContentSuggestions',
  '--no-pings',
  '--password-store=basic',
] as const;

/**
 * Flags that take Chromium's own screens away from the person at the station: permission prompts are
 * answered "no" without a bubble, pinch zoom and the overscroll swipe back are off. (`--disable-print-preview`
 * still exists, but it swaps the preview for the system's print dialog, "Print to file" included: printing
 * is switched off in the profile instead, see kioskPreferences.)
 */
export const LOCKED_FLAGS = ['--deny-permission-prompts', '--disable-pinch', '--overscroll-history-navigation=0'] as const;

/**
 * The throw-away profile's `Default/Preferences`, written before Chromium starts, so it holds from the
 * first frame with or without the root step's managed policies: no password manager ("Save password?"
 * held the supervisor's passphrase and an agent's PIN), no autofill, no translate bar, no printing
 * (window.print() and Ctrl+P open nothing; the DevTools pipe's Page.printToPDF still lays the recap out),
 * no spell-check service, no search suggestions, every permission and pop-up refused, and the page's
 * languages those of the station.
 */
export function kioskPreferences(language: Language): Record<string, unknown> {
  return {
    credentials_enable_service: false,
    credentials_enable_autosignin: false,
    profile: {
      password_manager_enabled: false,
      password_manager_leak_detection: false,
      default_content_setting_values: {
        notifications: 2,
        geolocation: 2,
        media_stream_mic: 2,
        media_stream_camera: 2,
        popups: 2,
        automatic_downloads: 2,
        midi_sysex: 2,
        usb_guard: 2,
        serial_guard: 2,
        hid_guard: 2,
        bluetooth_guard: 2,
        file_system_write_guard: 2,
        local_fonts: 2,
        window_placement: 2,
        idle_detection: 2,
        sensors: 2,
      },
    },
    autofill: { enabled: false, profile_enabled: false, credit_card_enabled: false },
    payments: { can_make_payment_enabled: false },
    translate: { enabled: false },
    printing: { enabled: false },
    browser: { enable_spellchecking: false, has_seen_welcome_page: true },
    spellcheck: { use_spelling_service: false },
    search: { suggest_enabled: false },
    download: { prompt_for_download: false },
    intl: { accept_languages: language === 'fr' ? 'fr-FR,fr' : 'en-GB,en' },
  };
}

/** Chromium's user-interface locale for the station's language (`--lang`, and `LANGUAGE` which GTK's dialogs read). */
export function chromiumLocale(language: Language): string {
  return language === 'fr' ? 'fr' : 'en-GB';
}

/**
 * Whether this Chromium has its strings in `language`: Debian ships only en-US with `chromium`, the
 * others come with `chromium-l10n` (/usr/lib/chromium/locales); Google Chrome has them beside its binary.
 */
export function hasLocale(executable: string, language: Language, exists: (path: string) => boolean = existsSync): boolean {
  let real = executable;
  try {
    real = realpathSync(executable);
  } catch {
    // A path that does not resolve is looked up as given.
  }
  const pak = `${chromiumLocale(language)}.pak`;
  return [join(dirname(real), 'locales', pak), join('/usr/lib/chromium/locales', pak)].some((path) => exists(path));
}

/** Writes the locked profile into a new, empty --user-data-dir. */
export async function writeKioskProfile(profileDir: string, language: Language): Promise<void> {
  await mkdir(join(profileDir, 'Default'), { recursive: true });
  await writeFile(join(profileDir, 'Default', 'Preferences'), JSON.stringify(kioskPreferences(language)));
}

/**
 * The page Chromium opens first: an empty one. The kiosk's own URL carries the token, and a command
 * line is readable by every local account (/proc/<pid>/cmdline): that URL goes over the pipe instead.
 * (`--app` takes only web-safe schemes: about:blank would open an ordinary window with an address bar.)
 */
export const FIRST_PAGE = 'data:text/html,';

export interface ChromiumArgsOptions {
  url: string;
  profileDir: string;
  /** Chromium refuses to start as root with its sandbox; only then is it switched off. */
  runningAsRoot: boolean;
  /** false for a window on a developer's desktop (npm run dev). */
  kiosk?: boolean;
  /**
   * The screen's size, for thin clients with no window manager: there nothing makes the kiosk window
   * fill the screen but an explicit size (KIOSK_WINDOW_SIZE=1920x1080).
   */
  windowSize?: { width: number; height: number } | null;
  /** The report's printer: no window at all. */
  headless?: boolean;
  /** The station's language: Chromium's own strings (what it must still show) follow it. */
  language?: Language;
}

/** Reads `1920x1080` (or `1920,1080`); anything else is no size. */
export function parseWindowSize(value: string | undefined): { width: number; height: number } | null {
  const match = /^(\d{3,5})[x,](\d{3,5})$/.exec(value?.trim() ?? '');
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}

export function chromiumArgs({ url, profileDir, runningAsRoot, kiosk = true, windowSize = null, headless = false, language = 'fr' }: ChromiumArgsOptions): string[] {
  return [
    ...(headless ? ['--headless'] : []),
    ...(kiosk ? ['--kiosk', '--start-fullscreen', '--window-position=0,0'] : []),
    ...(kiosk && windowSize ? [`--window-size=${windowSize.width},${windowSize.height}`] : []),
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    // DevTools on fds 3 and 4, inherited by Chromium alone; never --remote-debugging-port, which any local account could reach.
    '--remote-debugging-pipe',
    ...QUIET_FLAGS,
    ...LOCKED_FLAGS,
    `--lang=${chromiumLocale(language)}`,
    ...(runningAsRoot ? ['--no-sandbox'] : []),
  ];
}

export interface LaunchedChromium {
  child: ChildProcess;
  /** The DevTools pipe to this Chromium. */
  cdp: CdpClient;
  /** Resolves when Chromium has exited and its throw-away profile is removed: the exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `kiosk`: the kiosk window (false: an ordinary window, for development); `headless`: the report's
 * printer, no window; `language`: the station's. Every one starts on the locked profile.
 */
export async function launchChromium(executable: string, kiosk = true, headless = false, language: Language = 'fr'): Promise<LaunchedChromium> {
  const profileDir = await mkdtemp(join(tmpdir(), 'enrolment-kiosk-profile-'));
  await writeKioskProfile(profileDir, language);
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const windowSize = parseWindowSize(process.env.KIOSK_WINDOW_SIZE);
  const locale = chromiumLocale(language);
  const child = spawn(executable, chromiumArgs({ url: FIRST_PAGE, profileDir, runningAsRoot, kiosk: kiosk && !headless, windowSize, headless, language }), {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    // GTK (what is left of Chromium's dialogs) reads LANGUAGE; LC_ALL would override it, so it goes.
    env: { ...withoutKey(process.env, 'LC_ALL'), LANGUAGE: locale.replace('-', '_') },
  });
  const cdp = createCdpClient(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
    child.once('error', () => resolveExit({ code: null, signal: null }));
  }).then(async (result) => {
    await removeProfile(profileDir);
    return result;
  });
  return { child, cdp, exited };
}

function withoutKey(env: NodeJS.ProcessEnv, key: string): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name !== key));
}

/**
 * Removes a Chromium's throw-away profile once it has exited. Its helper processes can still be writing
 * into it for a moment (the cache, the code cache), so that removal meets files it has not seen
 * (ENOTEMPTY). It is tried again for a second. A profile left in the temporary folder is only warned:
 * it must never end the launcher. Before this, it ended it with exit 1, seen on SIGTERM and after a Ctrl+W.
 */
export async function removeProfile(dir: string, remove: typeof rm = rm): Promise<void> {
  try {
    await remove(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.warn(`Chromium's throw-away profile ${dir} was not removed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Lays `html` out as an A4 PDF in a new page of the Chromium behind `cdp` (the launcher's headless
 * printer, never the kiosk's window), with JavaScript off: the report holds e-mails and device names,
 * markup to lay out, never code to run.
 */
export async function printPdf(cdp: CdpClient, html: string): Promise<Uint8Array> {
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  try {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    const printer = String(sessionId);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true }, printer);
    await cdp.send('Page.enable', {}, printer);
    const loaded = new Promise<void>((resolveLoaded) =>
      cdp.onEvent((event) => {
        if (event.sessionId === printer && event.method === 'Page.loadEventFired') resolveLoaded();
      }),
    );
    await cdp.send('Page.navigate', { url: `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}` }, printer);
    await loaded;
    // A4 unless the report's own @page rule says otherwise, as Electron's printToPDF does.
    const { data } = await cdp.send('Page.printToPDF', { paperWidth: 8.27, paperHeight: 11.69, printBackground: true, preferCSSPageSize: true }, printer);
    return new Uint8Array(Buffer.from(String(data), 'base64'));
  } finally {
    await cdp.send('Target.closeTarget', { targetId }).catch(() => {});
  }
}

/**
 * The supervisor's report as PDF: a headless Chromium of its own, started for the one report, so
 * nothing shows on the kiosk's screen and the kiosk window need not be open.
 */
export async function printReportPdf(executable: string, html: string): Promise<Uint8Array> {
  const printer = await launchChromium(executable, false, true);
  try {
    return await printPdf(printer.cdp, html);
  } finally {
    printer.child.kill('SIGTERM');
    await printer.exited;
  }
}
