// The state of the one guided session the engine holds, and the rules read straight off it (where Back goes).
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

export interface Returning {
  deviceId: number;
  deviceName: string;
  locked: boolean;
  /** Locked by wrong PINs: no PIN is taken any more, only a supervisor can remove it. */
  askSupervisor: boolean;
  verified: boolean;
}

export interface Session {
  id: number;
  step: StepId;
  mode: Mode;
  language: Language;
  email: string;
  agentId: number | null;
  /**
   * A returning agent's device, recognised by address. Its name is shown, and test/remove offered, only once
   * the agent has given its PIN (`verified`): an address alone must reveal nothing about a colleague's device.
   */
  returning: Returning | null;
  /** The last input the agent made (an intent, or the renderer saying they are still there): the idle expiry counts from it. */
  activeAt: number;
  /** add-device's answers, until the device is confirmed; the PIN's scrypt hash settles meanwhile. */
  draft: { name: string; pin: SessionPin } | null;
  enrolment: Enrolment | null;
  /** Failures against the device being confirmed (not yet stored). */
  pendingPinFailures: number;
  pendingCodeFailures: number;
  device: SessionDevice | null;
  method: SignInMethod | null;
  request: TestRequest | null;
  helpQrSvg: string | null;
}

/** Which intents may go Back, and where to. */
export function backTarget(s: Session): StepId | null {
  switch (s.step) {
    case 'identify':
      return s.returning ? 'identify' : null;
    case 'prepare-phone':
      return 'identify';
    case 'add-device':
      return 'prepare-phone';
    case 'scan-qr':
      return 'add-device';
    case 'confirm-device':
      return 'scan-qr';
    case 'test-login':
      return s.method ? 'test-login' : null;
    default:
      return null;
  }
}

/** The account label of the key URI: the e-mail, or for a nameless trainee a neutral word (apps refuse an empty one). */
export function accountLabel(s: Session): string {
  return s.email || (s.language === 'fr' ? 'formation' : 'training');
}

/** A session just started at `at`: on identify, nothing known yet. */
export function newSession(id: number, mode: Mode, language: Language, at: number): Session {
  return {
    id,
    step: 'identify',
    activeAt: at,
    mode,
    language,
    email: '',
    agentId: null,
    returning: null,
    draft: null,
    enrolment: null,
    pendingPinFailures: 0,
    pendingCodeFailures: 0,
    device: null,
    method: null,
    request: null,
    helpQrSvg: null,
  };
}
