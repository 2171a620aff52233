// What the kiosk's thread and the supervisor's workers say to each other: a task in, progress and one answer out; a read in, its answer out.
import type { ErrorCode, ErrorParams } from '../../../shared/errors';
import type { CsvFormat } from '../../engine/supervisor/csv-labels';
import type { ImportResult, PurgeCounts, TableExportKind } from '../../engine/supervisor/domain';
import type { FigurePlan, FigureScope, FigureSet } from '../../engine/supervisor/ports';
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
    }
  | { kind: 'export'; dbPath: string; table: TableExportKind; file: string; format: CsvFormat }
  | { kind: 'purge'; dbPath: string; now: number; retentionDays: number };

export type TaskAnswer =
  | { kind: 'verify'; verification: LogVerification }
  | { kind: 'integrity'; ok: boolean }
  | { kind: 'snapshot'; manifest: BundleManifest }
  | { kind: 'import'; result: ImportResult }
  | { kind: 'export'; rows: number }
  /** What the steps removed; `cancelled` when a cancel stopped them before the end. */
  | { kind: 'purge'; counts: PurgeCounts; cancelled: boolean };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; answer: TaskAnswer }
  | { type: 'refused'; code: ErrorCode; params: ErrorParams }
  | { type: 'failed'; message: string };

/** The worker's data: the task, and one shared flag the kiosk's thread sets to cancel (read between rows). */
export interface TaskWorkerData {
  request: TaskRequest;
  cancel: SharedArrayBuffer;
  /** The kiosk thread's writer turn (writer-turn.ts): a task's write steps let the kiosk's own writes go first. */
  kioskWriting: SharedArrayBuffer;
}

/** The read worker's data: the log it reads for as long as the kiosk runs, read-only. */
export interface ReaderWorkerData {
  reader: { dbPath: string };
}

export type ReadRequest = { kind: 'figures'; scope: FigureScope; plan: FigurePlan };
export type ReadAnswer = FigureSet;

export interface ReadMessage {
  id: number;
  request: ReadRequest;
}

export type ReadReply = { id: number; ok: true; answer: ReadAnswer } | { id: number; ok: false; message: string };
