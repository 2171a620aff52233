// Runs a supervisor task in a worker thread: the kiosk's thread only posts the task and reads its progress, so it never freezes.
import { Worker } from 'node:worker_threads';
import { KioskError } from '../../../shared/errors';
import type { TaskAnswer, TaskRequest, TaskWorkerData, WorkerMessage } from './protocol';

export interface TaskHandle<A extends TaskAnswer> {
  answer: Promise<A>;
  /** The worker stops at its next few thousand rows; a write it had begun is rolled back. */
  cancel(): void;
}

/**
 * From sources (tests, benches, tsx) the worker is the .ts file, loaded through tsx; built, it is the
 * bundle build/build.ts writes beside the others (out/worker/task-worker.cjs).
 */
function workerFor(data: TaskWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const source = JSON.stringify(new URL('./task-worker.ts', here).href);
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); })`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL('../worker/task-worker.cjs', here), { workerData: data });
}

type AnswerOf<K extends TaskRequest['kind']> = Extract<TaskAnswer, { kind: K }>;

/** Starts `request` in a new worker; `onProgress` hears rows done out of rows to do. */
export function runTask<R extends TaskRequest>(request: R, onProgress: (done: number, total: number) => void): TaskHandle<AnswerOf<R['kind']>> {
  const cancel = new SharedArrayBuffer(4);
  const worker = workerFor({ request, cancel });
  const answer = new Promise<AnswerOf<R['kind']>>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress(message.done, message.total);
      else if (message.type === 'done') settle(() => resolve(message.answer as AnswerOf<R['kind']>));
      else if (message.type === 'refused') settle(() => reject(new KioskError(message.code, message.params)));
      else settle(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the task worker stopped (exit ${code})`))));
  });
  return {
    answer,
    cancel: () => {
      Atomics.store(new Int32Array(cancel), 0, 1);
    },
  };
}

/**
 * The start-up integrity check (PRAGMA quick_check, seconds on a long campaign's log) off the kiosk's thread:
 * the kiosk answers first and goes out of service if `damaged` resolves true. It rejects only when the worker
 * itself could not run, which says nothing about the file.
 */
export function checkIntegrityInBackground(dbPath: string): { damaged: Promise<boolean>; cancel(): void } {
  const task = runTask({ kind: 'integrity', dbPath }, () => {});
  return { damaged: task.answer.then((answer) => !answer.ok), cancel: task.cancel };
}
