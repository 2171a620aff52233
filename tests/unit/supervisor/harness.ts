// Supervisor test helpers: the engine's test kiosk, plus typed calls to the console's methods through the transports' door.
import { vi } from 'vitest';
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import { dispatch } from '../../../electron/transport/dispatch';
import type { KioskErrorShape } from '../../../shared/errors';
import type { RosterImport } from '../../../shared/supervisor-contract';
import { ROSTER_PART_BYTES, type SupervisorMethodName } from '../../../shared/supervisor-methods';
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

/** Sends a roster file to the console in parts, as the screen does, and returns the import's result. */
export async function importRosterFile(
  k: TestKiosk,
  bytes: Uint8Array,
  fileName = 'agents.csv',
  partBytes = ROSTER_PART_BYTES,
): Promise<RosterImport> {
  const parts = Math.max(1, Math.ceil(bytes.length / partBytes));
  for (let part = 0; part < parts; part += 1) {
    const chunk = Buffer.from(bytes.subarray(part * partBytes, (part + 1) * partBytes));
    const answer = await sup(k, 'importRoster', { fileName, bytesBase64: chunk.toString('base64'), part, parts });
    if (answer.complete && answer.result) return answer.result;
  }
  throw new Error('the last part did not complete the import');
}

/**
 * Follows a supervisor task as the console does (poll its progress) until it is no longer running; fails after 30 s.
 * Each poll lets the task's pages or its worker run in between.
 */
export async function settled<P extends { state: string }>(first: P, poll: () => Promise<P>): Promise<P> {
  if (first.state !== 'running') return first;
  return vi.waitFor(
    async () => {
      const progress = await poll();
      if (progress.state === 'running') throw new Error('still running');
      return progress;
    },
    { timeout: 30_000, interval: 5 },
  );
}
