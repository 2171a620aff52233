// The session's intents in one table: where each is allowed, what the engine does first, the guard and the transition it runs.
import type { ParsedInput, SessionHandlers } from '../../../shared/contract';
import { KioskError } from '../../../shared/errors';
import { STEP_IDS, type StepId } from '../../../shared/steps';
import { isAt, type Session, type SessionAt } from '../session';
import { notAllowed, type IntentDeps, type RefusedAs, type Transition } from '../transition';
import { addDevice, confirmDevice, revealSecret } from './enrol';
import { awaitsDevicePin, chooseReturning, gaveDevicePin, giveDevicePin, identify, start } from './identify';
import { back, cancel, next, startPage, timeout } from './navigate';
import { recordRecap, saveRecap } from './recap';
import { chooseSignInMethod, choseMethod, choseQr, refusedSignInTest, revealVerificationNumber, signIn } from './sign-in';

export type SessionMethod = keyof SessionHandlers;

/**
 * What the engine does before an intent. `expire`: a session already past its idle deadline ends first (as
 * timed_out), so the intent finds none. `touch`: the intent is input, the idle deadline restarts from now.
 * `renew`: an expired QR is replaced before the intent is answered.
 */
export interface Before {
  expire: boolean;
  touch: boolean;
  renew: boolean;
}

/** What the agent does: the default. */
const INPUT: Before = { expire: true, touch: true, renew: true };

/** Where an intent is allowed: at the listed steps (refused elsewhere, and without a session), only without a session, or either way. */
export type Where = readonly StepId[] | 'no-session' | 'any';

export interface Intent<I> {
  where: Where;
  before: Before;
  /** The transition it runs, null when there is nothing to change; none: the intent only answers the snapshot. */
  run?: (s: Session | null, input: I, deps: IntentDeps) => Promise<Transition | null>;
  refusedAs?: RefusedAs;
}

type Run<S, I> = (s: S, input: I, deps: IntentDeps) => Promise<Transition>;

/** Allowed at `steps` where `guard` holds (else not_allowed_in_step; no_session without one). */
function atIf<S extends StepId, G extends SessionAt<S>, I>(
  steps: readonly S[],
  guard: (s: SessionAt<S>) => s is G,
  run: Run<G, I>,
  before = INPUT,
): Intent<I> {
  return {
    where: steps,
    before,
    run: (s, input, deps) => {
      if (!s) throw new KioskError('no_session');
      if (!isAt(s, steps) || !guard(s)) throw notAllowed(s);
      return run(s, input, deps);
    },
  };
}

/** Allowed at `steps`. */
function at<S extends StepId, I>(steps: readonly S[], run: Run<SessionAt<S>, I>, before = INPUT): Intent<I> {
  return atIf(steps, (_s): _s is SessionAt<S> => true, run, before);
}

/** Every step a session can be at: the intents that go wherever the session stands (Back says itself where it goes). */
const IN_SESSION = STEP_IDS.filter((step): step is Exclude<StepId, 'welcome'> => step !== 'welcome');

/** The rules of the guided session: each intent, where it is allowed, and what it runs. */
export const INTENTS: { [M in SessionMethod]: Intent<ParsedInput<M>> } = {
  // Reading is not input: a screen polling its snapshot does not keep an idle session alive.
  getSnapshot: { where: 'any', before: { expire: true, touch: false, renew: true } },
  // Not input: a session already past its deadline ends as timed_out first, not as left by the page.
  startPage: { where: 'any', before: { expire: true, touch: false, renew: false }, run: startPage },
  stillHere: { where: 'any', before: INPUT },
  start: {
    where: 'no-session',
    before: INPUT,
    run: (s, input, deps) => {
      if (s) throw notAllowed(s);
      return start(input, deps);
    },
  },
  identify: at(['identify'], identify),
  giveDevicePin: atIf(['identify'], awaitsDevicePin, giveDevicePin),
  chooseReturning: atIf(['identify'], gaveDevicePin, chooseReturning),
  next: at(['prepare-phone', 'scan-qr', 'registered', 'done'], next),
  back: at(IN_SESSION, back),
  cancel: at(IN_SESSION, cancel),
  // The countdown on screen ran out: the session ends as it is, renewing nothing.
  timeout: { where: 'any', before: { expire: false, touch: false, renew: false }, run: timeout },
  addDevice: at(['add-device'], addDevice),
  revealSecret: at(['scan-qr'], revealSecret),
  // Not `renew`: an expired QR is answered by confirmDevice itself (qr_expired, then a new one).
  confirmDevice: at(['confirm-device'], confirmDevice, { expire: true, touch: true, renew: false }),
  chooseSignInMethod: at(['test-login'], chooseSignInMethod),
  revealVerificationNumber: atIf(['test-login'], choseQr, revealVerificationNumber),
  signIn: { ...atIf(['test-login'], choseMethod, signIn), refusedAs: refusedSignInTest },
  recordRecap: at(['done'], recordRecap),
  saveRecap: at(['done'], saveRecap),
};
