// When the kiosk cannot keep its log: a named reason the supervisor can act on, refusals that carry it, and the way back.
import type { KioskHandlers } from '../../shared/contract';
import { KioskError, type OutOfServiceReason } from '../../shared/errors';
import { METHOD_NAMES } from '../../shared/methods';

/**
 * Which storage failure an error is, or null for anything else (a bug, which stays `internal`). The store
 * implements it (store/storage-errors.ts): only it knows its driver's error codes.
 */
export type StorageFailureOf = (error: unknown) => OutOfServiceReason | null;

/** Handlers that answer every method with `out_of_service` and the reason: what the shells serve when the kiosk cannot open. */
export function outOfServiceHandlers(reason: OutOfServiceReason): KioskHandlers {
  const refuse = (): Promise<never> => Promise.reject(new KioskError('out_of_service', { reason }));
  // Every name gets the same refusal, which fits any method's signature.
  return Object.fromEntries(METHOD_NAMES.map((method) => [method, refuse])) as unknown as KioskHandlers;
}

/** What the guard asks of the storage around the calls it lets through. */
export interface GuardedStorage {
  /** Which storage failure a call's error is: the store's reading of its driver's codes. */
  failureOf: StorageFailureOf;
  /** Without a watch, nothing can prove the cause gone but the next call itself. */
  watch?: StorageWatch;
}

export interface StorageWatch {
  /** Before each call: is the log still the file the kiosk opened? Throws an OutOfServiceError (or an fs error) when not. */
  check(): Promise<void>;
  /** While out of service: a real small write, proving the cause is gone. Throws while it is not. */
  probe(): void;
}

export interface GuardEvents {
  /** The station went out of service (logged by the shell). */
  onFailure?: (reason: OutOfServiceReason, error: unknown) => void;
  /** The cause went away: the station serves again. */
  onRecovered?: (reason: OutOfServiceReason) => void;
}

/**
 * Wraps the engine's handlers so a storage failure in the middle of a session (disk full, folder turned
 * read-only, the log deleted under the kiosk) reaches the renderer as `out_of_service` with its reason, not
 * as a bare `internal` or a silent success. Once out of service, every call is refused with the reason (a
 * read that would still work must not let the page believe the station is fine) until `watch` finds the
 * cause gone; each call made meanwhile (the out-of-service screen asks every few seconds) tries again.
 * Each call is one transaction in the log, so nothing half-written stays behind.
 */
export function guardStorage(
  handlers: KioskHandlers,
  { failureOf, watch }: GuardedStorage,
  events: GuardEvents | ((reason: OutOfServiceReason, error: unknown) => void) = {},
): KioskHandlers {
  const { onFailure = () => {}, onRecovered = () => {} } = typeof events === 'function' ? { onFailure: events } : events;
  let down: OutOfServiceReason | null = null;

  function fail(error: unknown): never {
    const reason = failureOf(error);
    if (reason === null) throw error;
    if (down !== reason) onFailure(reason, error);
    down = reason;
    throw new KioskError('out_of_service', { reason });
  }

  async function ready(): Promise<void> {
    if (!watch) {
      down = null;
      return;
    }
    try {
      await watch.check();
      if (down !== null) {
        watch.probe();
        onRecovered(down);
        down = null;
      }
    } catch (error) {
      fail(error);
    }
  }

  const guarded = Object.fromEntries(
    METHOD_NAMES.map((method) => {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      return [
        method,
        async (input: unknown) => {
          await ready();
          try {
            return await handler(input);
          } catch (error) {
            return fail(error);
          }
        },
      ];
    }),
  );
  return guarded as unknown as KioskHandlers;
}
