// The enrolment engine: one guided session as a state machine over the step ids; the plumbing every intent uses and the handler table. Over 300 lines: that plumbing (context, guards, idle expiry) is what every intent in intents/ shares.
import type { SessionHandlers, Snapshot } from '../../shared/contract';
import { KioskError, type ErrorCode, type ErrorParams } from '../../shared/errors';
import { stepIndex, type Outcome, type SignInMethod, type StepId } from '../../shared/steps';
import type { Clock } from './clock';
import { createIdleTimer, idleDeadline, idleSecondsOn } from './idle';
import type { Settings } from './domain';
import { createCredentialChecks } from './credentials';
import { enrolIntents } from './intents/enrol';
import { identifyIntents } from './intents/identify';
import { navigateIntents } from './intents/navigate';
import { recapIntents, type RecapOutput } from './intents/recap';
import { signInIntents } from './intents/sign-in';
import type { KeyStore } from './key-store';
import type { EngineLog } from './ports';
import { practiceIssuer } from './practice-entry';
import { qrSvg } from './qr';
import { accountLabel, type Enrolment, type Session } from './session';
import { createSerial } from './serial';
import { buildSnapshot } from './snapshot';
import { keyUri, newSecret } from './totp';

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
  /** Ends the session as `outcome`, or as completed on done: the sign-in test has passed. */
  leave(s: Session, outcome: Outcome): void;
  newEnrolment(settings: Settings, s: Session): Promise<Enrolment>;
  enrolmentExpired(s: Session): boolean;
  renewIfExpired(s: Session): Promise<boolean>;
  snapshot(): Promise<Snapshot>;
}

