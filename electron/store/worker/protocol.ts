// What the kiosk's thread and the supervisor-task worker say to each other: one task in, progress and one answer out.
import type { ErrorCode, ErrorParams } from '../../../shared/errors';
import type { ImportResult } from '../../engine/supervisor/domain';
import type { BundleManifest } from '../bundle';
import type { LogVerification } from '../verify';

/** Each task opens the log at `dbPath` on its own connection; none appends to the chain (the kiosk's thread does). */
export type TaskRequest =
  | { kind: 'verify'; dbPath: string; fingerprint?: string }
  | { kind: 'integrity'; dbPath: string }
  | { kind: 'snapshot'; dbPath: string; scratch: string; signer: { stationId: string; publicKey: Uint8Array; fingerprint: string }; at: number }
  | {
      kind: 'import';
      dbPath: string;
      file: string;
      scratchDir: string;
      stationId: string;
      publicKey: Uint8Array;
      at: number;
      trust?: string;
    };

export type TaskAnswer =
  | { kind: 'verify'; verification: LogVerification }
  | { kind: 'integrity'; ok: boolean }
  | { kind: 'snapshot'; manifest: BundleManifest }
  | { kind: 'import'; result: ImportResult };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; answer: TaskAnswer }
  | { type: 'refused'; code: ErrorCode; params: ErrorParams }
  | { type: 'failed'; message: string };

/** The worker's data: the task, and one shared flag the kiosk's thread sets to cancel (read between rows). */
export interface TaskWorkerData {
  request: TaskRequest;
  cancel: SharedArrayBuffer;
}
