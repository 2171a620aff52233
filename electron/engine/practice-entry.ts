// The practice entry the agent's authenticator app keeps: the name it shows, which must not pass for the real EU Login.
import type { Settings } from './domain';

/** The product's short name: the same in both languages, as the app shows it whatever the phone's language. */
const PRODUCT = 'Borne 2FA';

/**
 * The issuer the key URI carries. "EU Login" would make the practice entry pass for the real one, which this key
 * never opens; the product and station name say where it comes from. A supervisor may set another name.
 */
export function practiceIssuer(settings: Pick<Settings, 'issuer' | 'stationName'>): string {
  const chosen = settings.issuer.trim();
  return chosen !== '' ? chosen : `${PRODUCT} ${settings.stationName}`.trim();
}
