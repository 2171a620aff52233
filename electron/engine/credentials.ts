// The credential checks an intent runs: the device checked against, its PIN and its code, and where their failure counters go.
import { PIN_LENGTH } from '../../shared/credential-lengths';
import { KioskError } from '../../shared/errors';
import type { EngineContext } from './engine';
import { verifyPin } from './pin';
import { PIN } from './rules';
import { openSecret } from './secret-box';
import type { Session, SessionDevice } from './session';
import { checkTotp, TOTP_PERIOD } from './totp';


type WriteCounters = (pinFailures: number, codeFailures: number) => void;

/** Where a check writes the failure counters: `save` after a refusal, `lock` when the limit is reached. */
export interface Counters {
  save: WriteCounters;
  lock: WriteCounters;
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

export function createCredentialChecks(ctx: EngineContext) {
  const { log, keyStore, now, refuse, endSession } = ctx;

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

  /** A device not yet registered keeps its counters in the session; one locked before registering is kept, locked. */
  function pendingCounters(s: Session, draft: { name: string; pinHash: Buffer }): Counters {
    const save = (pinFailures: number, codeFailures: number) => {
      s.pendingPinFailures = pinFailures;
      s.pendingCodeFailures = codeFailures;
    };
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
    return { save, lock };
  }

  /** A stored device's counters live in its row (a lock locks the row); a device in memory keeps them there. */
  function deviceCounters(d: SessionDevice, memory: SessionDevice | null): Counters {
    return {
      save: (pinFailures, codeFailures) => {
        if (d.id !== null) log.setDeviceFailures(d.id, pinFailures, codeFailures);
        else if (memory) Object.assign(memory, { pinFailures, codeFailures });
      },
      lock: (pinFailures, codeFailures) => {
        if (d.id !== null) log.lockDevice(d.id, pinFailures, codeFailures);
        if (memory) Object.assign(memory, { pinFailures, codeFailures });
      },
    };
  }

  /**
   * Checks the PIN against `d` (PRODUCT.md limits: 5 wrong PINs in a row lock the device). Each refusal is
   * logged with its counter change in one transaction; a lock ends the session as `locked`.
   */
  async function checkPin(s: Session, d: SessionDevice, pin: string, { save, lock }: Counters): Promise<void> {
    const max = log.settings().maxPinAttempts;
    if (!PIN.test(pin)) throw new KioskError('pin_format', { length: PIN_LENGTH });
    // A PIN chosen in this session is checked in memory; a device enrolled before costs one scrypt.
    if (d.sessionPin ? d.sessionPin.matches(pin) : await verifyPin(pin, d.pinHash)) return;
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
   */
  async function checkCode(
    s: Session,
    d: SessionDevice,
    { secret, code, pinFailures }: CodeAttempt,
    { save, lock }: Counters,
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

  return { currentDevice, deviceSecret, pendingCounters, deviceCounters, checkPin, checkCode };
}

export type CredentialChecks = ReturnType<typeof createCredentialChecks>;
