// Supervisor test helpers: the engine's test kiosk, plus typed calls to the console's methods through the transports' door.
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import { dispatch } from '../../../shared/dispatch';
import type { KioskErrorShape } from '../../../shared/errors';
import type { SupervisorMethodName } from '../../../shared/supervisor-methods';
import { Refused, type TestKiosk } from '../engine/harness';

export const PASSPHRASE = 'Douane-Roissy-2026';

export async function sup<M extends SupervisorMethodName>(k: TestKiosk, method: M, input?: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await dispatch(k.kiosk.handlers, method, input ?? {}, (e) => k.internalErrors.push(e));
  if (!result.ok) throw new Refused(result.error);
  return result.value as MethodOutput<M>;
}

export async function supRefused<M extends SupervisorMethodName>(
  k: TestKiosk,
  method: M,
  input?: MethodInput<M>,
): Promise<KioskErrorShape> {
  const result = await dispatch(k.kiosk.handlers, method, input ?? {}, (e) => k.internalErrors.push(e));
  if (result.ok) throw new Error(`expected ${method} to be refused, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** The first-run wizard as a supervisor fills it, then the console opened with the same passphrase. */
export async function setUpAndOpen(
  k: TestKiosk,
  options: { mode?: 'enrolment' | 'training'; stationName?: string; open?: boolean } = {},
): Promise<void> {
  await sup(k, 'completeSetup', {
    stationName: options.stationName ?? 'PIF Roissy',
    passphrase: PASSPHRASE,
    passphraseConfirm: PASSPHRASE,
    mode: options.mode ?? 'enrolment',
    language: 'fr',
  });
  if (options.open ?? true) await sup(k, 'openConsole', { passphrase: PASSPHRASE });
}
