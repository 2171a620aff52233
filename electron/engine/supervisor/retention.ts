// Retention enforced by the station itself (PRODUCT.md): a purge at start, then one every hour while it runs, each off the kiosk's thread where the log is a file.
import type { PurgeTrigger } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';

/** PRODUCT.md "at start and hourly". */
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface RetentionTimer {
  stop(): void;
}

/**
 * Runs `purge('start')` now, then `purge('hourly')` every hour on `clock` until stopped, except while `suspended`
 * (the station's clock is in doubt). A failed purge (a full disk) is reported and tried again at the next hour:
 * it must neither stop the kiosk nor end the schedule.
 */
export function enforceRetention(
  purge: (trigger: PurgeTrigger) => Promise<unknown> | void,
  clock: Clock,
  onError: (error: unknown) => void = () => {},
  suspended: () => boolean = () => false,
): RetentionTimer {
  let cancel: (() => void) | null = null;
  let stopped = false;
  const run = (trigger: PurgeTrigger) => {
    try {
      // A clock that jumped (200 days ahead, say) would make every session look older than the retention period:
      // nothing is deleted on its word until a supervisor has confirmed the time.
      if (suspended()) return;
      // A purge on disk runs in a worker: its failure arrives later, and is reported the same way.
      void Promise.resolve(purge(trigger)).catch(onError);
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
