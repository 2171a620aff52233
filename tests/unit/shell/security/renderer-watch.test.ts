// The renderer watch with a fake contents and timers: a crash reloads to welcome with a back-off, a hang is killed.
import { describe, expect, it, vi } from 'vitest';
import { UNRESPONSIVE_GRACE_MS, recoveryDelayMs, watchRenderer } from '../../../../electron/shell/security/renderer-watch';
import { FakeContents } from './fakes';

describe('watchRenderer', () => {
  function watched(quitting = false) {
    const contents = new FakeContents();
    const log = vi.fn();
    const recover = vi.fn();
    const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
    watchRenderer(contents, {
      log,
      recover,
      isQuitting: () => quitting,
      now: () => 0,
      setTimer: (callback, ms) => {
        const timer = { callback, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (timer) => {
        (timer as { cleared: boolean }).cleared = true;
      },
    });
    return { contents, log, recover, timers };
  }

  it('logs a crashed renderer and reloads it to welcome', () => {
    const { contents, log, recover, timers } = watched();
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(log).toHaveBeenCalledWith('renderer-gone', expect.objectContaining({ reason: 'crashed', exitCode: 139 }));
    timers[0]?.callback();
    expect(recover).toHaveBeenCalledTimes(1);
  });

  it('backs off when the renderer keeps crashing', () => {
    const { contents, timers } = watched();
    for (let i = 0; i < 4; i += 1) contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000, 4000, 8000]);
    expect(recoveryDelayMs(50)).toBe(60_000);
  });

  it('kills a renderer hung past the grace period, which then reloads', () => {
    const { contents, log, timers } = watched();
    contents.emit('unresponsive');
    expect(log).toHaveBeenCalledWith('renderer-unresponsive');
    expect(timers[0]?.ms).toBe(UNRESPONSIVE_GRACE_MS);
    timers[0]?.callback();
    expect(contents.forcefullyCrashRenderer).toHaveBeenCalled();
  });

  it('leaves a renderer alone that answers again within the grace period', () => {
    const { contents, timers } = watched();
    contents.emit('unresponsive');
    contents.emit('responsive');
    expect(timers[0]?.cleared).toBe(true);
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });

  it('does not reload while the app is quitting', () => {
    const { contents, recover, timers } = watched(true);
    contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(timers).toHaveLength(0);
    expect(recover).not.toHaveBeenCalled();
  });
});
