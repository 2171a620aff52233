// The idle expiry of a session, owned by the engine: "Still there?" after the idle delay, the end 20 s later.
import type { StepId } from '../../shared/steps';
import type { Clock } from './clock';
import type { Settings } from './domain';

/** WCAG 2.2.1 (Timing Adjustable): at least 20 seconds to extend with a simple action. */
export const IDLE_GRACE_MS = 20_000;

export interface IdleDeadline {
  /** When the renderer shows "Still there?" (station time, ms). */
  warnsAt: number;
  /** When the engine ends the session as timed_out, renderer or not. */
  endsAt: number;
}

export function idleDeadline(activeAt: number, idleSeconds: number): IdleDeadline {
  const warnsAt = activeAt + idleSeconds * 1000;
  return { warnsAt, endsAt: warnsAt + IDLE_GRACE_MS };
}

/** The idle delay on `step`: prepare-phone has its own, long enough to install an app; every other step the station's. */
export function idleSecondsOn(step: StepId, settings: Pick<Settings, 'idleSeconds' | 'preparePhoneIdleSeconds'>): number {
  return step === 'prepare-phone' ? settings.preparePhoneIdleSeconds : settings.idleSeconds;
}

export interface IdleTimer {
  /** (Re)arms the one timer to call back at `endsAt`; null disarms it. */
  set(endsAt: number | null): void;
}

/** One timer on the engine's clock: a fake clock in tests, an unref'd real timer otherwise. */
export function createIdleTimer(clock: Clock, onDue: () => void): IdleTimer {
  let cancel: (() => void) | null = null;
  return {
    set(endsAt) {
      cancel?.();
      cancel = endsAt === null ? null : clock.after(Math.max(0, endsAt - clock.now()), onDue);
    },
  };
}
