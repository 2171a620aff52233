// The console's door to the engine: typed calls to the supervisor's methods, and the one signal that the console has closed.
import { ref, type Ref } from 'vue';
import type { MethodInput, MethodOutput, Result } from '../../../shared/contract';
import type { KioskErrorShape } from '../../../shared/errors';
import type { SupervisorMethodName } from '../../../shared/supervisor-methods';
import { kioskClient } from '../client';

/** Set when the engine answers not_authorised: the console closed itself (idle) and must ask for the passphrase again. */
export const consoleExpired = ref(false);

export async function consoleCall<M extends SupervisorMethodName>(
  method: M,
  input: MethodInput<M>,
): Promise<Result<MethodOutput<M>>> {
  const call = kioskClient()[method] as (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
  const result = await call(input);
  if (!result.ok && result.error.code === 'not_authorised' && method !== 'completeSetup') consoleExpired.value = true;
  return result;
}

/** The method's answer, or null with the refusal set where the screen shows its error. */
export async function consoleValue<M extends SupervisorMethodName>(
  method: M,
  input: MethodInput<M>,
  error: Ref<KioskErrorShape | null>,
): Promise<MethodOutput<M> | null> {
  const result = await consoleCall(method, input);
  if (result.ok) return result.value;
  error.value = result.error;
  return null;
}
