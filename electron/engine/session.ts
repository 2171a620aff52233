// The state of the one guided session the engine holds: one type per step, holding exactly what that step needs, and the rules read straight off it (where Back goes).
import type { Language, Mode, SignInMethod, StepId } from '../../shared/steps';
import type { SessionPin } from './pin';

/** The QR shown on scan-qr: its secret lives only here (and, once confirmed, sealed in the log). */
export interface Enrolment {
  secret: string;
  qrSvg: string;
  expiresAt: number;
  revealed: boolean;
}

/**
 * The device the session works with. Enrolment mode: `id` points at its row and the row is the truth for
 * counters and the replay guard. Training mode (and before confirmation): it lives here only.
 */
export interface SessionDevice {
  id: number | null;
  name: string;
  pinHash: Buffer;
  /** The PIN chosen in this session, checked in memory without a scrypt; null for a device enrolled before. */
  sessionPin: SessionPin | null;
  /** Base32; only for a device held in memory (training). A stored device keeps it sealed in its row. */
  secret: string | null;
  lastTimeStep: number | null;
  pinFailures: number;
  codeFailures: number;
  registeredAt: number;
}

export interface TestRequest {
  requestNumber: string;
  verificationNumber: string;
  qrSvg: string;
  revealed: boolean;
}

/** The sign-in method chosen on test-login: the QR method comes with its sign-in request. */
export type SignInChoice = { method: 'pin' } | { method: 'qr'; request: TestRequest };

/**
 * A returning agent's device, recognised by address. Its name is shown, and test/remove offered, only once
 * the agent has given its PIN (`verified`): an address alone must reveal nothing about a colleague's device.
 */
export interface Returning {
  deviceId: number;
  deviceName: string;
  locked: boolean;
  /** Locked by wrong PINs: no PIN is taken any more, only a supervisor can remove it. */
  askSupervisor: boolean;
  verified: boolean;
}

/** add-device's answers, until the device is confirmed; the PIN's scrypt hash settles meanwhile. */
export interface Draft {
  name: string;
  pin: SessionPin;
}

/** Failures against the device being confirmed (not yet stored): they survive going back to the QR. */
export interface PendingFailures {
  pinFailures: number;
  codeFailures: number;
}

/** What every step of a session knows. */
export interface SessionBase {
  id: number;
  mode: Mode;
  language: Language;
  /** The last input the agent made (an intent, or the renderer saying they are still there): the idle expiry counts from it. */
  activeAt: number;
  email: string;
  agentId: number | null;
}

/** A device being enrolled, from its name and PIN to its first code. */
interface Enrolling {
  draft: Draft;
  enrolment: Enrolment;
  pending: PendingFailures;
}

/** One state a step: welcome is no session at all (null). */
export type Session =
  | (SessionBase & { step: 'identify'; returning: Returning | null })
  | (SessionBase & { step: 'prepare-phone' })
  | (SessionBase & { step: 'add-device' })
  | (SessionBase & Enrolling & { step: 'scan-qr' })
  | (SessionBase & Enrolling & { step: 'confirm-device' })
  | (SessionBase & { step: 'registered'; device: SessionDevice })
  | (SessionBase & { step: 'test-login'; device: SessionDevice; chosen: SignInChoice | null })
  | (SessionBase & { step: 'done'; device: SessionDevice; method: SignInMethod; helpQrSvg: string });

export type SessionAt<S extends StepId> = Extract<Session, { step: S }>;

/** Whether `s` is at one of `steps`. */
export function isAt<S extends StepId>(s: Session, steps: readonly S[]): s is SessionAt<S> {
  return (steps as readonly StepId[]).includes(s.step);
}

/** What a session carries from step to step, without what only its current step holds. */
export function base({ id, mode, language, activeAt, email, agentId }: Session): SessionBase {
  return { id, mode, language, activeAt, email, agentId };
}

/** The state Back leads to, or null where there is no Back: the one place that says where Back goes. */
export function backFrom(s: Session): Session | null {
  switch (s.step) {
    case 'identify':
      // A returning agent's choices go back to the address form.
      return s.returning ? { ...s, returning: null } : null;
    case 'prepare-phone':
      return { ...base(s), step: 'identify', returning: null };
    case 'add-device':
      return { ...base(s), step: 'prepare-phone' };
    case 'scan-qr':
      // Leaving the QR drops its secret: a new name or PIN means a new QR.
      return { ...base(s), step: 'add-device' };
    case 'confirm-device':
      return { ...s, step: 'scan-qr' };
    case 'test-login':
      // Back from a chosen method is the choice of method again.
      return s.chosen ? { ...s, chosen: null } : null;
    default:
      return null;
  }
}

/** The account label of the key URI: the e-mail, or for a nameless trainee a neutral word (apps refuse an empty one). */
export function accountLabel(s: Pick<SessionBase, 'email' | 'language'>): string {
  return s.email || (s.language === 'fr' ? 'formation' : 'training');
}

/** A session just started at `at`: on identify, nothing known yet. */
export function newSession(id: number, mode: Mode, language: Language, at: number): Session {
  return { id, step: 'identify', activeAt: at, mode, language, email: '', agentId: null, returning: null };
}
