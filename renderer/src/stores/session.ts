// The session as the engine sees it: the last snapshot, the last refusal, and the one way to send an intent.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { MethodInput, Result, Snapshot } from '../../../shared/contract';
import type { KioskErrorShape } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import type { SupervisorMethodName } from '../../../shared/supervisor-methods';
import { kioskClient, onOutOfService } from '../client';

/**
 * Input between intents is forwarded at most this often: the engine's deadline then lags the last key by 5 s
 * at most, against a 120 s delay, and a typing agent does not send a call per key.
 */
const STILL_HERE_EVERY_MS = 5_000;

/** While out of service, the engine is asked this often whether the cause has gone (it tries a real write). */
export const BACK_IN_SERVICE_EVERY_MS = 3_000;

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

  /**
   * Fetches the engine's snapshot. The engine replaces a QR that expired while the agent was confirming and goes
   * back to scan-qr: the agent's app already holds an entry for the dead QR, so the screen says what happened and
   * what to do with it, as when the engine refuses the confirmation itself (qr_expired).
   */
  async function refresh(): Promise<boolean> {
    const before = step.value;
    const ok = await take(kioskClient().getSnapshot({}));
    if (ok && before === 'confirm-device' && step.value === 'scan-qr' && !error.value) error.value = { code: 'qr_expired', params: {} };
    return ok;
  }

  /**
   * On a page load: the answer to `startPage` (sent by boot.ts before the app's modules run), for which the
   * engine ends any session this page did not start (after F5 the next person must not find the last agent's)
   * and answers welcome.
   */
  function startPage(pending: Promise<Result<Snapshot>> = kioskClient().startPage({})): Promise<boolean> {
    return take(pending);
  }

  let probing: ReturnType<typeof setInterval> | null = null;

  /**
   * The station cannot go on (disk full, log gone...): the whole screen says so at once, wherever the agent was,
   * instead of a message under a field or nothing at all. The engine is then asked every few seconds, so the
   * station comes back by itself when the cause has gone.
   */
  function outOfServiceNow(refusal: KioskErrorShape): void {
    error.value = refusal;
    snapshot.value = null;
    busy.value = false;
    probing ??= setInterval(() => void refresh(), BACK_IN_SERVICE_EVERY_MS);
  }

  // A refusal for the station's state reaches this screen whichever call met it (the console's included).
  onOutOfService(outOfServiceNow);

  function backInService(): void {
    if (probing !== null) clearInterval(probing);
    probing = null;
    if (error.value?.code === 'out_of_service') error.value = null;
  }

  /** Takes an answer that carries a snapshot: the snapshot, or the refusal (out of service clears the screen). */
  async function take(pending: Promise<Result<Snapshot>>): Promise<boolean> {
    const asked = generation;
    const result = await pending;
    if (asked !== generation) return false;
    if (result.ok) {
      accept(result.value);
      // Back in service (the supervisor freed the disk, say): the out-of-service screen goes.
      backInService();
      return true;
    } else {
      if (result.error.code === 'out_of_service') outOfServiceNow(result.error);
      else if (!error.value) error.value = result.error;
      return false;
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
      const refused = result.error;
      // Refused for the station's state, not the agent's input: no step can go on, whatever a read still answers.
      if (refused.code === 'out_of_service') {
        outOfServiceNow(refused);
        return false;
      }
      // The refusal is shown with the snapshot it belongs to, once that is back: a screen clears the refused
      // field when send() returns, and an agent typing in between would otherwise lose what they typed.
      await refresh();
      if (asked !== generation) return false;
      // Out of service found by the refresh stays.
      if (!outOfService()) error.value = refused;
      return false;
    } finally {
      if (asked === generation) busy.value = false;
    }
  }

  /** Read through a function: `send` cleared the error before its awaits, and the refresh may have set it since. */
  const outOfService = () => error.value?.code === 'out_of_service';

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
    else if (result.error.code === 'out_of_service') outOfServiceNow(result.error);
    else await refresh();
  }

  let stillHereSentAt = -Infinity;

  /**
   * Tells the engine the agent is still there (a key or touch with nothing else to send), which moves its idle
   * deadline. At most one call per `STILL_HERE_EVERY_MS` unless `now` (the "Still there?" question is showing).
   * Only the new deadline is taken: an intent answered meanwhile carries the rest of the state.
   */
  async function stillHere(now = false): Promise<void> {
    if (!snapshot.value || snapshot.value.step === 'welcome') return;
    if (!now && Date.now() - stillHereSentAt < STILL_HERE_EVERY_MS) return;
    stillHereSentAt = Date.now();
    const asked = generation;
    const result = await kioskClient().stillHere({});
    if (asked !== generation) return;
    if (!result.ok && result.error.code === 'out_of_service') return outOfServiceNow(result.error);
    if (busy.value || !result.ok) return;
    const current = snapshot.value;
    if (current && result.value.step === current.step) {
      snapshot.value = { ...current, idle: result.value.idle };
      clockOffset.value = result.value.now - Date.now();
    } else await refresh();
  }

  /** The station's time now, as the engine's clock would read it. */
  function stationNow(): number {
    return Date.now() + clockOffset.value;
  }

  return { snapshot, error, busy, step, clockOffset, refresh, startPage, send, end, clearError, forget, stationNow, stillHere };
});
