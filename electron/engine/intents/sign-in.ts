// The sign-in phase: the agent picks a method and signs in with the registered device, as on the real portal.
import type { ParsedInput } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { KioskError } from '../../../shared/errors';
import type { SignInMethod } from '../../../shared/steps';
import { checkCode, checkPin, currentDevice, deviceSecret, refusedCheck, type CheckFailure } from '../credentials';
import { qrSvg } from '../qr';
import { CODE } from '../rules';
import { base, type Session, type SessionAt, type TestRequest } from '../session';
import { newSignInRequest } from '../sign-in-request';
import type { IntentDeps, SessionEvent, Transition } from '../transition';

type TestLogin = SessionAt<'test-login'>;

export function hasRequest(s: TestLogin): s is TestLogin & { request: TestRequest } {
  return s.request !== null;
}

export function hasMethod(s: TestLogin): s is TestLogin & { method: SignInMethod } {
  return s.method !== null;
}

/** Whether the agent signs in by the QR without having asked for the number in figures. */
function scanned(s: TestLogin, method: SignInMethod): boolean | null {
  return method === 'qr' ? !(s.request?.revealed ?? false) : null;
}

/**
 * Every sign-in test attempt, accepted or refused, is one `sign_in_test` event: signIn logs the accepted one;
 * each refusal of an attempt (a method chosen) is logged as a refused one beside its error.
 */
export function refusedSignInTest(s: Session, error: KioskError): SessionEvent | null {
  if (s.step !== 'test-login' || !s.method) return null;
  return { type: 'sign_in_test', details: { method: s.method, result: 'refused', reason: error.code, scanned: scanned(s, s.method) } };
}

export async function chooseSignInMethod(s: TestLogin, { method }: ParsedInput<'chooseSignInMethod'>, { log, now }: IntentDeps): Promise<Transition> {
  let request: TestRequest | null = null;
  if (method === 'qr') {
    const r = newSignInRequest(log.settings().stationName, now(), s.language);
    request = { requestNumber: r.requestNumber, verificationNumber: r.verificationNumber, qrSvg: await qrSvg(r.text), revealed: false };
  }
  return {
    next: { ...s, method, request },
    writes: (log) => log.setSessionSignInMethod(s.id, method),
    events: [{ type: 'sign_in_method', details: { method } }],
  };
}

export async function revealVerificationNumber(s: TestLogin & { request: TestRequest }): Promise<Transition> {
  return {
    next: { ...s, request: { ...s.request, revealed: true } },
    events: [{ type: 'verification_number_revealed', details: { scanned: false } }],
  };
}

export async function signIn(
  s: TestLogin & { method: SignInMethod },
  { pin = '', code, verificationNumber }: ParsedInput<'signIn'>,
  deps: IntentDeps,
): Promise<Transition> {
  const { log, now } = deps;
  const method = s.method;
  const d = currentDevice(s.device, log);
  if (!CODE.test(code)) throw new KioskError('code_format', { digits: CODE_DIGITS });
  if (method === 'qr') {
    const r = s.request;
    if (!r || verificationNumber?.trim() !== r.verificationNumber) throw new KioskError('verification_number_wrong');
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
    events: [{ type: 'sign_in_test', details: { method, result: 'accepted', scanned: scanned(s, method), offsetSeconds } }],
  };
}
