// The sign-in phase: the agent picks a method and signs in with the registered device, as on the real portal.
import type { ParsedInput, Snapshot } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { KioskError } from '../../../shared/errors';
import type { CredentialChecks } from '../credentials';
import type { EngineContext } from '../engine';
import { qrSvg } from '../qr';
import { CODE } from '../rules';
import type { TestRequest } from '../session';
import { newSignInRequest } from '../sign-in-request';

export function signInIntents(
  { log, now, requireStep, moveTo, snapshot }: EngineContext,
  { currentDevice, deviceSecret, deviceCounters, checkPin, checkCode }: CredentialChecks,
) {
  async function chooseSignInMethod({ method }: ParsedInput<'chooseSignInMethod'>): Promise<Snapshot> {
    const s = requireStep('test-login');
    const settings = log.settings();
    let request: TestRequest | null = null;
    if (method === 'qr') {
      const r = newSignInRequest(settings.stationName, now());
      request = { requestNumber: r.requestNumber, verificationNumber: r.verificationNumber, qrSvg: await qrSvg(r.text), revealed: false };
    }
    log.transaction(() => {
      log.setSessionSignInMethod(s.id, method);
      log.append({ sessionId: s.id, at: now(), step: 'test-login', type: 'sign_in_method', details: { method } });
    });
    s.method = method;
    s.request = request;
    return snapshot();
  }

  async function revealVerificationNumber(): Promise<Snapshot> {
    const s = requireStep('test-login');
    if (!s.request) throw new KioskError('not_allowed_in_step', { step: s.step });
    s.request.revealed = true;
    log.transaction(() =>
      log.append({ sessionId: s.id, at: now(), step: 'test-login', type: 'verification_number_revealed', details: { scanned: false } }),
    );
    return snapshot();
  }

  async function signIn({ pin, code, verificationNumber }: ParsedInput<'signIn'>): Promise<Snapshot> {
    const s = requireStep('test-login');
    const method = s.method;
    if (!method) throw new KioskError('not_allowed_in_step', { step: s.step });
    const d = currentDevice(s);
    if (!CODE.test(code)) throw new KioskError('code_format', { digits: CODE_DIGITS });
    if (method === 'qr') {
      const r = s.request;
      if (!r || verificationNumber?.trim() !== r.verificationNumber) throw new KioskError('verification_number_wrong');
    }
    const secret = await deviceSecret(d);
    const memory = s.device;
    const counters = deviceCounters(d, memory);
    // The QR method proves possession by the number shown on the phone; the PIN is the PIN method's factor.
    if (method === 'pin') await checkPin(s, d, pin ?? '', counters);
    const { timeStep, offsetSeconds } = await checkCode(
      s,
      d,
      { secret, code, pinFailures: method === 'pin' ? 0 : d.pinFailures },
      counters,
    );
    const at = now();
    log.transaction(() => {
      if (d.id !== null) {
        log.acceptDeviceCode(d.id, timeStep);
        log.markSignInTested(d.id, at);
      }
      log.append({
        sessionId: s.id,
        at,
        step: 'test-login',
        type: 'sign_in_test',
        details: { method, result: 'accepted', scanned: method === 'qr' ? !(s.request?.revealed ?? false) : null, offsetSeconds },
      });
    });
    if (memory) Object.assign(memory, { lastTimeStep: timeStep, pinFailures: 0, codeFailures: 0 });
    s.request = null;
    moveTo(s, 'done');
    return snapshot();
  }

  return { chooseSignInMethod, revealVerificationNumber, signIn };
}
