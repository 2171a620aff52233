// The step screens: welcome comes with the entry chunk, each other step is a chunk of its own, fetched once welcome shows.
import { shallowReactive, type Component } from 'vue';
import { STEP_IDS, type StepId } from '../../../shared/steps';
import Welcome from './Welcome.vue';

type Later = Exclude<StepId, 'welcome'>;

/** One loader per step id: a new step is one line here, and a missing one fails the typecheck. */
const LOADERS: Record<Later, () => Promise<{ default: Component }>> = {
  identify: () => import('./Identify.vue'),
  'prepare-phone': () => import('./PreparePhone.vue'),
  'add-device': () => import('./AddDevice.vue'),
  'scan-qr': () => import('./ScanQr.vue'),
  'confirm-device': () => import('./ConfirmDevice.vue'),
  registered: () => import('./Registered.vue'),
  'test-login': () => import('./TestLogin.vue'),
  done: () => import('./Done.vue'),
};

/** The screens loaded so far, by step: a step's screen is drawn once it is here. */
export const stepScreens = shallowReactive<Partial<Record<StepId, Component>>>({ welcome: Welcome });

/** Loads a step's screen (at once when already loaded); rejects when its chunk cannot be read. */
export async function loadStepScreen(step: StepId): Promise<void> {
  if (step === 'welcome' || stepScreens[step] !== undefined) return;
  const screen = (await LOADERS[step]()).default;
  stepScreens[step] = screen;
}

/** Every screen, for when the station is idle on welcome: the agent's next step is then drawn without a fetch. */
export function preloadStepScreens(): Promise<unknown> {
  return Promise.allSettled(STEP_IDS.map(loadStepScreen));
}
