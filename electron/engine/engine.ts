// The enrolment engine: holds the one guided session, runs each intent of the table (intents/table.ts) and commits the transition it returns, and ends an idle session.
import type { ParsedInput, SessionHandlers, Snapshot } from '../../shared/contract';
import { KioskError } from '../../shared/errors';
import { METHOD_NAMES } from '../../shared/methods';
import type { Clock } from './clock';
import { createIdleTimer, idleDeadline, idleSecondsOn } from './idle';
import { renewIfExpired } from './intents/enrol';
import { INTENTS, type Intent, type SessionMethod } from './intents/table';
import type { KeyStore } from './key-store';
import type { EngineLog, RecapOutput } from './ports';
import { createSerial } from './serial';
import { isAt, type Session } from './session';
import { buildSnapshot } from './snapshot';
import { record } from './record';
import { leave, refused, type IntentDeps, type RefusedAs, type Transition } from './transition';

export interface EngineDeps {
  log: EngineLog;
  keyStore: KeyStore;
  clock: Clock;
  /** Where the shell can save the recap as a PDF itself (Electron); absent in the browser shell. */
  recapOutput?: RecapOutput;
  /** A fault in work no caller waits on (the idle expiry's timer): logged by the shell. */
  onInternalError?: (error: unknown) => void;
}

export interface Engine {
  handlers: SessionHandlers;
  /** Disarms the idle timer (the kiosk is closing). */
  stop(): void;
}

export function createEngine({ log, keyStore, clock, recapOutput, onInternalError = () => {} }: EngineDeps): Engine {
  let session: Session | null = null;
  const serial = createSerial();
  const now = () => clock.now();
  const deps: IntentDeps = { log, keyStore, now, recapOutput };

  // PRODUCT.md idle: the engine ends an idle session itself, whether or not a renderer is there to count down.
  const idleTimer = createIdleTimer(clock, () => {
    serial(async () => expireIfIdle()).catch(onInternalError);
  });

  function deadline(s: Session) {
    return idleDeadline(s.activeAt, idleSecondsOn(s.step, log.settings()));
  }

  /** Ends the session as timed_out once its deadline has passed; otherwise re-arms the timer for it. */
  function expireIfIdle(): void {
    const s = session;
    if (!s) return idleTimer.set(null);
    const { endsAt } = deadline(s);
    if (now() >= endsAt) commit(s, { next: leave(s, 'timed_out'), events: [] });
    else idleTimer.set(endsAt);
  }

  /** The agent did something: the idle expiry counts from now. */
  function touch(): void {
    if (!session) return;
    session = { ...session, activeAt: now() };
    idleTimer.set(deadline(session).endsAt);
  }

  /** An expired QR is replaced before anything else is answered. */
  async function refresh(): Promise<void> {
    const s = session;
    const renewal = s && isAt(s, ['scan-qr', 'confirm-device']) ? await renewIfExpired(s, deps) : null;
    if (s && renewal) commit(s, renewal);
  }

  /** Commits a transition of `before`: the engine holds its next state once the log has it. Returns its refusal, if any. */
  function commit(before: Session | null, t: Transition, refusedAs?: RefusedAs): KioskError | null {
    const { next, refusal } = log.transaction(() => record(log, now(), before, t, refusedAs));
    if ('end' in next) {
      session = null;
      idleTimer.set(null);
      log.housekeeping();
    } else {
      session = next;
      // The one timer follows the state the session is in now: a change of step may change the idle delay
      // (prepare-phone has its own), and a new session starts its count.
      idleTimer.set(deadline(next).endsAt);
    }
    return refusal;
  }

  /** The intent's transition; a refusal it throws (a format, a rule) is logged against the session it leaves as it was. */
  async function transitionOf<I>(intent: Intent<I>, s: Session | null, input: I): Promise<Transition | null> {
    try {
      return (await intent.run?.(s, input, deps)) ?? null;
    } catch (error) {
      if (error instanceof KioskError && s) return { next: s, events: [refused(error)] };
      throw error;
    }
  }

  async function perform<M extends SessionMethod>(method: M, input: ParsedInput<M>): Promise<Snapshot> {
    const intent: Intent<ParsedInput<M>> = INTENTS[method];
    if (intent.before.expire) expireIfIdle();
    if (intent.before.touch) touch();
    if (intent.before.renew) await refresh();
    const s = session;
    let refusal: KioskError | null = null;
    try {
      const t = await transitionOf(intent, s, input);
      if (t) refusal = commit(s, t, intent.refusedAs);
    } catch (error) {
      // Not a refusal but a fault (storage, a bug): the session's state can no longer be trusted, so it
      // ends as `failed` (PRODUCT.md outcomes) and the next snapshot is a clean welcome.
      if (s) {
        try {
          commit(s, { next: { end: 'failed' }, events: [] });
        } catch {
          // The log itself may be what failed; the session stays open there and is abandoned at next open.
        }
        session = null;
      }
      throw error;
    } finally {
      // The intent may have changed the step, and with it the idle delay (prepare-phone has its own): the timer follows.
      if (session) idleTimer.set(deadline(session).endsAt);
    }
    if (refusal) throw refusal;
    return buildSnapshot(session, log.settings(), now(), recapOutput !== undefined);
  }

  const methods = METHOD_NAMES.filter((m): m is SessionMethod => m in INTENTS);
  // One handler per intent of the table, one intent at a time. The table's keys are the session's methods, which
  // Object.fromEntries cannot type.
  const handlers = Object.fromEntries(
    methods.map((method) => [method, (input: ParsedInput<typeof method>) => serial(() => perform(method, input))]),
  ) as unknown as SessionHandlers;

  return { handlers, stop: () => idleTimer.set(null) };
}
