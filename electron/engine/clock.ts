// The engine's only source of time, passed in so tests drive expiry, TOTP steps and idle without sleeping.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The station's local day number (days since 1970-01-01 in local time): sessions are counted per local day. */
export function localDay(ms: number): number {
  const offsetMs = new Date(ms).getTimezoneOffset() * 60_000;
  return Math.floor((ms - offsetMs) / 86_400_000);
}
