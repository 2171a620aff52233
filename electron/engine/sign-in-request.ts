// The sign-in request of the QR test: numbers drawn at random, and the human-readable text its QR code carries.
import { randomInt } from 'node:crypto';

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
 * Like EU Login's QR sign-in, the phone sees a request and a 2-digit number that must be typed back; any
 * QR reader shows this text, so no special app is needed. 10–99 keeps it two digits without a leading zero.
 */
export function newSignInRequest(station: string, nowMs: number): SignInRequest {
  const requestNumber = String(randomInt(1000, 10_000));
  const verificationNumber = String(randomInt(10, 100));
  const text = [
    'EU Login test sign-in',
    `Request: ${requestNumber}`,
    `Station: ${station}`,
    `Time: ${hhmm(nowMs)}`,
    `Verification number: ${verificationNumber}`,
  ].join('\n');
  return { requestNumber, verificationNumber, text };
}
