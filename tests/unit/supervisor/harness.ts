// Supervisor test helpers: the engine's test kiosk, plus typed calls to the console's methods through the transports' door.
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import { dispatch } from '../../../shared/dispatch';
import type { KioskErrorShape } from '../../../shared/errors';
import type { SupervisorMethodName } from '../../../shared/supervisor-methods';
import { Refused, SUPERVISOR_PASSPHRASE, type TestKiosk } from '../engine/harness';

/** Set by the engine harness's first-run setup on every fresh test kiosk. */
export const PASSPHRASE = SUPERVISOR_PASSPHRASE;

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

/**
 * Opens the console on a test kiosk (whose first-run setup the engine harness has done) and, when
 * asked, switches mode or station name through the settings, as a supervisor would afterwards.
 */
export async function setUpAndOpen(
  k: TestKiosk,
  options: { mode?: 'enrolment' | 'training'; stationName?: string; open?: boolean } = {},
): Promise<void> {
  const changes = { mode: options.mode, stationName: options.stationName };
  const needsSettings = changes.mode !== undefined || changes.stationName !== undefined;
  if (!(options.open ?? true) && !needsSettings) return;
  await sup(k, 'openConsole', { passphrase: PASSPHRASE });
  if (needsSettings) await sup(k, 'updateSettings', changes);
  if (!(options.open ?? true)) await sup(k, 'closeConsole');
}
