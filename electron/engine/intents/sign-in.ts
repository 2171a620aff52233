// The sign-in phase: the agent picks a method and signs in with the registered device, as on the real portal.
import type { ParsedInput } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { KioskError } from '../../../shared/errors';
import { checkCode, checkPin, currentDevice, deviceSecret, refusedCheck, type CheckFailure } from '../credentials';
import { qrSvg } from '../qr';
import { CODE } from '../rules';
import { base, type Session, type SessionAt, type SignInChoice, type TestRequest } from '../session';
import { newSignInRequest } from '../sign-in-request';
import type { IntentDeps, SessionEvent, Transition } from '../transition';

type TestLogin = SessionAt<'test-login'>;
type Chose<C extends SignInChoice> = TestLogin & { chosen: C };

/** A method is chosen: a sign-in may be attempted. */
export function choseMethod(s: TestLogin): s is Chose<SignInChoice> {
  return s.chosen !== null;
}

/** The QR method is chosen: its number may be shown in figures. */
export function choseQr(s: TestLogin): s is Chose<Extract<SignInChoice, { method: 'qr' }>> {
  return s.chosen?.method === 'qr';
}

/** For a QR sign-in, whether the agent scanned it rather than asking for the number in figures. */
function scanned(chosen: SignInChoice): boolean | null {
  return chosen.method === 'qr' ? !chosen.request.revealed : null;
}

/**
 * Every sign-in test attempt, accepted or refused, is one `sign_in_test` event: signIn logs the accepted one;
 * each refusal of an attempt (a method chosen) is logged as a refused one beside its error.
 */
export function refusedSignInTest(s: Session, error: KioskError): SessionEvent | null {
  if (s.step !== 'test-login' || !s.chosen) return null;
  const { method } = s.chosen;
  return { type: 'sign_in_test', details: { method, result: 'refused', reason: error.code, scanned: scanned(s.chosen) } };
}

/** A new sign-in request of the QR test, in the session's language; its QR holds the verification number in its text. */
async function signInRequest(s: TestLogin, { log, now }: IntentDeps): Promise<TestRequest> {
  const r = newSignInRequest(log.settings().stationName, now(), s.language);
  return { requestNumber: r.requestNumber, verificationNumber: r.verificationNumber, qrSvg: await qrSvg(r.text), revealed: false };
}

export async function chooseSignInMethod(s: TestLogin, { method }: ParsedInput<'chooseSignInMethod'>, deps: IntentDeps): Promise<Transition> {
  const chosen: SignInChoice | null = method === 'qr' ? { method, request: await signInRequest(s, deps) } : method && { method };
  return {
    next: { ...s, chosen },
    writes: (log) => log.setSessionSignInMethod(s.id, method),
    events: [{ type: 'sign_in_method', details: { method } }],
  };
}

export async function revealVerificationNumber(s: Chose<Extract<SignInChoice, { method: 'qr' }>>): Promise<Transition> {
  return {
    next: { ...s, chosen: { ...s.chosen, request: { ...s.chosen.request, revealed: true } } },
    events: [{ type: 'verification_number_revealed', details: { scanned: false } }],
  };
}

export async function signIn(
  s: Chose<SignInChoice>,
  { pin = '', code, verificationNumber }: ParsedInput<'signIn'>,
  deps: IntentDeps,
): Promise<Transition> {
  const { log, now } = deps;
  const { chosen } = s;
  const { method } = chosen;
  const d = currentDevice(s.device, log);
  if (!CODE.test(code)) throw new KioskError('code_format', { digits: CODE_DIGITS });
  if (chosen.method === 'qr' && verificationNumber?.trim() !== chosen.request.verificationNumber) {
    throw new KioskError('verification_number_wrong');
  }
  const secret = await deviceSecret(d, deps);
  const settings = log.settings();
  // A device held in memory (training) keeps its counters in the session.
  const inMemory = (f: CheckFailure): Session => ({ ...s, device: { ...s.device, pinFailures: f.pinFailures, codeFailures: f.codeFailures } });
  // The QR method proves possession by the number shown on the phone; the PIN is the PIN method's factor.
  if (method === 'pin') {
    const failure = await checkPin(d, pin, settings);
    if (failure) return refusedCheck(s, d, failure, inMemory);
  }
  const accepted = await checkCode(d, { secret, code, pinFailures: method === 'pin' ? 0 : d.pinFailures }, now(), settings);
  if (!accepted.ok) return refusedCheck(s, d, accepted, inMemory);
  const { timeStep, offsetSeconds } = accepted;
  const at = now();
  const id = d.id;
  return {
    next: {
      ...base(s),
      step: 'done',
      method,
      device: { ...s.device, lastTimeStep: timeStep, pinFailures: 0, codeFailures: 0 },
      helpQrSvg: await qrSvg(settings.helpAddress),
    },
    writes: (log) => {
      if (id === null) return;
      log.acceptDeviceCode(id, timeStep);
      log.markSignInTested(id, at);
    },
    events: [{ type: 'sign_in_test', details: { method, result: 'accepted', scanned: scanned(chosen), offsetSeconds } }],
  };
}
