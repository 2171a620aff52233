// TOTP (RFC 6238) and HOTP (RFC 4226) through otplib, imported lazily to keep it off the main process's start-up path.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as Otplib from 'otplib';
import type { CryptoPlugin } from 'otplib';
import { CODE_DIGITS } from '../../shared/credential-lengths';
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = CODE_DIGITS;
/** 160 bits: the HMAC-SHA-1 block-friendly length RFC 4226 section 4 recommends. */
export const SECRET_BYTES = 20;
/** Accepted drift: the current step and one either side (RFC 6238 section 5.2). */
export const ACCEPT_STEPS = 1;
/** Beyond ±1 and within ±10 steps (5 minutes) the code is recognised only to diagnose the phone's clock. */
export const DIAGNOSE_STEPS = 10;

type Secret = string | Uint8Array;

let loaded: Promise<typeof Otplib> | null = null;

/** Loaded on first use and kept: resolving import() again on every code check costs more than the check. */
function otplib(): Promise<typeof Otplib> {
  loaded ??= import('otplib');
  return loaded;
}

/**
 * HMAC through node:crypto (OpenSSL) instead of otplib's default pure-JS noble plugin: the same
 * digests, several times faster, and synchronous, so the ±1 and ±10 windows cost microseconds.
 */
export const nodeCryptoPlugin: CryptoPlugin = {
  name: 'node',
  algorithms: ['sha1', 'sha256', 'sha512'],
  hmac(algorithm, key, data) {
    return new Uint8Array(createHmac(algorithm, key).update(data).digest());
  },
  randomBytes(length) {
    return new Uint8Array(randomBytes(length));
  },
  constantTimeEqual(a, b) {
    const x = typeof a === 'string' ? Buffer.from(a) : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const y = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && timingSafeEqual(x, y);
  },
};

/** A fresh 160-bit secret, base32 without padding (what authenticator apps read from the URI). */
export async function newSecret(): Promise<string> {
  return (await otplib()).generateSecret({ length: SECRET_BYTES, crypto: nodeCryptoPlugin });
}

/** RFC 4226 HOTP value for `counter`. */
export async function hotp(secret: Secret, counter: number, digits: 6 | 7 | 8 = TOTP_DIGITS): Promise<string> {
  const crypto = nodeCryptoPlugin;
  return (await otplib()).generate({ strategy: 'hotp', secret, counter, digits, algorithm: 'sha1', crypto });
}

/** RFC 6238 TOTP (SHA-1, 30 s) at `epochSeconds`. */
export async function totp(secret: Secret, epochSeconds: number, digits: 6 | 7 | 8 = TOTP_DIGITS): Promise<string> {
  return (await otplib()).generate({
    strategy: 'totp',
    secret,
    epoch: epochSeconds,
    period: TOTP_PERIOD,
    digits,
    algorithm: 'sha1',
    crypto: nodeCryptoPlugin,
  });
}

export type TotpCheck =
  | { kind: 'accepted'; timeStep: number; delta: number }
  | { kind: 'replayed'; timeStep: number }
  | { kind: 'clock-offset'; delta: number }
  | { kind: 'wrong' };

/**
 * Checks a 6-digit code at `nowMs`: accepted within ±1 step unless that step (or an earlier one) was already
 * accepted for the device (replay); a match only within ±10 steps is reported as a clock offset, not accepted.
 */
export async function checkTotp(
  secret: Secret,
  code: string,
  nowMs: number,
  lastTimeStep: number | null,
): Promise<TotpCheck> {
  const { verifySync } = await otplib();
  const epoch = Math.floor(nowMs / 1000);
  const common = {
    secret,
    token: code,
    epoch,
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
    algorithm: 'sha1',
    crypto: nodeCryptoPlugin,
  } as const;
  const near = verifySync({ ...common, epochTolerance: ACCEPT_STEPS * TOTP_PERIOD });
  if (near.valid && 'timeStep' in near) {
    if (lastTimeStep !== null && near.timeStep <= lastTimeStep) return { kind: 'replayed', timeStep: near.timeStep };
    return { kind: 'accepted', timeStep: near.timeStep, delta: near.delta };
  }
  const far = verifySync({ ...common, epochTolerance: DIAGNOSE_STEPS * TOTP_PERIOD });
  if (far.valid) return { kind: 'clock-offset', delta: far.delta };
  return { kind: 'wrong' };
}

/**
 * The key URI authenticator apps scan (Google's Key Uri Format): label ISSUER:EMAIL, and the
 * parameters spelled out even where they are the defaults, because some apps ignore the defaults.
 */
export function keyUri(issuer: string, email: string, secret: string): string {
  const i = encodeURIComponent(issuer);
  return `otpauth://totp/${i}:${encodeURIComponent(email)}?secret=${secret}&issuer=${i}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD}`;
}

/** The secret as an agent types it: groups of 4 characters. */
export function secretGroups(secret: string): string[] {
  return secret.match(/.{1,4}/g) ?? [];
}
