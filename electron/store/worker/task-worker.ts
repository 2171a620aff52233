// The supervisor-task worker: verify, import, a bundle's snapshot and the integrity check on a connection of its own, so the kiosk's thread keeps answering.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { KioskError } from '../../../shared/errors';
import { snapshotLog } from '../bundle';
import { checkAndMerge } from '../import';
import { applyWritePragmas } from '../open';
import { verifyLog } from '../verify';
import type { TaskAnswer, TaskWorkerData, WorkerMessage } from './protocol';

const { request, cancel } = workerData as TaskWorkerData;
const cancelled = new Int32Array(cancel);
const post = (message: WorkerMessage) => parentPort?.postMessage(message);
const isCancelled = () => Atomics.load(cancelled, 0) === 1;

async function run(): Promise<TaskAnswer> {
  if (request.kind === 'snapshot') {
    const db = new Database(request.dbPath, { readonly: true, fileMustExist: true });
    try {
      const { signer } = request;
      return { kind: 'snapshot', manifest: snapshotLog(db, request.scratch, { ...signer, publicKey: Buffer.from(signer.publicKey) }, request.at) };
    } finally {
      db.close();
    }
  }
  if (request.kind === 'integrity') {
    const db = new Database(request.dbPath, { readonly: true, fileMustExist: true });
    try {
      return { kind: 'integrity', ok: db.pragma('quick_check', { simple: true }) === 'ok' };
    } catch {
      return { kind: 'integrity', ok: false };
    } finally {
      db.close();
    }
  }
  if (request.kind === 'verify') {
    // Read-only: a verification must not write, and in WAL mode it never waits for the kiosk's writes.
    const db = new Database(request.dbPath, { readonly: true, fileMustExist: true });
    try {
      const total = Number((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);
      const verification = verifyLog(db, {
        ...(request.fingerprint === undefined ? {} : { fingerprint: request.fingerprint }),
        onProgress: (done) => {
          if (isCancelled()) throw new KioskError('task_cancelled');
          post({ type: 'progress', done, total });
        },
      });
      return { kind: 'verify', verification };
    } finally {
      db.close();
    }
  }
  const db = new Database(request.dbPath, { fileMustExist: true });
  try {
    applyWritePragmas(db);
    const result = await checkAndMerge(
      db,
      { stationId: request.stationId, publicKey: Buffer.from(request.publicKey) },
      request.file,
      request.at,
      {
        scratchDir: request.scratchDir,
        isCancelled,
        onProgress: (done, total) => post({ type: 'progress', done, total }),
        ...(request.trust === undefined ? {} : { trust: request.trust }),
      },
    );
    return { kind: 'import', result };
  } finally {
    db.close();
  }
}

run().then(
  (answer) => post({ type: 'done', answer }),
  (error: unknown) =>
    post(
      error instanceof KioskError
        ? { type: 'refused', code: error.code, params: error.params }
        : { type: 'failed', message: error instanceof Error ? error.message : String(error) },
    ),
);
