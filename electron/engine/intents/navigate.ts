// Moving through the session whatever its phase: next, back, cancel, the inactivity timeout and a page (re)load.
import { backFrom, base, type Session, type SessionAt } from '../session';
import { leave, moved, notAllowed, type Transition } from '../transition';

export async function next(s: SessionAt<'prepare-phone' | 'scan-qr' | 'registered' | 'done'>): Promise<Transition> {
  switch (s.step) {
    case 'prepare-phone':
      return moved({ ...base(s), step: 'add-device' });
    case 'scan-qr':
      return moved({ ...s, step: 'confirm-device' });
    case 'registered':
      return moved({ ...base(s), step: 'test-login', device: s.device, chosen: null });
    case 'done':
      return { next: { end: 'completed' }, events: [] };
  }
}

export async function back(s: Session): Promise<Transition> {
  const target = backFrom(s);
  if (!target) throw notAllowed(s);
  // Back from a chosen sign-in method: the session's record no longer names one.
  if (s.step === 'test-login') return { next: target, events: [], writes: (log) => log.setSessionSignInMethod(s.id, null) };
  return moved(target);
}

export async function cancel(s: Session): Promise<Transition> {
  return { next: leave(s, 'abandoned'), events: [] };
}

/** The countdown on screen ran out; the engine's own idle timer may have ended the session already. */
export async function timeout(s: Session | null): Promise<Transition | null> {
  return s && { next: leave(s, 'timed_out'), events: [] };
}

/**
 * A page load is a new page: it never shows a session it did not start (after F5, the next person would see
 * the last agent's). An open session ends as abandoned, noted as left by a page load.
 */
export async function startPage(s: Session | null): Promise<Transition | null> {
  return s && { next: leave(s, 'abandoned'), events: [{ type: 'page_loaded' }] };
}
