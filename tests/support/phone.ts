// Plays the agent's phone: reads a QR from the screen's pixels like a camera would, and computes the code an authenticator app shows.
import { generateSync } from 'otplib';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator } from '@playwright/test';

/** Decodes the QR code in a PNG screenshot; throws when there is none, as a phone would fail to scan. */
export function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  if (result === null) throw new Error('no QR code found in the screenshot');
  return result.data;
}

/** Screenshots the element (as the phone's camera sees the screen) and decodes its QR. */
export async function scanQr(element: Locator): Promise<string> {
  return decodeQr(await element.screenshot());
}

export interface KeyUri {
  issuer: string;
  account: string;
  secret: string;
  algorithm: string;
  digits: number;
  period: number;
}

/** Parses an otpauth://totp/ISSUER:ACCOUNT?secret=... key URI (the Google Authenticator key URI format). */
export function parseKeyUri(uri: string): KeyUri {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`not a TOTP key URI: ${uri}`);
  const label = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const [issuer = '', account = ''] = label.includes(':') ? label.split(':', 2) : ['', label];
  return {
    issuer,
    account,
    secret: url.searchParams.get('secret') ?? '',
    algorithm: url.searchParams.get('algorithm') ?? 'SHA1',
    digits: Number(url.searchParams.get('digits') ?? 6),
    period: Number(url.searchParams.get('period') ?? 30),
  };
}

/** The 6-digit code an authenticator app shows for this key at `epochSeconds` (default: now). */
export function codeFor(key: KeyUri, epochSeconds = Math.floor(Date.now() / 1000)): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion sets a generic's inferred type, which the rule reads as the receiver's
  return generateSync({ secret: key.secret, epoch: epochSeconds, period: key.period, digits: key.digits as 6, algorithm: 'sha1' });
}
