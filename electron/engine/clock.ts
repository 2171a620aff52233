// The engine's only source of time, passed in so tests drive expiry, TOTP steps, idle and the hourly purge without sleeping.
export interface Clock {
  /** Milliseconds since the epoch: the station's wall clock, which a person or a bad NTP answer can move. */
  now(): number;
  /** Calls `fn` once, `ms` from now on this clock; returns what cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
  /**
   * Milliseconds from an arbitrary origin that only ever move forward at the real pace, whatever the wall
   * clock does. Absent on a clock that cannot tell (then the wall clock is trusted).
   */
  monotonic?(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    // setTimeout counts on the monotonic clock: a wall clock moved by a day neither fires nor holds it.
    const timer = setTimeout(fn, ms);
    // A pending idle expiry or hourly purge must not hold a closing process open.
    timer.unref();
    return () => clearTimeout(timer);
  },
  monotonic: () => performance.now(),
};

/** Back by more than this is a clock jump; less is the ordering noise of events written in one second. */
export const CLOCK_JUMP_BACK_TOLERANCE_MS = 60_000;
/** Forward by more than this since the last event, by default, is a jump too (a setting: a station may sleep longer). */
export const DEFAULT_CLOCK_JUMP_FORWARD_MS = 86_400_000;

export interface SessionClock extends Clock {
  /** Takes the wall clock's time again: called where no session is open (a session starts, a page loads). */
  reanchor(): void;
}

/**
 * The clock a session runs on: the wall clock read when the session began, carried forward by the monotonic
 * clock. A wall clock set back an hour (or on a day) mid-session then neither refuses the phone's correct
 * code, nor makes the session's duration negative, nor ends it at once as idle; the jump itself is noticed
 * by the clock watch and logged. A correction made mid-session is taken up at the next session.
 */
export function sessionClock(clock: Clock): SessionClock {
  const monotonic = clock.monotonic?.bind(clock);
  if (!monotonic) return { ...clock, now: () => clock.now(), after: (ms, fn) => clock.after(ms, fn), reanchor: () => {} };
  let wallAt = clock.now();
  let monoAt = monotonic();
  return {
    // Whole milliseconds, as the wall clock gives: the log stores times as INTEGER.
    now: () => wallAt + Math.floor(monotonic() - monoAt),
    after: (ms, fn) => clock.after(ms, fn),
    monotonic,
    reanchor() {
      wallAt = clock.now();
      monoAt = monotonic();
    },
  };
}

export interface ClockJump {
  direction: 'back' | 'forward';
  /** How far, in whole seconds. */
  seconds: number;
  /** The wall clock's time when the jump was noticed. */
  at: number;
}

export interface ClockWatch {
  /** Compares the wall clock with what it should read now; returns the jump, if it moved beyond the limits. */
  check(): ClockJump | null;
}

/**
 * Watches the wall clock: at start against the newest event in the log (`lastEventAt`), then on each call
 * against the last reading carried forward by the monotonic clock. Back by more than a minute, or forward
 * by more than `forwardLimitMs`, is a jump: the caller logs it, shows it and holds the retention purge.
 */
export function watchClock(clock: Clock, lastEventAt: number | null, forwardLimitMs: () => number): ClockWatch {
  const monotonic = clock.monotonic?.bind(clock);
  // At start the expected time is unknown (the station was off): only "not before the log's last event".
  let expected: { wall: number; mono: number | null } | null = lastEventAt === null ? null : { wall: lastEventAt, mono: null };
  return {
    check() {
      const wall = clock.now();
      const mono = monotonic?.() ?? null;
      let jump: ClockJump | null = null;
      if (expected) {
        const elapsed = expected.mono !== null && mono !== null ? mono - expected.mono : 0;
        const drift = wall - (expected.wall + elapsed);
        // Without a monotonic reading (at start, or a clock without one) forward time is the station's sleep.
        const forward = expected.mono !== null && mono !== null ? drift : wall - expected.wall;
        if (drift < -CLOCK_JUMP_BACK_TOLERANCE_MS) jump = { direction: 'back', seconds: Math.round(-drift / 1000), at: wall };
        else if (forward > forwardLimitMs()) jump = { direction: 'forward', seconds: Math.round(forward / 1000), at: wall };
      }
      expected = { wall, mono };
      return jump;
    },
  };
}
