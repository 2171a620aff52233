// The supervisor's worker: a task (verify, import, a bundle's snapshot, an export, a purge, the integrity check) or the dashboards' reads, on a connection of its own, so the kiosk's thread keeps answering.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { KioskError } from '../../../shared/errors';
import { snapshotLog } from '../bundle';
import { checkAndMerge } from '../import';
import { applyWritePragmas } from '../open';
import { planPurge, runPurgeSteps } from '../retention';
import { exportTableCsv } from '../supervisor-export';
import { verifyLog } from '../verify';
import type { ReaderWorkerData, TaskAnswer, TaskRequest, TaskWorkerData, WorkerMessage } from './protocol';
import { serveReads } from './reader';
import { letTheKioskWriteFirst } from './writer-turn';

const post = (message: WorkerMessage) => parentPort?.postMessage(message);

async function run(request: TaskRequest, isCancelled: () => boolean, beforeWrite: () => void): Promise<TaskAnswer> {
  if (request.kind === 'export') {
    const db = new Database(request.dbPath, { readonly: true, fileMustExist: true });
    try {
      const onProgress = (done: number, total: number) => post({ type: 'progress', done, total });
      return { kind: 'export', rows: await exportTableCsv(db, request.table, request.file, onProgress, request.format, isCancelled) };
    } finally {
      db.close();
    }
  }
  if (request.kind === 'purge') {
    const db = new Database(request.dbPath, { fileMustExist: true });
    try {
      applyWritePragmas(db);
      const plan = planPurge(db, request.now, request.retentionDays);
      const counts = runPurgeSteps(db, plan, { isCancelled, beforeWrite, onProgress: (done, total) => post({ type: 'progress', done, total }) });
      return { kind: 'purge', counts, cancelled: isCancelled() };
    } finally {
      db.close();
    }
  }
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
      const total = db.prepare<[], number>('SELECT count(*) FROM events').pluck().get() ?? 0;
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
        beforeWrite,
        onProgress: (done, total) => post({ type: 'progress', done, total }),
        ...(request.trust === undefined ? {} : { trust: request.trust }),
      },
    );
    return { kind: 'import', result };
  } finally {
    db.close();
  }
}

const data = workerData as TaskWorkerData | ReaderWorkerData;
if ('reader' in data) {
  serveReads(data.reader.dbPath);
} else {
  const cancelled = new Int32Array(data.cancel);
  run(data.request, () => Atomics.load(cancelled, 0) === 1, () => letTheKioskWriteFirst(data.kioskWriting)).then(
    (answer) => post({ type: 'done', answer }),
    (error: unknown) =>
      post(
        error instanceof KioskError
          ? { type: 'refused', code: error.code, params: error.params }
          : { type: 'failed', message: error instanceof Error ? error.message : String(error) },
      ),
  );
}
