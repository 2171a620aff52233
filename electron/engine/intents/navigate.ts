// Moving through the session whatever its phase: next, back, cancel, the inactivity timeout and a page (re)load.
import type { Snapshot } from '../../../shared/contract';
import { KioskError } from '../../../shared/errors';
import type { EngineContext } from '../engine';
import { backTarget } from '../session';

export function navigateIntents({ log, now, current, requireSession, requireStep, moveTo, endSession, leave, snapshot }: EngineContext) {
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

  async function cancel(): Promise<Snapshot> {
    leave(requireSession(), 'abandoned');
    return snapshot();
  }

  /** The countdown on screen ran out; the engine's own idle timer may have ended the session already. */
  async function timeout(): Promise<Snapshot> {
    const s = current();
    if (s) leave(s, 'timed_out');
    return snapshot();
  }

  /**
   * A page load is a new page: it never shows a session it did not start (after F5, the next person would see
   * the last agent's). An open session ends as abandoned, noted as left by a page load.
   */
  async function startPage(): Promise<Snapshot> {
    const s = current();
    if (s) {
      log.transaction(() => log.append({ sessionId: s.id, at: now(), step: s.step, type: 'page_loaded' }));
      leave(s, 'abandoned');
    }
    return snapshot();
  }

  return { next, back, cancel, timeout, startPage };
}
