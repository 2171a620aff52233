// The kiosk window comes back whenever it goes, at once for a person closing it, slower in a crash loop; only a stop ends the loop.
import { describe, expect, it } from 'vitest';
import { FREE_REOPENS, keepWindowOpen, MAX_REOPEN_DELAY_MS, QUICK_END_MS, reopenDelay, type WindowEnd } from '../../../electron/browser-shell/keep-open';

/** Windows that each last `durations[i]` ms of a driven clock, then end as given; the loop stops after the last. */
function driven(durations: number[], end: WindowEnd = { reason: 'page-closed', code: null, signal: null, ready: true }) {
  let now = 0;
  let opened = 0;
  const reopens: { delayMs: number; quickEnds: number; code: number | null }[] = [];
  const slept: number[] = [];
  const run = keepWindowOpen({
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    stopping: () => opened >= durations.length,
    openWindow: async () => {
      now += durations[opened] ?? 0;
      opened += 1;
      return end;
    },
    onReopen: ({ delayMs, quickEnds, code }) => reopens.push({ delayMs, quickEnds, code }),
  });
  return { run, reopens, slept, opened: () => opened };
}

describe('keeping the kiosk window open', () => {
  it('opens the window again at once when a person closes it, and logs each time', async () => {
    const { run, reopens, slept, opened } = driven([60_000, 60_000, 60_000]);
    await run;
    expect(opened()).toBe(3);
    expect(reopens).toEqual([
      { delayMs: 0, quickEnds: 0, code: null },
      { delayMs: 0, quickEnds: 0, code: null },
    ]);
    expect(slept).toEqual([]);
  });

  it('reopens at once however often a person closes it, even as soon as it is back (Ctrl+W pressed 20 times)', async () => {
    const { run, reopens, slept } = driven(Array.from({ length: 21 }, () => 600));
    await run;
    expect(reopens).toHaveLength(20);
    expect(reopens.every((r) => r.delayMs === 0 && r.quickEnds === 0)).toBe(true);
    expect(slept).toEqual([]);
  });

  it('reopens at once when the page had shown and Chromium then ended (a kill), or quit cleanly before it showed', async () => {
    for (const end of [
      { reason: 'exited', code: null, signal: 'SIGKILL', ready: true },
      { reason: 'exited', code: 0, signal: null, ready: false },
    ] as const) {
      const { run, slept } = driven(Array.from({ length: 12 }, () => 300), end);
      await run;
      expect(slept).toEqual([]);
    }
  });

  it('backs off on a crash loop (Chromium failing before the kiosk page shows), up to 30 s, and starts over after a window that lasted', async () => {
    const failing: WindowEnd = { reason: 'exited', code: 1, signal: null, ready: false };
    const { run, slept } = driven([...Array.from({ length: 12 }, () => 100), QUICK_END_MS + 1, 100, 100], failing);
    await run;
    expect(slept).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('never ends on its own, whatever the exit code: only stopping (Exit the kiosk) does', async () => {
    const { run, reopens } = driven([10, 10, 10, 10], { reason: 'exited', code: 1, signal: null, ready: false });
    await run;
    expect(reopens).toHaveLength(3);
    expect(reopens.every((r) => r.code === 1)).toBe(true);
  });

  it('waits no more than the cap', () => {
    expect(reopenDelay(0)).toBe(0);
    expect(reopenDelay(FREE_REOPENS + 1)).toBe(1000);
    expect(reopenDelay(100)).toBe(MAX_REOPEN_DELAY_MS);
  });
});
