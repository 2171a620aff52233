// How a transition reaches the log: its rows, its events in order (a refusal where it stands), then the change of step or the session's end.
import type { KioskError } from '../../shared/errors';
import { stepIndex, type Outcome, type StepId } from '../../shared/steps';
import type { EngineLog } from './ports';
import type { Session } from './session';
import type { End, RefusedAs, Transition } from './transition';

/** Appends a refusal's error event, after what a refusal of this intent also is (a refused sign_in_test). */
function appendRefusal(log: EngineLog, s: Session, error: KioskError, at: number, refusedAs: RefusedAs | undefined): void {
  const also = refusedAs?.(s, error);
  if (also) log.append({ sessionId: s.id, at, step: also.step ?? s.step, type: also.type, details: also.details });
  log.append({ sessionId: s.id, at, step: s.step, type: 'error', code: error.code, details: error.params });
}

/** The session's record closes; a trainee's device and secret go with it. */
function appendEnd(log: EngineLog, s: Session, outcome: Outcome, at: number): void {
  log.closeSession(s.id, outcome, at);
  if (s.mode === 'training' && 'device' in s) {
    // PRODUCT.md training: the trainee's device and secret go with the session; this records that they did.
    log.append({ sessionId: s.id, at, step: s.step, type: 'training_device_erased' });
  }
  log.append({ sessionId: s.id, at, step: s.step, type: 'session_ended', details: { outcome } });
}

/**
 * Writes a transition of `before` (null: no session yet) at `at`; the caller runs it in one transaction.
 * Returns the next state, and the refusal to throw once the transaction is committed, if there is one.
 */
export function record(
  log: EngineLog,
  at: number,
  before: Session | null,
  t: Transition,
  refusedAs?: RefusedAs,
): { next: Session | End; refusal: KioskError | null } {
  t.writes?.(log);
  const next = typeof t.next === 'function' ? t.next(log) : t.next;
  let refusal: KioskError | null = null;
  // Whose events these are: the session that ends, or the one the transition leads to (a new one on start).
  const subject = 'end' in next ? before : next;
  if (!subject) return { next, refusal };
  const from: StepId = before ? before.step : 'welcome';
  for (const e of t.events) {
    if ('refused' in e) {
      refusal = e.refused;
      if (before) appendRefusal(log, before, e.refused, at, refusedAs);
    } else {
      log.append({ sessionId: subject.id, at, step: e.step ?? from, type: e.type, details: e.details });
    }
  }
  if ('end' in next) {
    if (before) appendEnd(log, before, next.end, at);
  } else if (next.step !== from) {
    log.append({ sessionId: next.id, at, step: next.step, type: 'step', details: { from } });
    log.reachStep(next.id, stepIndex(next.step));
  }
  return { next, refusal };
}
