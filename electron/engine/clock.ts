// The engine's only source of time, passed in so tests drive expiry, TOTP steps and idle without sleeping.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
