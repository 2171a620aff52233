// The enrolment engine: one guided session as a state machine over the step ids; the plumbing every intent uses and the handler table.
import type { SessionHandlers, Snapshot } from '../../shared/contract';
import { KioskError, type ErrorCode, type ErrorParams } from '../../shared/errors';
import { stepIndex, type Outcome, type StepId } from '../../shared/steps';
import type { Clock } from './clock';
import type { Settings } from './domain';
import { createCredentialChecks } from './credentials';
import { enrolIntents } from './intents/enrol';
import { identifyIntents } from './intents/identify';
import { navigateIntents } from './intents/navigate';
import { signInIntents } from './intents/sign-in';
import type { KeyStore } from './key-store';
import type { EngineLog } from './ports';
import { qrSvg } from './qr';
import { accountLabel, type Enrolment, type Session } from './session';
import { createSerial } from './serial';
import { buildSnapshot } from './snapshot';
import { keyUri, newSecret } from './totp';

export interface EngineDeps {
  log: EngineLog;
  keyStore: KeyStore;
  clock: Clock;
}

type Refusable = (code: ErrorCode, params?: ErrorParams) => KioskError;

/** What the intents (intents/*.ts) and the credential checks share: the log, the clock and the session's plumbing. */
export interface EngineContext {
  log: EngineLog;
  keyStore: KeyStore;
  now(): number;
  /** The open session, or null between sessions. */
  current(): Session | null;
  begin(s: Session): void;
  requireSession(): Session;
  requireStep(...steps: StepId[]): Session;
  moveTo(s: Session, step: StepId): void;
  refuse(s: Session, writes: () => void): Refusable;
  endSession(s: Session, outcome: Outcome): void;
  newEnrolment(settings: Settings, s: Session): Promise<Enrolment>;
  enrolmentExpired(s: Session): boolean;
  renewIfExpired(s: Session): Promise<boolean>;
  snapshot(): Promise<Snapshot>;
}

