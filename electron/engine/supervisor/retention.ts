// Retention enforced by the station itself (PRODUCT.md): a purge at start, then one every hour while it runs.
import type { PurgeTrigger } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';

/** PRODUCT.md "at start and hourly". */
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface RetentionTimer {
  stop(): void;
}

/**
 * Runs `purge('start')` now, then `purge('hourly')` every hour on `clock` until stopped. A failed purge (a full
 * disk) is reported and tried again at the next hour: it must neither stop the kiosk nor end the schedule.
 */
export function enforceRetention(
  purge: (trigger: PurgeTrigger) => void,
  clock: Clock,
  onError: (error: unknown) => void = () => {},
): RetentionTimer {
  let cancel: (() => void) | null = null;
  let stopped = false;
  const run = (trigger: PurgeTrigger) => {
    try {
      purge(trigger);
    } catch (error) {
      onError(error);
    }
  };
  const arm = () => {
    cancel = clock.after(RETENTION_INTERVAL_MS, () => {
      if (stopped) return;
      run('hourly');
      arm();
    });
  };
  run('start');
  arm();
  return {
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
