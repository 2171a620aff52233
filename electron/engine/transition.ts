// What an intent returns: the session's next state and the events the log records of the change, which the engine commits together.
import { KioskError } from '../../shared/errors';
import type { EventType } from '../../shared/event-types';
import type { Outcome, StepId } from '../../shared/steps';
import type { NewEvent } from './domain';
import type { KeyStore } from './key-store';
import type { EngineLog, RecapOutput } from './ports';
import type { Session } from './session';

/** An event of the session; the engine stamps it with the session's id, the time, and (unless given) the step it happened at. */
export interface SessionEvent {
  type: EventType;
  step?: StepId;
  details?: NewEvent['details'];
}

/** A refusal among the events: logged where it stands (an `error`, and during a sign-in test a refused `sign_in_test`), then thrown. */
export interface Refused {
  refused: KioskError;
}

/** The session ends with this outcome (back to welcome). */
export interface End {
  end: Outcome;
}

/**
 * The session after an intent. A function of the log is a state that holds an id only the log gives (the
 * session's, the agent's, a new device's): the engine calls it in the events' transaction, after `writes`.
 */
export type Next = Session | End | ((log: EngineLog) => Session);

export interface Transition {
  next: Next;
  /** In the order they are appended; a change of step adds its `step` event after them, an end its closing events. */
  events: (SessionEvent | Refused)[];
  /** The rows that change with the events (counters, a device, the session's record), in the same transaction. */
  writes?: (log: EngineLog) => void;
}

/** What a refusal of an intent also is, logged before its error (a refused sign_in_test during a sign-in test). */
export type RefusedAs = (s: Session, error: KioskError) => SessionEvent | null;

export function refused(error: KioskError): Refused {
  return { refused: error };
}

/** The refusal of an intent not allowed where the session stands. */
export function notAllowed(s: Session): KioskError {
  return new KioskError('not_allowed_in_step', { step: s.step });
}

/** Leaving a session ends it as `outcome`, or as completed on done: the sign-in test has passed. */
export function leave(s: Session, outcome: Outcome): End {
  return { end: s.step === 'done' ? 'completed' : outcome };
}

/** The state changes and the log records nothing but the change of step, if any. */
export function moved(next: Session): Transition {
  return { next, events: [] };
}

/** What an intent may use besides the session: the log (read, and written only through its transition), the key, the time, the shell's recap output. */
export interface IntentDeps {
  log: EngineLog;
  keyStore: KeyStore;
  now(): number;
  recapOutput?: RecapOutput;
}
