// Test harness: a real kiosk on a fresh temporary data folder, a fake clock the test moves, calls through dispatch.
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodInput, Snapshot } from '../../../shared/contract';
import { dispatch } from '../../../electron/transport/dispatch';
import type { KioskErrorShape } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import type { Clock } from '../../../electron/engine/clock';
import type { KeyStore } from '../../../electron/engine/key-store';
import { openKiosk, type Kiosk, type KioskOptions } from '../../../electron/kiosk';
import { openLog } from '../../../electron/store/open';
import type { Settings } from '../../../electron/engine/domain';
import { DEFAULT_SETTINGS, writeSettings } from '../../../electron/store/settings';

/** 2026-11-25 09:00:15 UTC: mid-step, so ±1 step is unambiguous. */
export const T0 = Date.UTC(2026, 10, 25, 9, 0, 15);

export interface FakeClock extends Clock {
  /**
   * Moves time to `ms`, then runs each timer that is due by then, once, in the order they fall due: like a
   * machine waking from sleep (an hourly timer re-armed by its callback falls due an hour after `ms`).
   */
  set(ms: number): void;
  advance(ms: number): void;
  /** Timers armed and not yet run or cancelled. */
  pending(): number;
}

export function fakeClock(start = T0): FakeClock {
  let t = start;
  let nextId = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  function moveTo(target: number): void {
    t = target;
    const due = [...timers.entries()].filter(([, x]) => x.due <= target).sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
    for (const [id, timer] of due) {
      if (!timers.delete(id)) continue;
      timer.fn();
    }
  }
  return {
    now: () => t,
    after(ms, fn) {
      const id = nextId++;
      timers.set(id, { due: t + ms, fn });
      return () => void timers.delete(id);
    },
    set: moveTo,
    advance: (ms) => moveTo(t + ms),
    pending: () => timers.size,
  };
}

export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Call at a test file's top level: each call of the function it returns makes a folder, removed after the test that made it. */
export function tempFolderPerTest(): () => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return () => {
    const t = tempDataDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
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
  /** Closes the kiosk and removes its data folder, unless `keepData` (to reopen it, as after a restart). */
  close(keepData?: boolean): void;
}

/** A fresh kiosk for each test that asks, closed after it; `keep` hands it to the test file's `k`. */
export function kioskPerTest(keep: (kiosk: TestKiosk) => void): () => Promise<TestKiosk> {
  let current: TestKiosk | null = null;
  afterEach(() => {
    current?.close();
    current = null;
  });
  return async () => {
    current = await openTestKiosk();
    keep(current);
    return current;
  };
}

export class Refused extends Error {
  constructor(readonly shape: KioskErrorShape) {
    super(`refused: ${shape.code} ${JSON.stringify(shape.params)}`);
  }
}

export async function openTestKiosk(
  dataDir?: string,
  clock: FakeClock = fakeClock(),
  keyStore?: KeyStore,
  options: Partial<KioskOptions> = {},
): Promise<TestKiosk> {
  const dir = dataDir ?? tempDataDir().dir;
  const internalErrors: unknown[] = [];
  const kiosk = await openKiosk({
    dataDir: dir,
    clock,
    onInternalError: (e) => internalErrors.push(e),
    ...(keyStore ? { keyStore } : {}),
    ...options,
  });
  // A fresh station shows only the first-run wizard: run it, as a supervisor would, so agents can start.
  if (dataDir === undefined) await completeSetup(kiosk);
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
    close(keepData = false) {
      kiosk.close();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The supervisor's first-run passphrase in tests. */
export const SUPERVISOR_PASSPHRASE = 'Douane-Roissy-2026';

/** The first-run wizard's method, through the transports' door: station name, passphrase, enrolment, French. */
export async function completeSetup(kiosk: Kiosk, mode: 'enrolment' | 'training' = 'enrolment'): Promise<void> {
  const result = await dispatch(kiosk.handlers, 'completeSetup', {
    stationName: DEFAULT_SETTINGS.stationName,
    passphrase: SUPERVISOR_PASSPHRASE,
    passphraseConfirm: SUPERVISOR_PASSPHRASE,
    mode,
    language: 'fr',
  });
  if (!result.ok) throw new Refused(result.error);
}

/** Narrows a snapshot to the step the test expects, failing with the actual step otherwise. */
export function at<S extends Snapshot['step']>(snap: Snapshot, step: S): Extract<Snapshot, { step: S }> {
  if (snap.step !== step) throw new Error(`expected step ${step}, got ${snap.step}`);
  return snap as Extract<Snapshot, { step: S }>;
}

export const EMAIL = 'jeanne.martin@agriculture.gouv.fr';
export const PIN_OK = '2580';

/** Reads rows from the kiosk's log file with a separate read-only connection, as an auditor would. */
/** Changes station settings in the log, as the supervisor's settings screen would, between two calls. */
export function setSettings(dataDir: string, settings: Partial<Settings>): void {
  const { db } = openLog(join(dataDir, 'kiosk.db'));
  try {
    writeSettings(db, settings);
  } finally {
    db.close();
  }
}

export function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
