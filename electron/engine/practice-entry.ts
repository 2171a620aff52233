// The practice entry the agent's authenticator app keeps: the name it shows, which must not pass for the real EU Login.
import type { Settings } from './domain';

/** The word the screens use for what the station does (docs/GLOSSARY.md), the same whatever the phone's language: the entry reads as a rehearsal's. */
const PRODUCT = 'Répétition';

/**
 * The issuer the key URI carries. "EU Login" would make the practice entry pass for the real one, which this key
 * never opens; the product and station name say where it comes from. A supervisor may set another name.
 */
export function practiceIssuer(settings: Pick<Settings, 'issuer' | 'stationName'>): string {
  const chosen = settings.issuer.trim();
  return chosen !== '' ? chosen : `${PRODUCT} ${settings.stationName}`.trim();
}
