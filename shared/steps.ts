// The step ids of the guided session, in order: the engine, the screens and the log share them.
export const STEP_IDS = [
  'welcome',
  'identify',
  'prepare-phone',
  'add-device',
  'scan-qr',
  'confirm-device',
  'registered',
  'test-login',
  'done',
] as const;

export type StepId = (typeof STEP_IDS)[number];

/** Position of a step in the progress indicator (welcome is 0, done is the last). */
export function stepIndex(step: StepId): number {
  return STEP_IDS.indexOf(step);
}

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const MODES = ['enrolment', 'training'] as const;
export type Mode = (typeof MODES)[number];

/** How a session ended; the words of PRODUCT.md "The log". */
export const OUTCOMES = ['completed', 'abandoned', 'timed_out', 'locked', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SIGN_IN_METHODS = ['qr', 'pin'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];
