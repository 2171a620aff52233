// Runs the supervisor's work in worker threads: a task per request, and one long-lived reader for the dashboards; the kiosk's thread only posts and listens, so it never freezes.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KioskError } from '../../../shared/errors';
import { kioskTurn } from './writer-turn';
import type { ReadAnswer, ReaderWorkerData, ReadReply, ReadRequest, TaskAnswer, TaskRequest, TaskWorkerData, WorkerMessage } from './protocol';

export interface TaskHandle<A extends TaskAnswer> {
  answer: Promise<A>;
  /** The worker stops at its next few thousand rows; a write it had begun is rolled back. */
  cancel(): void;
}

/**
 * Where a packaged app finds the worker's bundle: outside the ASAR archive. Node runs a worker's script from the
 * disk, and the script's own require('better-sqlite3') walks up from where it lies; electron-builder.yml unpacks
 * out/worker/ and better-sqlite3 with what it requires into app.asar.unpacked beside the archive.
 */
export function outsideAsar(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** The built worker, beside the bundle that starts it (out/main/main.cjs, out/browser-shell/cli.mjs): out/worker/task-worker.cjs. */
export function builtWorkerPath(moduleUrl: string): string {
  return outsideAsar(fileURLToPath(new URL('../worker/task-worker.cjs', moduleUrl)));
}

/**
 * From sources (tests, benches, tsx) the worker is the .ts file, loaded through tsx; built, it is the
 * bundle build/build.ts writes beside the others (out/worker/task-worker.cjs), outside the ASAR when packaged.
 */
function startWorker(data: TaskWorkerData | ReaderWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const source = JSON.stringify(new URL('./task-worker.ts', here).href);
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); })`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(builtWorkerPath(here), { workerData: data });
}

type AnswerOf<K extends TaskRequest['kind']> = Extract<TaskAnswer, { kind: K }>;

/** Starts `request` in a new worker; `onProgress` hears rows done out of rows to do. */
export function runTask<R extends TaskRequest>(request: R, onProgress: (done: number, total: number) => void): TaskHandle<AnswerOf<R['kind']>> {
  const cancel = new SharedArrayBuffer(4);
  const worker = startWorker({ request, cancel, kioskWriting: kioskTurn.buffer });
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

export interface LogReader {
  read(request: ReadRequest): Promise<ReadAnswer>;
  /** Ends the worker and its connection; a read after it starts a new one. */
  close(): Promise<void>;
}

/**
 * A read worker on the log at `dbPath`, started at the first read and kept: a dashboard costs a message each
 * way instead of a worker's start. Referenced only while a read is owed, so an idle reader never keeps a process
 * alive (a command line's report still gets its answer); if it dies, the reads it owed fail and the next read
 * starts another.
 */
export function logReader(dbPath: string): LogReader {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(answer: ReadAnswer): void; reject(error: Error): void }>();

  const failAll = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  const settled = (w: Worker) => {
    if (pending.size === 0) w.unref();
  };

  function started(): Worker {
    if (worker) return worker;
    const w = startWorker({ reader: { dbPath } });
    w.unref();
    w.on('message', (reply: ReadReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      settled(w);
      if (reply.ok) waiting?.resolve(reply.answer);
      else waiting?.reject(new Error(reply.message));
    });
    const gone = (error: Error) => {
      if (worker === w) worker = null;
      failAll(error);
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`the read worker stopped (exit ${code})`)));
    worker = w;
    return w;
  }

  return {
    read: (request) =>
      new Promise<ReadAnswer>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        const w = started();
        w.ref();
        w.postMessage({ id, request });
      }),
    close: async () => {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
