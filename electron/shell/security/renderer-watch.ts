// The renderer watch: a crashed renderer is reloaded to welcome with a back-off, a hung one is killed after a grace period.
import type { ShellLog } from './shell-log';

/** Time a hung page gets to answer again before its renderer is killed and reloaded. */
export const UNRESPONSIVE_GRACE_MS = 10_000;

/**
 * Wait before the n-th reload in a row: 1 s, 2 s, 4 s... capped at a minute, so a page that
 * crashes at load does not spin the CPU while it keeps being reloaded.
 */
export function recoveryDelayMs(recentRecoveries: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, recentRecoveries));
}

/** Recoveries closer together than this count as a crash loop for the back-off. */
const CRASH_LOOP_WINDOW_MS = 5 * 60_000;

export interface WatchedContents {
  on(event: string, listener: (...args: never[]) => void): unknown;
  forcefullyCrashRenderer(): void;
}

export interface RendererWatchOptions {
  log: ShellLog;
  /** Ends the session and loads the welcome page again. */
  recover: () => void;
  /** During quit, a renderer going away is expected, not a crash. */
  isQuitting: () => boolean;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * A crashed renderer is logged and reloaded to welcome; a hung one gets a grace period, then
 * is killed, which brings it to the crash path. An agent never faces a blank or frozen screen.
 */
export function watchRenderer(contents: WatchedContents, options: RendererWatchOptions): void {
  const { log, recover, isQuitting } = options;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as NodeJS.Timeout));
  let recent: number[] = [];
  let hang: unknown = null;

  contents.on('render-process-gone', (_event: unknown, details: { reason: string; exitCode: number }) => {
    if (hang !== null) clearTimer(hang);
    hang = null;
    if (isQuitting()) return;
    const at = now();
    recent = recent.filter((t) => at - t < CRASH_LOOP_WINDOW_MS);
    const delay = recoveryDelayMs(recent.length);
    recent.push(at);
    log('renderer-gone', { reason: details.reason, exitCode: details.exitCode, reloadInMs: delay });
    setTimer(recover, delay);
  });
  contents.on('unresponsive', () => {
    if (hang !== null || isQuitting()) return;
    log('renderer-unresponsive');
    hang = setTimer(() => {
      hang = null;
      log('renderer-killed-after-hang');
      contents.forcefullyCrashRenderer();
    }, UNRESPONSIVE_GRACE_MS);
  });
  contents.on('responsive', () => {
    if (hang === null) return;
    clearTimer(hang);
    hang = null;
    log('renderer-responsive-again');
  });
}
