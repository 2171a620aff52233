// Starts the system Chromium as the kiosk window: --kiosk --app on the shell's URL, a throw-away profile, no background traffic.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export interface ChromiumArgsOptions {
  url: string;
  profileDir: string;
  /** Chromium refuses to start as root with its sandbox; only then is it switched off. */
  runningAsRoot: boolean;
  /** false for a window on a developer's desktop (npm run dev). */
  kiosk?: boolean;
}

export function chromiumArgs({ url, profileDir, runningAsRoot, kiosk = true }: ChromiumArgsOptions): string[] {
  return [
    ...(kiosk ? ['--kiosk'] : []),
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    ...QUIET_FLAGS,
    ...(runningAsRoot ? ['--no-sandbox'] : []),
  ];
}

export interface LaunchedChromium {
  child: ChildProcess;
  /** Resolves when Chromium has exited and its throw-away profile is removed. */
  exited: Promise<number | null>;
}

export async function launchChromium(executable: string, url: string, kiosk = true): Promise<LaunchedChromium> {
  const profileDir = await mkdtemp(join(tmpdir(), 'enrolment-kiosk-profile-'));
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const child = spawn(executable, chromiumArgs({ url, profileDir, runningAsRoot, kiosk }), { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.once('error', () => resolveExit(null));
  }).then(async (code) => {
    await rm(profileDir, { recursive: true, force: true });
    return code;
  });
  return { child, exited };
}
