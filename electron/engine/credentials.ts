// The credential checks an intent runs: the device checked against, its PIN and its code, and what a refusal changes of its failure counters.
import { PIN_LENGTH } from '../../shared/credential-lengths';
import { KioskError } from '../../shared/errors';
import type { Settings } from './domain';
import { verifyPin } from './pin';
import type { EngineLog } from './ports';
import { PIN } from './rules';
import { openSecret } from './secret-box';
import type { Session, SessionDevice } from './session';
import { checkTotp, TOTP_PERIOD } from './totp';
import { refused, type IntentDeps, type Transition } from './transition';

/** A refused check: the error, what the device's counters become, and whether they reach the lock. */
export interface CheckFailure {
  ok: false;
  error: KioskError;
  pinFailures: number;
  codeFailures: number;
  lock: boolean;
}

/** An accepted code: its time step (the replay guard) and the phone's offset it implies (whole steps, in seconds). */
export interface CodeAccepted {
  ok: true;
  timeStep: number;
  offsetSeconds: number;
}

/** The code to check, against which secret, and what the PIN counter becomes (0 once a right PIN came with it). */
export interface CodeAttempt {
  secret: string;
  code: string;
  pinFailures: number;
}

function attemptsLeft(max: number, failures: number): number {
  return Math.max(0, max - failures);
}

/** The current state of the session's device: from its row when stored, else from memory. */
export function currentDevice(d: SessionDevice, log: EngineLog): SessionDevice {
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

export async function deviceSecret(d: SessionDevice, { log, keyStore }: IntentDeps): Promise<string> {
  if (d.secret !== null) return d.secret;
  const row = d.id === null ? null : log.getDevice(d.id);
  if (!row?.secretBox) throw new KioskError('device_locked');
  return openSecret(await keyStore.getKey(), row.secretBox).toString('utf8');
}

/** Checks the PIN against `d` (PRODUCT.md limits: 5 wrong PINs in a row lock the device); null when it is right. */
export async function checkPin(d: SessionDevice, pin: string, { maxPinAttempts: max }: Settings): Promise<CheckFailure | null> {
  if (!PIN.test(pin)) throw new KioskError('pin_format', { length: PIN_LENGTH });
  // A PIN chosen in this session is checked in memory; a device enrolled before costs one scrypt.
  if (d.sessionPin ? d.sessionPin.matches(pin) : await verifyPin(pin, d.pinHash)) return null;
  const failures = d.pinFailures + 1;
  const lock = failures >= max;
  const error = lock
    ? new KioskError('device_locked', { reason: 'pin' })
    : new KioskError('pin_wrong', { attemptsLeft: attemptsLeft(max, failures) });
  return { ok: false, error, pinFailures: failures, codeFailures: d.codeFailures, lock };
}

/**
 * Checks a code against `d`'s secret at the station's time: ±1 step, no replay of an accepted step, a
 * clock-offset diagnosis within ±10 steps, 5 wrong codes in a row lock (the supervisor watches drift before it fails).
 */
export async function checkCode(
  d: SessionDevice,
  { secret, code, pinFailures }: CodeAttempt,
  now: number,
  { maxCodeAttempts: max }: Settings,
): Promise<CodeAccepted | CheckFailure> {
  const result = await checkTotp(secret, code, now, d.lastTimeStep);
  if (result.kind === 'accepted') return { ok: true, timeStep: result.timeStep, offsetSeconds: result.delta * TOTP_PERIOD };
  const refusal = (error: KioskError, codeFailures: number, lock = false): CheckFailure => ({ ok: false, error, pinFailures, codeFailures, lock });
  if (result.kind === 'replayed') {
    // Not counted as wrong: the agent typed a real code, just one already used; they wait for the next.
    return refusal(new KioskError('code_replayed', { seconds: TOTP_PERIOD }), d.codeFailures);
  }
  const failures = d.codeFailures + 1;
  if (failures >= max) return refusal(new KioskError('device_locked', { reason: 'code' }), failures, true);
  const left = attemptsLeft(max, failures);
  if (result.kind === 'clock-offset') {
    // Counted as wrong all the same: otherwise the ±10-step answer would give a guesser 21 tries per attempt.
    const seconds = result.delta * TOTP_PERIOD;
    const minutes = Math.max(1, Math.round(Math.abs(seconds) / 60));
    return refusal(new KioskError('clock_offset', { minutes, seconds, attemptsLeft: left }), failures);
  }
  return refusal(new KioskError('code_wrong', { attemptsLeft: left }), failures);
}

/**
 * A refused check on a registered device: its counters go where the device lives (its row, where a lock
 * locks and empties it; or, held in memory, the state `inMemory` gives), and a lock ends the session as locked.
 */
export function refusedCheck(s: Session, d: SessionDevice, f: CheckFailure, inMemory: (f: CheckFailure) => Session = () => s): Transition {
  const events = [refused(f.error)];
  const next = f.lock ? { end: 'locked' as const } : d.id === null ? inMemory(f) : s;
  const id = d.id;
  if (id === null) return { next, events };
  const writes = (log: EngineLog) =>
    f.lock ? log.lockDevice(id, f.pinFailures, f.codeFailures) : log.setDeviceFailures(id, f.pinFailures, f.codeFailures);
  return { next, events, writes };
}
