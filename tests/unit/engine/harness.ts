// Test harness: a real kiosk on a fresh temporary data folder, a fake clock the test moves, calls through dispatch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodInput, Snapshot } from '../../../shared/contract';
import { dispatch } from '../../../shared/dispatch';
import type { KioskErrorShape } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import { openKiosk, type Kiosk } from '../../../electron/kiosk';

/** 2026-11-25 09:00:15 UTC: mid-step, so ±1 step is unambiguous. */
export const T0 = Date.UTC(2026, 10, 25, 9, 0, 15);

export interface FakeClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestKiosk {
  kiosk: Kiosk;
  clock: FakeClock;
  dataDir: string;
  internalErrors: unknown[];
  /** Calls a method through the same door the transports use; returns the snapshot or throws the error shape. */
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<Snapshot>;
  /** Calls and expects a refusal; returns its shape. */
  refused<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<KioskErrorShape>;
  close(): void;
}

export class Refused extends Error {
  constructor(readonly shape: KioskErrorShape) {
    super(`refused: ${shape.code} ${JSON.stringify(shape.params)}`);
  }
}

export async function openTestKiosk(dataDir?: string, clock: FakeClock = fakeClock()): Promise<TestKiosk> {
  const temp = dataDir ? null : tempDataDir();
  const dir = dataDir ?? temp?.dir ?? '';
  const internalErrors: unknown[] = [];
  const kiosk = await openKiosk({ dataDir: dir, clock, onInternalError: (e) => internalErrors.push(e) });
  const call = async <M extends MethodName>(method: M, input?: MethodInput<M>): Promise<Snapshot> => {
    const result = await dispatch(kiosk.handlers, method, input ?? {}, (e) => internalErrors.push(e));
    if (!result.ok) throw new Refused(result.error);
    return result.value as Snapshot;
  };
  return {
    kiosk,
    clock,
    dataDir: dir,
    internalErrors,
    call,
    async refused(method, input) {
      try {
        const snap = await call(method, input);
        throw new Error(`expected a refusal from ${method}, got step ${snap.step}`);
      } catch (error) {
        if (error instanceof Refused) return error.shape;
        throw error;
      }
    },
    close() {
      kiosk.close();
      temp?.cleanup();
    },
  };
}
