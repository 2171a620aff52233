// The enrolment engine: one guided session as a state machine over the step ids, answering the contract's intents.
import type { ParsedInput, SessionHandlers, Snapshot } from '../../shared/contract';
import { KioskError, type ErrorCode, type ErrorParams } from '../../shared/errors';
import { stepIndex, type Outcome, type SignInMethod, type StepId } from '../../shared/steps';
import type { Settings } from '../store/settings';
import { localDay } from '../../shared/days';
import type { Clock } from './clock';
import { createIdleTimer, idleDeadline } from './idle';
import type { KeyStore } from './key-store';
import { hashPin, verifyPin } from './pin';
import type { EngineLog } from './ports';
import { qrSvg } from './qr';
import { checkDeviceName, checkEmail, checkNewPin, CODE, normaliseEmail, PIN } from './rules';
import { openSecret, sealSecret } from './secret-box';
import { createSerial } from './serial';
import { accountLabel, backTarget, newSession, type Enrolment, type Session, type SessionDevice, type TestRequest } from './session';
import { buildSnapshot } from './snapshot';
import { newSignInRequest } from './sign-in-request';
import { checkTotp, keyUri, newSecret, TOTP_PERIOD } from './totp';

export interface EngineDeps {
  log: EngineLog;
  keyStore: KeyStore;
  clock: Clock;
  /** A fault in work no caller waits on (the idle expiry's timer): logged by the shell. */
  onInternalError?: (error: unknown) => void;
}

export interface Engine {
  handlers: SessionHandlers;
  /** Disarms the idle timer (the kiosk is closing). */
  stop(): void;
}

type Refusable = (code: ErrorCode, params?: ErrorParams) => KioskError;

/** Back by more than this is a clock jump; less is the ordering noise of events written in one second. */
export const CLOCK_JUMP_TOLERANCE_MS = 60_000;

function attemptsLeft(max: number, failures: number): number {
  return Math.max(0, max - failures);
}

