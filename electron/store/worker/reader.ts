// The dashboards' read worker: one read-only connection kept for as long as the kiosk runs, answering each read in turn.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { readFigures } from '../figures';
import type { ReadMessage, ReadReply } from './protocol';

/**
 * Answers reads of the log at `dbPath` until the kiosk's thread ends the worker. Kept open rather than started per
 * request: a dashboard is asked for every few seconds, and a worker's start (its bundle, the connection, the
 * prepared statements) costs more than most of its reads.
 */
export function serveReads(dbPath: string): void {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  parentPort?.on('message', ({ id, request }: ReadMessage) => {
    let reply: ReadReply;
    try {
      reply = { id, ok: true, answer: readFigures(db, request.scope, request.plan) };
    } catch (error) {
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
  });
}
