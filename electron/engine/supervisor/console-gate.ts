// The console's door: passphrase check, lockout after 5 failures, and a server-held open state that expires when idle.
import type { EventType } from '../../../shared/event-types';
import { KioskError } from '../../../shared/errors';
import { CONSOLE_IDLE_SECONDS } from '../../../shared/supervisor-methods';
import type { Clock } from '../clock';
import { createSerial } from '../serial';
import { hashPassphrase, passphraseLength, PASSPHRASE_MIN_LENGTH, verifyPassphrase } from './passphrase';
import type { SupervisorLog } from './ports';

/** Issue 5: five wrong passphrases lock the console for five minutes. */
export const MAX_PASSPHRASE_FAILURES = 5;
export const CONSOLE_LOCK_MS = 5 * 60_000;
export const CONSOLE_IDLE_MS = CONSOLE_IDLE_SECONDS * 1000;

export interface ConsoleGate {
  isSetUp(): boolean;
  /** The first-run wizard's passphrase; refused once one exists. */
  setFirstPassphrase(passphrase: string, confirm: string, then: () => void): Promise<void>;
  open(passphrase: string): Promise<void>;
  /** Throws not_authorised unless the console is open, and pushes its expiry back. */
  touch(): void;
  isOpen(): boolean;
  close(idle?: boolean): void;
  changePassphrase(current: string, next: string, confirm: string): Promise<void>;
}

export function checkNewPassphrase(passphrase: string, confirm: string): void {
  if (passphraseLength(passphrase) < PASSPHRASE_MIN_LENGTH) {
    throw new KioskError('passphrase_too_short', { min: PASSPHRASE_MIN_LENGTH });
  }
  if (passphrase !== confirm) throw new KioskError('passphrase_mismatch');
}

export function createConsoleGate(log: SupervisorLog, clock: Clock): ConsoleGate {
  let openUntil = 0;
  // One check at a time: two guesses racing through scrypt must not both read the same failure count.
  const serial = createSerial();

  const event = (type: EventType, details: Record<string, string | number | boolean | null> | null = null, code: string | null = null) =>
    log.append({ sessionId: null, at: clock.now(), step: null, type, code, details });

  function refuseIfLocked(now: number): void {
    const { lockedUntil } = log.readLockout();
    if (lockedUntil > now) throw new KioskError('console_locked', { seconds: Math.ceil((lockedUntil - now) / 1000) });
  }

  /** Counts a wrong passphrase; the fifth in a row locks the console, and both are logged. */
  function recordFailure(now: number): never {
    const failures = log.readLockout().failures + 1;
    if (failures >= MAX_PASSPHRASE_FAILURES) {
      log.transaction(() => {
        log.writeLockout({ failures: 0, lockedUntil: now + CONSOLE_LOCK_MS });
        event('console_passphrase_wrong', { failures }, 'passphrase_wrong');
        event('console_locked', { minutes: CONSOLE_LOCK_MS / 60_000 }, 'console_locked');
      });
      throw new KioskError('console_locked', { seconds: CONSOLE_LOCK_MS / 1000 });
    }
    log.transaction(() => {
      log.writeLockout({ failures, lockedUntil: 0 });
      event('console_passphrase_wrong', { failures }, 'passphrase_wrong');
    });
    throw new KioskError('passphrase_wrong', { attemptsLeft: MAX_PASSPHRASE_FAILURES - failures });
  }

  async function check(passphrase: string): Promise<void> {
    const stored = log.readPassphrase();
    if (stored === null) throw new KioskError('setup_required');
    refuseIfLocked(clock.now());
    const good = await verifyPassphrase(passphrase, stored);
    const now = clock.now();
    if (!good) recordFailure(now);
    log.writeLockout({ failures: 0, lockedUntil: 0 });
  }

  return {
    isSetUp: () => log.readPassphrase() !== null,

    setFirstPassphrase: (passphrase, confirm, then) =>
      serial(async () => {
        if (log.readPassphrase() !== null) throw new KioskError('not_authorised');
        checkNewPassphrase(passphrase, confirm);
        const stored = await hashPassphrase(passphrase);
        log.transaction(() => {
          // Checked again: a second wizard call may have finished while this one was hashing.
          if (log.readPassphrase() !== null) throw new KioskError('not_authorised');
          log.writePassphrase(stored);
          then();
          event('setup_completed');
        });
      }),

    open: (passphrase) =>
      serial(async () => {
        await check(passphrase);
        openUntil = clock.now() + CONSOLE_IDLE_MS;
        event('console_opened');
      }),

    touch() {
      const now = clock.now();
      if (openUntil <= now) {
        if (openUntil !== 0) {
          openUntil = 0;
          event('console_closed', { idle: true });
        }
        throw new KioskError('not_authorised');
      }
      openUntil = now + CONSOLE_IDLE_MS;
    },

    isOpen: () => openUntil > clock.now(),

    close(idle = false) {
      if (openUntil === 0) return;
      openUntil = 0;
      event('console_closed', { idle });
    },

    changePassphrase: (current, next, confirm) =>
      serial(async () => {
        checkNewPassphrase(next, confirm);
        await check(current);
        const stored = await hashPassphrase(next);
        log.transaction(() => {
          log.writePassphrase(stored);
          event('passphrase_changed');
        });
      }),
  };
}
