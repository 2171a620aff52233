// The session as the engine sees it: the last snapshot, the last refusal, and the one way to send an intent.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { MethodInput, Result, Snapshot } from '../../../shared/contract';
import type { KioskErrorShape } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import type { SupervisorMethodName } from '../../../shared/supervisor-methods';
import { kioskClient } from '../client';

/** The guided session's methods (the supervisor console has its own door); every one answers with a snapshot. */
type SessionMethod = Exclude<MethodName, SupervisorMethodName>;
type Intent<M extends SessionMethod> = (input: MethodInput<M>) => Promise<Result<Snapshot>>;

export const useSessionStore = defineStore('session', () => {
  const snapshot = shallowRef<Snapshot | null>(null);
  const error = shallowRef<KioskErrorShape | null>(null);
  const busy = ref(false);
  /** Station clock minus this page's clock, measured once per snapshot (countdowns use it). */
  const clockOffset = ref(0);
  /** Bumped on every reset, so an answer that arrives for a previous agent is dropped. */
  let generation = 0;

  const step = computed(() => snapshot.value?.step ?? null);

  function accept(next: Snapshot): void {
    snapshot.value = next;
    clockOffset.value = next.now - Date.now();
  }

  async function refresh(): Promise<void> {
    const asked = generation;
    const result = await kioskClient().getSnapshot({});
    if (asked !== generation) return;
    if (result.ok) {
      accept(result.value);
      // Back in service (the supervisor freed the disk, say): the out-of-service screen goes.
      if (error.value?.code === 'out_of_service') error.value = null;
    } else {
      if (!error.value) error.value = result.error;
      // Out of service: no step can go on, so the whole screen says so, instead of a message under a field.
      if (result.error.code === 'out_of_service') {
        error.value = result.error;
        snapshot.value = null;
      }
    }
  }

  /**
   * Sends one intent. On success the engine's snapshot replaces ours; on a refusal the error is kept
   * for the screen and the snapshot is fetched again, since the engine may have moved (lockout, new QR).
   */
  async function send<M extends SessionMethod>(method: M, input: MethodInput<M>): Promise<boolean> {
    if (busy.value) return false;
    const asked = generation;
    busy.value = true;
    error.value = null;
    try {
      const intent = kioskClient()[method] as Intent<M>;
      const result = await intent(input);
      if (asked !== generation) return false;
      if (result.ok) {
        accept(result.value);
        return true;
      }
      error.value = result.error;
      await refresh();
      return false;
    } finally {
      if (asked === generation) busy.value = false;
    }
  }

  function clearError(): void {
    error.value = null;
  }

  /** Forgets everything of the current agent (idle timeout, cancel) before the welcome snapshot arrives. */
  function forget(): void {
    generation += 1;
    snapshot.value = null;
    error.value = null;
    busy.value = false;
  }

  /**
   * Ends the session (idle timeout or cancel): the screens are emptied first, then the engine
   * closes the session and answers with the welcome snapshot.
   */
  async function end(method: 'timeout' | 'cancel'): Promise<void> {
    forget();
    const asked = generation;
    const result = await kioskClient()[method]({});
    if (asked !== generation) return;
    if (result.ok) accept(result.value);
    else await refresh();
  }

  /** The station's time now, as the engine's clock would read it. */
  function stationNow(): number {
    return Date.now() + clockOffset.value;
  }

  return { snapshot, error, busy, step, clockOffset, refresh, send, end, clearError, forget, stationNow };
});
