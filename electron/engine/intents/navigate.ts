// Moving through the session whatever its phase: next, back, cancel and the inactivity timeout.
import type { Snapshot } from '../../../shared/contract';
import { KioskError } from '../../../shared/errors';
import type { Outcome } from '../../../shared/steps';
import type { EngineContext } from '../engine';
import { backTarget, type Session } from '../session';

export function navigateIntents({ log, requireSession, requireStep, moveTo, endSession, snapshot }: EngineContext) {
  async function next(): Promise<Snapshot> {
    const s = requireStep('prepare-phone', 'scan-qr', 'registered', 'done');
    switch (s.step) {
      case 'prepare-phone':
        moveTo(s, 'add-device');
        break;
      case 'scan-qr':
        moveTo(s, 'confirm-device');
        break;
      case 'registered':
        s.method = null;
        s.request = null;
        moveTo(s, 'test-login');
        break;
      default:
        endSession(s, 'completed');
    }
    return snapshot();
  }

  async function back(): Promise<Snapshot> {
    const s = requireSession();
    const target = backTarget(s);
    if (!target) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (s.step === 'identify') {
      s.returning = null;
      return snapshot();
    }
    if (s.step === 'test-login') {
      s.method = null;
      s.request = null;
      log.transaction(() => log.setSessionSignInMethod(s.id, null));
      return snapshot();
    }
    if (s.step === 'scan-qr') {
      // Leaving the QR drops its secret: a new name or PIN means a new QR.
      s.enrolment = null;
      s.draft = null;
    }
    if (s.step === 'prepare-phone') s.returning = null;
    moveTo(s, target);
    return snapshot();
  }

  /** On done the sign-in test has passed: however the agent then leaves, the session is completed. */
  function leave(s: Session, outcome: Outcome): void {
    endSession(s, s.step === 'done' ? 'completed' : outcome);
  }

  async function cancel(): Promise<Snapshot> {
    leave(requireSession(), 'abandoned');
    return snapshot();
  }

  async function timeout(): Promise<Snapshot> {
    leave(requireSession(), 'timed_out');
    return snapshot();
  }

  return { next, back, cancel, timeout };
}
