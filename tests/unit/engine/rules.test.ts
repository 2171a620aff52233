import { describe, expect, it } from 'vitest';
import { COMMON_PINS } from '../../../electron/engine/pin-blocklist';
import { checkDeviceName, checkEmail, checkNewPin } from '../../../electron/engine/rules';

describe('identify and add-device rules', () => {
  it('accepts institutional addresses and refuses malformed ones', () => {
    expect(checkEmail('jeanne.martin@agriculture.gouv.fr', [])).toBeNull();
    for (const bad of ['jeanne', 'a@b', 'a b@c.fr', 'a@-b.fr', 'a@b..fr', `${'a'.repeat(250)}@b.fr`]) {
      expect(checkEmail(bad, [])?.code).toBe('email_invalid');
    }
  });

  it('applies the allowed domains, written with or without @', () => {
    expect(checkEmail('a@agriculture.gouv.fr', ['@Agriculture.gouv.fr'])).toBeNull();
    expect(checkEmail('a@douane.finances.gouv.fr', ['agriculture.gouv.fr'])?.code).toBe('email_domain_not_allowed');
  });

  it('refuses a device name already used by the same agent, whatever the case', () => {
    expect(checkDeviceName('Phone-1', ['phone-1'])?.code).toBe('device_name_taken');
    expect(checkDeviceName('phone-2', ['phone-1'])).toBeNull();
  });

  it('keeps device names to 1–30 letters, digits, - and _', () => {
    expect(checkDeviceName('x'.repeat(30), [])).toBeNull();
    for (const bad of ['', 'x'.repeat(31), 'a b', 'a.b', 'é é']) expect(checkDeviceName(bad, [])?.code).toBe('device_name_invalid');
  });

  it('refuses a name for its accents alone with the same name without them, to take or leave', () => {
    expect(checkDeviceName('téléphone-pro', [])).toEqual({ code: 'device_name_accented', params: { suggestion: 'telephone-pro' } });
    expect(checkDeviceName('Œuvre_à_Sète', [])).toEqual({ code: 'device_name_accented', params: { suggestion: 'OEuvre_a_Sete' } });
    // Without its accents still too long, or with a space: the general rule, which says all of it.
    expect(checkDeviceName(`é${'x'.repeat(30)}`, [])?.code).toBe('device_name_invalid');
  });

  it('refuses every PIN of the blocklist, and the blocklist holds the most common ones', () => {
    expect(COMMON_PINS).toEqual(expect.arrayContaining(['0000', '1234', '1111']));
    for (const pin of COMMON_PINS) expect(checkNewPin(pin, pin)?.code).toBe('pin_too_common');
    expect(checkNewPin('2580', '2580')).toBeNull();
  });
});
