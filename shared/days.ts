// The station's local day: sessions are counted per day as the station's people live it, not per UTC day.
/** The station's local day number (days since 1970-01-01 in local time): sessions are counted per local day. */
export function localDay(ms: number): number {
  const offsetMs = new Date(ms).getTimezoneOffset() * 60_000;
  return Math.floor((ms - offsetMs) / 86_400_000);
}