export function createEngine({ log, keyStore, clock, recapOutput, onInternalError = () => {} }: EngineDeps): Engine {
  let session: Session | null = null;
  const serial = createSerial();
  /** Errors already written to the log by the code that raised them (with their counters, atomically). */
  const logged = new WeakSet<KioskError>();
  /** The sign-in test being checked: each refusal of it is also logged as one refused sign_in_test. */
  let attempt: { method: SignInMethod; scanned: boolean | null } | null = null;

  const now = () => clock.now();

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
    if (now() >= endsAt) leave(s, 'timed_out');
    else idleTimer.set(endsAt);
  }

  /** The agent did something: the idle expiry counts from now. */
  function touch(): void {
    if (!session) return;
    session.activeAt = now();
    idleTimer.set(deadline(session).endsAt);
  }

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

  /** Appends a refusal's error event, and during a sign-in test the refused `sign_in_test` it amounts to. */
  function appendRefusal(s: Session, code: ErrorCode, params: ErrorParams): void {
    if (attempt) {
      const details = { method: attempt.method, result: 'refused', reason: code, scanned: attempt.scanned };
      log.append({ sessionId: s.id, at: now(), step: s.step, type: 'sign_in_test', details });
    }
    log.append({ sessionId: s.id, at: now(), step: s.step, type: 'error', code, details: params });
  }

  /** Logs a refusal together with whatever counters it changes, in one transaction, and returns it to throw. */
  const refuse = (s: Session, writes: () => void): Refusable => {
    return (code, params = {}) => {
      const error = new KioskError(code, params);
      log.transaction(() => {
        writes();
        appendRefusal(s, code, params);
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
    s.returning = null;
    session = null;
    idleTimer.set(null);
    log.housekeeping();
  }

  function leave(s: Session, outcome: Outcome): void {
    endSession(s, s.step === 'done' ? 'completed' : outcome);
  }

  async function newEnrolment(settings: Settings, s: Session): Promise<Enrolment> {
    const secret = await newSecret();
    return {
      secret,
      qrSvg: await qrSvg(keyUri(practiceIssuer(settings), accountLabel(s), secret)),
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
    return buildSnapshot(s, settings, now(), recapOutput !== undefined);
  }

  const ctx: EngineContext = {
    log,
    keyStore,
    now,
    current: () => session,
    begin: (s) => {
      session = s;
      idleTimer.set(deadline(s).endsAt);
    },
    requireSession,
    requireStep,
    moveTo,
    refuse,
    endSession,
    leave,
    newEnrolment,
    enrolmentExpired,
    renewIfExpired,
    snapshot,
  };
  const credentials = createCredentialChecks(ctx);
  const { start, identify, giveDevicePin, chooseReturning } = identifyIntents(ctx, credentials);
  const { next, back, cancel, timeout, startPage } = navigateIntents(ctx);
  const { addDevice, revealSecret, confirmDevice } = enrolIntents(ctx, credentials);
  const { chooseSignInMethod, revealVerificationNumber, signIn } = signInIntents(ctx, credentials);
  const { recordRecap, saveRecap } = recapIntents(ctx, recapOutput);

  const handlers: SessionHandlers = {
    // Reading is not input: a screen polling its snapshot does not keep an idle session alive.
    getSnapshot: () => serial(async () => {
      expireIfIdle();
      await refresh();
      return snapshot();
    }),
    // Not input: a session already past its deadline ends as timed_out first, not as left by the page.
    startPage: () => serial(() => {
      expireIfIdle();
      return guardedRaw(startPage);
    }),
    stillHere: () => serial(() => guarded(snapshot)),
    start: (input) => serial(() => guarded(() => start(input))),
    identify: (input) => serial(() => guarded(() => identify(input))),
    giveDevicePin: (input) => serial(() => guarded(() => giveDevicePin(input))),
    chooseReturning: (input) => serial(() => guarded(() => chooseReturning(input))),
    next: () => serial(() => guarded(next)),
    back: () => serial(() => guarded(back)),
    cancel: () => serial(() => guarded(cancel)),
    timeout: () => serial(() => guardedRaw(timeout)),
    addDevice: (input) => serial(() => guarded(() => addDevice(input))),
    revealSecret: () => serial(() => guarded(revealSecret)),
    confirmDevice: (input) => serial(() => {
      // Not `guarded`: an expired QR is answered by confirmDevice itself (qr_expired, then a new one).
      expireIfIdle();
      touch();
      return guardedRaw(() => confirmDevice(input));
    }),
    chooseSignInMethod: (input) => serial(() => guarded(() => chooseSignInMethod(input))),
    revealVerificationNumber: () => serial(() => guarded(revealVerificationNumber)),
    signIn: (input) => serial(() => guarded(() => asSignInAttempt(() => signIn(input)))),
    recordRecap: (input) => serial(() => guarded(() => recordRecap(input))),
    saveRecap: () => serial(() => guarded(saveRecap)),
  };

  /**
   * Every sign-in test attempt, accepted or refused, is one `sign_in_test` event: the intent writes the
   * accepted one; each refusal writes its refused one beside its error (appendRefusal), in its transaction.
   */
  async function asSignInAttempt(intent: () => Promise<Snapshot>): Promise<Snapshot> {
    const s = session;
    const method = s?.step === 'test-login' ? s.method : null;
    if (!s || !method) return intent();
    attempt = { method, scanned: method === 'qr' ? !(s.request?.revealed ?? false) : null };
    try {
      return await intent();
    } catch (error) {
      // Refusals raised without their own log write are logged here, while the attempt is known.
      if (error instanceof KioskError && !logged.has(error)) {
        log.transaction(() => appendRefusal(s, error.code, error.params));
        logged.add(error);
      }
      throw error;
    } finally {
      attempt = null;
    }
  }

  /**
   * An intent is input: a session already past its idle deadline ends first (then the intent finds none),
   * else the deadline restarts from now. Renews an expired QR, then runs the intent; a refusal not yet
   * logged is logged here.
   */
  async function guarded(intent: () => Promise<Snapshot>): Promise<Snapshot> {
    expireIfIdle();
    touch();
    await refresh();
    try {
      return await guardedRaw(intent);
    } finally {
      // The intent may have changed the step, and prepare-phone has an idle delay of its own: arm the one timer
      // for the step the session is on now, not the one the input arrived on.
      if (session) idleTimer.set(deadline(session).endsAt);
    }
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
    } finally {
      // The intent may have changed the step, and with it the idle delay (prepare-phone has its own): the timer follows.
      if (session) idleTimer.set(deadline(session).endsAt);
    }
  }

  return { handlers, stop: () => idleTimer.set(null) };
}