export function createEngine({ log, keyStore, clock, onInternalError = () => {} }: EngineDeps): Engine {
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
    return idleDeadline(s.activeAt, log.settings().idleSeconds);
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

  // ---- the device the PIN and code are checked against -------------------------------------------------

  /** The current state of the session's device: from its row when stored, else from memory. */
  function currentDevice(s: Session): SessionDevice {
    const d = s.device;
    if (!d) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (d.id === null) return d;
    const row = log.getDevice(d.id);
    if (!row || row.status === 'locked') throw new KioskError('device_locked');
    return {
      ...d,
      pinHash: row.pinHash,
      lastTimeStep: row.lastTimeStep,
      pinFailures: row.pinFailures,
      codeFailures: row.codeFailures,
    };
  }

  async function deviceSecret(d: SessionDevice): Promise<string> {
    if (d.secret !== null) return d.secret;
    const row = d.id === null ? null : log.getDevice(d.id);
    if (!row?.secretBox) throw new KioskError('device_locked');
    return openSecret(await keyStore.getKey(), row.secretBox).toString('utf8');
  }

  type SaveCounters = (pinFailures: number, codeFailures: number) => void;

  /**
   * Checks the PIN against `d` (PRODUCT.md limits: 5 wrong PINs in a row lock the device). Each refusal is
   * logged with its counter change in one transaction; a lock ends the session as `locked`.
   */
  async function checkPin(s: Session, d: SessionDevice, pin: string, save: SaveCounters, lock: SaveCounters) {
    const max = log.settings().maxPinAttempts;
    if (!PIN.test(pin)) throw new KioskError('pin_format', { length: 4 });
    if (await verifyPin(pin, d.pinHash)) return;
    const failures = d.pinFailures + 1;
    if (failures >= max) {
      const error = refuse(s, () => lock(failures, d.codeFailures))('device_locked', { reason: 'pin' });
      endSession(s, 'locked');
      throw error;
    }
    throw refuse(s, () => save(failures, d.codeFailures))('pin_wrong', { attemptsLeft: attemptsLeft(max, failures) });
  }

  /**
   * Checks a code against `d`'s secret at the station's time: ±1 step, no replay of an accepted step, a
   * clock-offset diagnosis within ±10 steps, 5 wrong codes in a row lock. Returns the accepted time step
   * and the phone's offset it implies (whole steps, in seconds: the supervisor watches drift before it fails).
   * `pinFailures` is what the PIN counter becomes (0 once a right PIN came with this code).
   */
  async function checkCode(
    s: Session,
    d: SessionDevice,
    secret: string,
    code: string,
    pinFailures: number,
    save: SaveCounters,
    lock: SaveCounters,
  ): Promise<{ timeStep: number; offsetSeconds: number }> {
    const max = log.settings().maxCodeAttempts;
    const result = await checkTotp(secret, code, now(), d.lastTimeStep);
    if (result.kind === 'accepted') return { timeStep: result.timeStep, offsetSeconds: result.delta * TOTP_PERIOD };
    if (result.kind === 'replayed') {
      // Not counted as wrong: the agent typed a real code, just one already used; they wait for the next.
      throw refuse(s, () => save(pinFailures, d.codeFailures))('code_replayed', { seconds: TOTP_PERIOD });
    }
    const failures = d.codeFailures + 1;
    if (failures >= max) {
      const error = refuse(s, () => lock(pinFailures, failures))('device_locked', { reason: 'code' });
      endSession(s, 'locked');
      throw error;
    }
    const left = attemptsLeft(max, failures);
    if (result.kind === 'clock-offset') {
      // Counted as wrong all the same: otherwise the ±10-step answer would give a guesser 21 tries per attempt.
      const seconds = result.delta * TOTP_PERIOD;
      throw refuse(s, () => save(pinFailures, failures))('clock_offset', {
        minutes: Math.max(1, Math.round(Math.abs(seconds) / 60)),
        seconds,
        attemptsLeft: left,
      });
    }
    throw refuse(s, () => save(pinFailures, failures))('code_wrong', { attemptsLeft: left });
  }

  // ---- intents ----------------------------------------------------------------------------------------

  /**
   * A station clock set back (a dead CMOS battery, a bad NTP answer) makes codes look wrong and the log's
   * times lie: when a new session starts before the newest event, the jump is logged for the supervisor.
   */
  function noteClockJump(at: number): void {
    const last = log.lastEventAt();
    if (last !== null && last - at > CLOCK_JUMP_TOLERANCE_MS) {
      log.append({ sessionId: null, at, step: null, type: 'clock_jumped_back', details: { seconds: Math.round((last - at) / 1000) } });
    }
  }

  async function start({ language }: ParsedInput<'start'>): Promise<Snapshot> {
    if (session) throw new KioskError('not_allowed_in_step', { step: session.step });
    const settings = log.settings();
    if (settings.status === 'setup-required') throw new KioskError('setup_required');
    if (settings.status === 'out-of-service') throw new KioskError('out_of_service');
    const at = now();
    const id = log.transaction(() => {
      noteClockJump(at);
      const sessionId = log.startSession({
        station: settings.stationName,
        mode: settings.mode,
        startedAt: at,
        day: localDay(at),
        furthestStep: stepIndex('identify'),
      });
      log.append({ sessionId, at, step: 'welcome', type: 'session_started', details: { mode: settings.mode, language } });
      log.append({ sessionId, at, step: 'identify', type: 'step', details: { from: 'welcome' } });
      return sessionId;
    });
    session = newSession(id, settings.mode, language, at);
    idleTimer.set(deadline(session).endsAt);
    return snapshot();
  }

  async function identify({ email, acceptOffRoster }: ParsedInput<'identify'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const settings = log.settings();
    if (s.mode === 'training') {
      // PRODUCT.md training: a first name or nothing; nobody is looked up and nothing personal is kept.
      s.email = email.trim();
      s.returning = null;
      moveTo(s, 'prepare-phone');
      return snapshot();
    }
    const address = normaliseEmail(email);
    const bad = checkEmail(address, settings.allowedDomains);
    if (bad) throw new KioskError(bad.code, bad.params);
    const onRoster = log.onRoster(address);
    if (log.rosterIsLoaded() && !onRoster && !acceptOffRoster) throw new KioskError('email_not_on_roster');
    const known = log.findAgent(address);
    const kept = known ? log.devicesOf(known.id) : [];
    const device = kept.find((d) => d.status === 'active') ?? kept.find((d) => d.status === 'locked') ?? null;
    const at = now();
    const agentId = log.transaction(() => {
      const agent = log.touchAgent(address, at);
      log.setSessionAgent(s.id, agent.id);
      log.append({
        sessionId: s.id,
        at,
        step: 'identify',
        type: 'identified',
        details: { returning: device !== null, onRoster, offRosterAccepted: !onRoster && acceptOffRoster },
      });
      return agent.id;
    });
    s.email = address;
    s.agentId = agentId;
    const locked = device?.status === 'locked';
    s.returning = device
      ? {
          deviceId: device.id,
          deviceName: device.name,
          locked,
          askSupervisor: locked && device.pinFailures >= settings.maxPinAttempts,
          verified: false,
        }
      : null;
    if (!s.returning) moveTo(s, 'prepare-phone');
    return snapshot();
  }

  /** The returning agent's device, as its row says now; gone or not this session's: not allowed. */
  function returningDevice(s: Session) {
    const r = s.returning;
    const row = r ? log.getDevice(r.deviceId) : null;
    if (!r || !row) throw new KioskError('not_allowed_in_step', { step: s.step });
    const device: SessionDevice = {
      id: row.id,
      name: row.name,
      pinHash: row.pinHash,
      secret: null,
      lastTimeStep: row.lastTimeStep,
      pinFailures: row.pinFailures,
      codeFailures: row.codeFailures,
      registeredAt: row.activatedAt ?? row.createdAt,
    };
    return { r, row, device };
  }

  /**
   * "Gérer mes appareils mobiles" needs a signed-in account: here, the device's PIN. Wrong PINs count towards
   * the device's 5-PIN lock like any other; a device already locked by wrong PINs is the supervisor's to remove.
   */
  async function giveDevicePin({ pin }: ParsedInput<'giveDevicePin'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const { r, row, device } = returningDevice(s);
    if (r.verified) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (row.status === 'locked' && row.pinFailures >= log.settings().maxPinAttempts) {
      throw new KioskError('device_locked_ask_supervisor');
    }
    const save = (pinFailures: number, codeFailures: number) => log.setDeviceFailures(row.id, pinFailures, codeFailures);
    const lock = (pinFailures: number, codeFailures: number) => log.lockDevice(row.id, pinFailures, codeFailures);
    await checkPin(s, device, pin, save, lock);
    log.transaction(() => {
      // A right PIN ends a run of wrong ones ("5 wrong PINs in a row").
      log.setDeviceFailures(row.id, 0, row.codeFailures);
      log.append({ sessionId: s.id, at: now(), step: 'identify', type: 'device_pin_given', details: { locked: r.locked } });
    });
    r.verified = true;
    return snapshot();
  }

  async function chooseReturning({ choice, code }: ParsedInput<'chooseReturning'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const { r, row, device } = returningDevice(s);
    if (!r.verified) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (choice === 'test-sign-in') {
      if (row.status === 'locked') throw new KioskError('device_locked');
      s.device = device;
      s.method = null;
      s.request = null;
      s.returning = null;
      moveTo(s, 'test-login');
      return snapshot();
    }
    // Removing an active device proves it is in hand with a current code; a locked one has no secret left.
    if (row.status === 'active') {
      if (!CODE.test(code ?? '')) throw new KioskError('code_format', { digits: 6 });
      const save = (pinFailures: number, codeFailures: number) => log.setDeviceFailures(row.id, pinFailures, codeFailures);
      const lock = (pinFailures: number, codeFailures: number) => log.lockDevice(row.id, pinFailures, codeFailures);
      await checkCode(s, device, await deviceSecret(device), code ?? '', 0, save, lock);
    }
    // "Gérer mes appareils mobiles" > delete: the device and its secret go now, then a new one is enrolled.
    log.transaction(() => {
      log.deleteDevice(row.id);
      log.append({ sessionId: s.id, at: now(), step: 'identify', type: 'device_removed', details: { locked: r.locked } });
    });
    s.returning = null;
    moveTo(s, 'prepare-phone');
    return snapshot();
  }

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

  /** The countdown on screen ran out; the engine's own timer may have ended the session already. */
  async function timeout(): Promise<Snapshot> {
    if (session) leave(session, 'timed_out');
    return snapshot();
  }

  /**
   * A page load is a new page: it never shows a session it did not start (after F5, the next person would see
   * the last agent's). An open session ends as abandoned, noted as left by a page load.
   */
  async function startPage(): Promise<Snapshot> {
    const s = session;
    if (s) {
      log.transaction(() => log.append({ sessionId: s.id, at: now(), step: s.step, type: 'page_loaded' }));
      leave(s, 'abandoned');
    }
    return snapshot();
  }

  async function addDevice({ deviceName, pin, pinConfirm }: ParsedInput<'addDevice'>): Promise<Snapshot> {
    const s = requireStep('add-device');
    const existing = s.agentId === null ? [] : log.devicesOf(s.agentId).map((d) => d.name);
    const bad = checkDeviceName(deviceName, existing) ?? checkNewPin(pin, pinConfirm);
    if (bad) throw new KioskError(bad.code, bad.params);
    const pinHash = await hashPin(pin);
    s.draft = { name: deviceName, pinHash };
    s.enrolment = await newEnrolment(log.settings(), s);
    s.pendingPinFailures = 0;
    s.pendingCodeFailures = 0;
    moveTo(s, 'scan-qr');
    return snapshot();
  }

  async function revealSecret(): Promise<Snapshot> {
    const s = requireStep('scan-qr');
    s.enrolment ??= await newEnrolment(log.settings(), s);
    s.enrolment.revealed = true;
    log.transaction(() => log.append({ sessionId: s.id, at: now(), step: 'scan-qr', type: 'secret_revealed' }));
    return snapshot();
  }

  async function confirmDevice({ pin, code }: ParsedInput<'confirmDevice'>): Promise<Snapshot> {
    const s = requireStep('confirm-device');
    const draft = s.draft;
    if (!draft) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (enrolmentExpired(s)) {
      const error = refuse(s, () => undefined)('qr_expired', {});
      await renewIfExpired(s);
      throw error;
    }
    const enrolment = s.enrolment;
    if (!enrolment) throw new KioskError('qr_expired');
    const pending: SessionDevice = {
      id: null,
      name: draft.name,
      pinHash: draft.pinHash,
      secret: enrolment.secret,
      lastTimeStep: null,
      pinFailures: s.pendingPinFailures,
      codeFailures: s.pendingCodeFailures,
      registeredAt: now(),
    };
    const save = (pinFailures: number, codeFailures: number) => {
      s.pendingPinFailures = pinFailures;
      s.pendingCodeFailures = codeFailures;
    };
    const key = s.mode === 'enrolment' ? await keyStore.getKey() : null;
    const lock = (pinFailures: number, codeFailures: number) => {
      save(pinFailures, codeFailures);
      // Kept as locked (without its secret) so the agent is recognised next time and offered removal.
      if (s.mode === 'enrolment' && s.agentId !== null) {
        log.insertDevice({
          agentId: s.agentId,
          name: draft.name,
          status: 'locked',
          pinHash: draft.pinHash,
          secretBox: null,
          createdAt: now(),
          activatedAt: null,
          lastTimeStep: null,
          pinFailures,
          codeFailures,
        });
      }
    };
    if (!CODE.test(code)) throw new KioskError('code_format', { digits: 6 });
    await checkPin(s, pending, pin, save, lock);
    const { timeStep, offsetSeconds } = await checkCode(s, pending, enrolment.secret, code, 0, save, lock);
    const at = now();
    let id: number | null = null;
    log.transaction(() => {
      if (s.mode === 'enrolment' && key && s.agentId !== null) {
        id = log.insertDevice({
          agentId: s.agentId,
          name: draft.name,
          status: 'active',
          pinHash: draft.pinHash,
          secretBox: sealSecret(key, Buffer.from(enrolment.secret, 'utf8')),
          createdAt: at,
          activatedAt: at,
          lastTimeStep: timeStep,
          pinFailures: 0,
          codeFailures: 0,
        });
      }
      log.append({
        sessionId: s.id,
        at,
        step: 'confirm-device',
        type: 'device_registered',
        details: { mode: s.mode, offsetSeconds },
      });
    });
    s.device = {
      ...pending,
      id,
      // A stored device keeps its secret sealed in its row only; training keeps it here until the session ends.
      secret: id === null ? enrolment.secret : null,
      lastTimeStep: timeStep,
      pinFailures: 0,
      codeFailures: 0,
      registeredAt: at,
    };
    s.draft = null;
    s.enrolment = null;
    moveTo(s, 'registered');
    return snapshot();
  }

  async function chooseSignInMethod({ method }: ParsedInput<'chooseSignInMethod'>): Promise<Snapshot> {
    const s = requireStep('test-login');
    const settings = log.settings();
    let request: TestRequest | null = null;
    if (method === 'qr') {
      const r = newSignInRequest(settings.stationName, now());
      request = { requestNumber: r.requestNumber, verificationNumber: r.verificationNumber, qrSvg: await qrSvg(r.text), revealed: false };
    }
    log.transaction(() => {
      log.setSessionSignInMethod(s.id, method);
      log.append({ sessionId: s.id, at: now(), step: 'test-login', type: 'sign_in_method', details: { method } });
    });
    s.method = method;
    s.request = request;
    return snapshot();
  }

  async function revealVerificationNumber(): Promise<Snapshot> {
    const s = requireStep('test-login');
    if (!s.request) throw new KioskError('not_allowed_in_step', { step: s.step });
    s.request.revealed = true;
    log.transaction(() =>
      log.append({ sessionId: s.id, at: now(), step: 'test-login', type: 'verification_number_revealed', details: { scanned: false } }),
    );
    return snapshot();
  }

  /** Every sign-in test attempt, accepted or refused, is one `sign_in_test` event (the refusals via appendRefusal). */
  async function signIn(input: ParsedInput<'signIn'>): Promise<Snapshot> {
    const s = requireStep('test-login');
    const method = s.method;
    if (!method) throw new KioskError('not_allowed_in_step', { step: s.step });
    attempt = { method, scanned: method === 'qr' ? !(s.request?.revealed ?? false) : null };
    try {
      return await checkSignIn(s, method, input);
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

  async function checkSignIn(
    s: Session,
    method: SignInMethod,
    { pin, code, verificationNumber }: ParsedInput<'signIn'>,
  ): Promise<Snapshot> {
    const d = currentDevice(s);
    if (!CODE.test(code)) throw new KioskError('code_format', { digits: 6 });
    if (method === 'qr') {
      const r = s.request;
      if (!r || verificationNumber?.trim() !== r.verificationNumber) throw new KioskError('verification_number_wrong');
    }
    const secret = await deviceSecret(d);
    const memory = s.device;
    const save = (pinFailures: number, codeFailures: number) => {
      if (d.id !== null) log.setDeviceFailures(d.id, pinFailures, codeFailures);
      else if (memory) Object.assign(memory, { pinFailures, codeFailures });
    };
    const lock = (pinFailures: number, codeFailures: number) => {
      if (d.id !== null) log.lockDevice(d.id, pinFailures, codeFailures);
      if (memory) Object.assign(memory, { pinFailures, codeFailures });
    };
    // The QR method proves possession by the number shown on the phone; the PIN is the PIN method's factor.
    if (method === 'pin') await checkPin(s, d, pin ?? '', save, lock);
    const { timeStep, offsetSeconds } = await checkCode(s, d, secret, code, method === 'pin' ? 0 : d.pinFailures, save, lock);
    const at = now();
    log.transaction(() => {
      if (d.id !== null) {
        log.acceptDeviceCode(d.id, timeStep);
        log.markSignInTested(d.id, at);
      }
      log.append({
        sessionId: s.id,
        at,
        step: 'test-login',
        type: 'sign_in_test',
        details: { method, result: 'accepted', scanned: attempt?.scanned ?? null, offsetSeconds },
      });
    });
    if (memory) Object.assign(memory, { lastTimeStep: timeStep, pinFailures: 0, codeFailures: 0 });
    s.request = null;
    moveTo(s, 'done');
    return snapshot();
  }

  const handlers: SessionHandlers = {
    // Reading is not input: a screen polling its snapshot does not keep an idle session alive.
    getSnapshot: () => serial(async () => {
      expireIfIdle();
      await refresh();
      return snapshot();
    }),
    startPage: () => serial(() => guardedRaw(startPage)),
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
    signIn: (input) => serial(() => guarded(() => signIn(input))),
  };

  /**
   * An intent is input: a session already past its idle deadline ends first (then the intent finds none),
   * else the deadline restarts from now. Renews an expired QR, then runs the intent; a refusal not yet
   * logged is logged here.
   */
  async function guarded(intent: () => Promise<Snapshot>): Promise<Snapshot> {
    expireIfIdle();
    touch();
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

  return { handlers, stop: () => idleTimer.set(null) };
}
