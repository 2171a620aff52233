import { describe, expect, it } from 'vitest';
import { newSignInRequest } from '../../../electron/engine/sign-in-request';

describe('the sign-in request a phone reads from the QR', () => {
  const at = new Date(2026, 11, 1, 9, 5).getTime();

  it('is written in the session’s language, French or English, with the number to type back', () => {
    const fr = newSignInRequest('PIF Sète', at, 'fr');
    expect(fr.text.split('\n')).toEqual([
      'Demande de connexion d’essai',
      `Demande\u00a0: ${fr.requestNumber}`,
      'Borne\u00a0: PIF Sète',
      'Heure\u00a0: 09:05',
      `Numéro de vérification\u00a0: ${fr.verificationNumber}`,
    ]);
    const en = newSignInRequest('PIF Sète', at, 'en');
    expect(en.text).toContain(`Verification number: ${en.verificationNumber}`);
    expect(en.text).toContain('Station: PIF Sète');
    expect(en.text).not.toMatch(/Numéro|Borne/);
  });

  it('never passes for the real EU Login, and draws two-digit numbers', () => {
    for (const language of ['fr', 'en'] as const) {
      const r = newSignInRequest('PIF', at, language);
      expect(r.text).not.toContain('EU Login');
      expect(r.verificationNumber).toMatch(/^[1-9]\d$/);
      expect(r.requestNumber).toMatch(/^\d{4}$/);
    }
  });
});
