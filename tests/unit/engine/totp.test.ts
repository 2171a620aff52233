import { describe, expect, it } from 'vitest';
import { checkTotp, hotp, keyUri, newSecret, secretGroups, totp } from '../../../electron/engine/totp';

/** RFC 4226 Appendix D and RFC 6238 Appendix B: the ASCII secret "12345678901234567890". */
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('TOTP and HOTP through the engine', () => {
  it('passes the RFC 4226 Appendix D HOTP vectors', async () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    for (const [counter, value] of expected.entries()) expect(await hotp(RFC_SECRET, counter)).toBe(value);
  });

  it('passes the RFC 6238 Appendix B SHA-1 TOTP vectors (8 digits)', async () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [time, value] of vectors) expect(await totp(RFC_SECRET, time, 8)).toBe(value);
  });

  it('makes 160-bit base32 secrets, different each time', async () => {
    const a = await newSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(await newSecret()).not.toBe(a);
  });

  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const now = 1_700_000_015_000;
  const codeAt = (steps: number) => totp(secret, now / 1000 + steps * 30);

  it('accepts the current step and one either side, nothing further', async () => {
    for (const steps of [-1, 0, 1]) {
      expect(await checkTotp(secret, await codeAt(steps), now, null)).toMatchObject({ kind: 'accepted', delta: steps });
    }
    for (const steps of [-2, 2]) expect((await checkTotp(secret, await codeAt(steps), now, null)).kind).not.toBe('accepted');
  });

  it('refuses a time step already accepted, and any earlier one (replay)', async () => {
    const step = Math.floor(now / 30_000);
    expect((await checkTotp(secret, await codeAt(0), now, step)).kind).toBe('replayed');
    expect((await checkTotp(secret, await codeAt(-1), now, step)).kind).toBe('replayed');
    expect((await checkTotp(secret, await codeAt(1), now, step)).kind).toBe('accepted');
  });

  it('reports matches between 2 and 10 steps away as a clock offset, and beyond that as wrong', async () => {
    expect(await checkTotp(secret, await codeAt(-10), now, null)).toEqual({ kind: 'clock-offset', delta: -10 });
    expect(await checkTotp(secret, await codeAt(4), now, null)).toEqual({ kind: 'clock-offset', delta: 4 });
    expect(await checkTotp(secret, await codeAt(11), now, null)).toEqual({ kind: 'wrong' });
  });

  it('writes the key URI exactly as authenticator apps expect it', () => {
    expect(keyUri('EU Login', 'jeanne.martin@agriculture.gouv.fr', 'ABCDEFGH')).toBe(
      'otpauth://totp/EU%20Login:jeanne.martin%40agriculture.gouv.fr?secret=ABCDEFGH&issuer=EU%20Login&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('groups the secret by 4 for typing', () => {
    expect(secretGroups('ABCDEFGHIJ')).toEqual(['ABCD', 'EFGH', 'IJ']);
  });
});
