// The sign-in request of the QR test: numbers drawn at random, and the human-readable text its QR code carries.
import { randomInt } from 'node:crypto';
import type { Language } from '../../shared/steps';

export interface SignInRequest {
  requestNumber: string;
  verificationNumber: string;
  text: string;
}

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * The lines a phone's QR reader shows, in the session's language: the phone shows them outside the kiosk,
 * so they cannot go through the renderer's messages. A practice request, which never names itself EU Login.
 */
const LINES: Record<Language, { title: string; request: string; station: string; time: string; number: string }> = {
  fr: {
    title: 'Demande de connexion d’essai',
    request: 'Demande\u00a0:',
    station: 'Borne\u00a0:',
    time: 'Heure\u00a0:',
    number: 'Numéro de vérification\u00a0:',
  },
  en: { title: 'Test sign-in request', request: 'Request:', station: 'Station:', time: 'Time:', number: 'Verification number:' },
};

/**
 * Like EU Login's QR sign-in, the phone sees a request and a 2-digit number that must be typed back; any
 * QR reader shows this text, so no special app is needed. 10–99 keeps it two digits without a leading zero.
 */
export function newSignInRequest(station: string, nowMs: number, language: Language): SignInRequest {
  const requestNumber = String(randomInt(1000, 10_000));
  const verificationNumber = String(randomInt(10, 100));
  const l = LINES[language];
  const text = [
    l.title,
    `${l.request} ${requestNumber}`,
    `${l.station} ${station}`,
    `${l.time} ${hhmm(nowMs)}`,
    `${l.number} ${verificationNumber}`,
  ].join('\n');
  return { requestNumber, verificationNumber, text };
}
