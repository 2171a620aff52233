// The engine's only source of time, passed in so tests drive expiry, TOTP steps, idle and the hourly purge without sleeping.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now on this clock; returns what cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    // A pending idle expiry or hourly purge must not hold a closing process open.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
