// Keeps the kiosk window open: whenever Chromium goes, for any reason but the supervisor's "Exit the kiosk", it is opened again.

/**
 * How one kiosk window ended: Chromium exited (its code or signal), or the kiosk page closed (Ctrl+W,
 * Alt+F4) and Chromium is quitting; `ready`: the kiosk page had loaded in it before it ended.
 */
// A type, not an interface: it goes to the shell's log as plain values (ShellEventDetails' index signature).
export type WindowEnd = {
  reason: 'exited' | 'page-closed';
  code: number | null;
  signal: string | null;
  ready: boolean;
};

export interface KeepOpenOptions {
  /** Opens a kiosk window and resolves when it has ended (Chromium exited, or was ended by the launcher). */
  openWindow: () => Promise<WindowEnd>;
  /** True once the supervisor chose "Exit the kiosk", or the launcher was told to stop: no more windows. */
  stopping: () => boolean;
  /** A window ended and the next opens after `delayMs`: the shell's log gets it. */
  onReopen: (details: WindowEnd & { quickEnds: number; delayMs: number }) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A Chromium that exited within this without showing the kiosk page counts towards a crash loop. */
export const QUICK_END_MS = 5_000;
/** Failed starts in a row that are still retried at once; after them the wait doubles. */
export const FREE_REOPENS = 3;
export const MAX_REOPEN_DELAY_MS = 30_000;

/**
 * The wait before opening again after `quickEnds` failed starts in a row: none for the first few, then
 * 1 s, 2 s, 4 s... up to 30 s, so a Chromium that cannot start does not spin the station's processor.
 */
export function reopenDelay(quickEnds: number): number {
  if (quickEnds <= FREE_REOPENS) return 0;
  return Math.min(1000 * 2 ** (quickEnds - FREE_REOPENS - 1), MAX_REOPEN_DELAY_MS);
}

/** Resolves when stopping() is true after a window ended; never otherwise. */
export async function keepWindowOpen(options: KeepOpenOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms)));
  let quickEnds = 0;
  for (;;) {
    const openedAt = now();
    const end = await options.openWindow();
    if (options.stopping()) return;
    // A page closed (Ctrl+W, Alt+F4) or a window that had shown the kiosk was a person's doing: it comes back
    // at once, however often (Ctrl+W pressed as soon as the window was back once waited 17 s, then 30 s, with
    // the desktop uncovered). Only a Chromium failing before it showed the kiosk page is a crash loop: one
    // closed by a person before that quits cleanly (exit code 0, Ctrl+W as the window maps).
    const failedStart = end.reason === 'exited' && !end.ready && end.code !== 0 && now() - openedAt < QUICK_END_MS;
    quickEnds = failedStart ? quickEnds + 1 : 0;
    const delayMs = reopenDelay(quickEnds);
    options.onReopen({ ...end, quickEnds, delayMs });
    if (delayMs > 0) await sleep(delayMs);
    if (options.stopping()) return;
  }
}