export function createEngine({ log, keyStore, clock }: EngineDeps): SessionHandlers {
  let session: Session | null = null;
  const serial = createSerial();
  /** Errors already written to the log by the code that raised them (with their counters, atomically). */
  const logged = new WeakSet<KioskError>();

  const now = () => clock.now();

  function requireSession(): Session {
    if (!session) throw new KioskError('no_session');
    return session;
  }

  function requireStep(...steps: StepId[]): Session {
    const s = requireSession();
    if (!steps.includes(s.step)) throw new KioskError('not_allowed_in_step', { step: s.step });
    return s;
  }

  /** Records a step change: one event says which step was left and which entered. */
  function moveTo(s: Session, step: StepId): void {
    const from = s.step;
    log.transaction(() => {
      log.append({ sessionId: s.id, at: now(), step, type: 'step', details: { from } });
      log.reachStep(s.id, stepIndex(step));
    });
    s.step = step;
  }

  /** Logs a refusal together with whatever counters it changes, in one transaction, and returns it to throw. */
  const refuse = (s: Session, writes: () => void): Refusable => {
    return (code, params = {}) => {
      const error = new KioskError(code, params);
      log.transaction(() => {
        writes();
        log.append({ sessionId: s.id, at: now(), step: s.step, type: 'error', code, details: params });
      });
      logged.add(error);
      return error;
    };
  };

  function endSession(s: Session, outcome: Outcome): void {
    log.transaction(() => {
      log.closeSession(s.id, outcome, now());
      if (s.mode === 'training' && s.device) {
        // PRODUCT.md training: the trainee's device and secret go with the session; this records that they did.
        log.append({ sessionId: s.id, at: now(), step: s.step, type: 'training_device_erased' });
      }
      log.append({ sessionId: s.id, at: now(), step: s.step, type: 'session_ended', details: { outcome } });
    });
    s.device = null;
    s.enrolment = null;
    s.draft = null;
    session = null;
    log.housekeeping();
  }

  async function newEnrolment(settings: Settings, s: Session): Promise<Enrolment> {
    const secret = await newSecret();
    return {
      secret,
      qrSvg: await qrSvg(keyUri(settings.issuer, accountLabel(s), secret)),
      expiresAt: now() + settings.qrValiditySeconds * 1000,
      revealed: false,
    };
  }

  function enrolmentExpired(s: Session): boolean {
    return s.enrolment !== null && now() >= s.enrolment.expiresAt;
  }

  /** An expired QR is replaced before anything else is answered: the old secret is dropped, so it no longer verifies. */
  async function renewIfExpired(s: Session): Promise<boolean> {
    if (!(s.step === 'scan-qr' || s.step === 'confirm-device') || !enrolmentExpired(s)) return false;
    s.enrolment = await newEnrolment(log.settings(), s);
    log.transaction(() => log.append({ sessionId: s.id, at: now(), step: s.step, type: 'qr_renewed' }));
    if (s.step === 'confirm-device') moveTo(s, 'scan-qr');
    return true;
  }

  async function refresh(): Promise<void> {
    if (session) await renewIfExpired(session);
  }

  /** Makes what the current step shows (its QR), then reads the snapshot off the session. */
  async function snapshot(): Promise<Snapshot> {
    const settings = log.settings();
    const s = session;
    if (s?.step === 'scan-qr') s.enrolment ??= await newEnrolment(settings, s);
    if (s?.step === 'done') s.helpQrSvg ??= await qrSvg(settings.helpAddress);
    return buildSnapshot(s, settings, now());
  }

  const ctx: EngineContext = {
    log,
    keyStore,
    now,
    current: () => session,
    begin: (s) => {
      session = s;
    },
    requireSession,
    requireStep,
    moveTo,
    refuse,
    endSession,
    newEnrolment,
    enrolmentExpired,
    renewIfExpired,
    snapshot,
  };
  const credentials = createCredentialChecks(ctx);
  const { start, identify, chooseReturning } = identifyIntents(ctx);
  const { next, back, cancel, timeout } = navigateIntents(ctx);
  const { addDevice, revealSecret, confirmDevice } = enrolIntents(ctx, credentials);
  const { chooseSignInMethod, revealVerificationNumber, signIn } = signInIntents(ctx, credentials);

  const handlers: SessionHandlers = {
    getSnapshot: () => serial(async () => {
      await refresh();
      return snapshot();
    }),
    start: (input) => serial(() => guarded(() => start(input))),
    identify: (input) => serial(() => guarded(() => identify(input))),
    chooseReturning: (input) => serial(() => guarded(() => chooseReturning(input))),
    next: () => serial(() => guarded(next)),
    back: () => serial(() => guarded(back)),
    cancel: () => serial(() => guarded(cancel)),
    timeout: () => serial(() => guarded(timeout)),
    addDevice: (input) => serial(() => guarded(() => addDevice(input))),
    revealSecret: () => serial(() => guarded(revealSecret)),
    confirmDevice: (input) => serial(() => guardedRaw(() => confirmDevice(input))),
    chooseSignInMethod: (input) => serial(() => guarded(() => chooseSignInMethod(input))),
    revealVerificationNumber: () => serial(() => guarded(revealVerificationNumber)),
    signIn: (input) => serial(() => guarded(() => signIn(input))),
  };

  /** Renews an expired QR first, then runs the intent; a refusal not yet logged is logged here. */
  async function guarded(intent: () => Promise<Snapshot>): Promise<Snapshot> {
    await refresh();
    return guardedRaw(intent);
  }

  async function guardedRaw(intent: () => Promise<Snapshot>): Promise<Snapshot> {
    try {
      return await intent();
    } catch (error) {
      const s = session;
      if (error instanceof KioskError) {
        if (s && !logged.has(error)) {
          log.transaction(() =>
            log.append({ sessionId: s.id, at: now(), step: s.step, type: 'error', code: error.code, details: error.params }),
          );
        }
      } else if (s) {
        // Not a refusal but a fault (storage, a bug): the session's state can no longer be trusted, so it
        // ends as `failed` (PRODUCT.md outcomes) and the next snapshot is a clean welcome.
        try {
          endSession(s, 'failed');
        } catch {
          // The log itself may be what failed; the session stays open there and is abandoned at next open.
        }
        session = null;
      }
      throw error;
    }
  }

  return handlers;
}
