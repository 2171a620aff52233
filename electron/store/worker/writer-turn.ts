// Whose turn it is to write the log: the kiosk's thread says when it wants to write, and a worker's long write (an import's or a purge's steps) waits between two of its steps until it has.
/**
 * SQLite has no queue for its write lock: a writer that finds it taken sleeps and tries again (after 1, 2, 5 …
 * 100 ms), and a worker committing one step after another can take it again each time before the sleeper wakes.
 * An agent's write then waited 340–430 ms behind an import of 4,096-row steps. The kiosk's thread raises this
 * count while it writes; a worker reads it before each step and, while it is raised, lets the kiosk go first.
 */
export interface WriterTurn {
  /** Shared with every task worker (in its workerData). */
  readonly buffer: SharedArrayBuffer;
  /** On the kiosk's thread: runs `write` (one transaction) with the worker's next step held back meanwhile. */
  kioskWrites<T>(write: () => T): T;
}

export function createWriterTurn(buffer = new SharedArrayBuffer(4)): WriterTurn {
  const waiting = new Int32Array(buffer);
  return {
    buffer,
    kioskWrites(write) {
      Atomics.add(waiting, 0, 1);
      try {
        return write();
      } finally {
        Atomics.sub(waiting, 0, 1);
        Atomics.notify(waiting, 0);
      }
    },
  };
}

/** The one turn of this process's kiosk thread: its transactions (store/port.ts, supervisor-log.ts) announce themselves on it. */
export const kioskTurn = createWriterTurn();

/**
 * In a worker, before each step that writes: waits while the kiosk's thread is writing, at most `limitMs`
 * (a count left raised by a bug must slow the task, not stop it).
 */
export function letTheKioskWriteFirst(buffer: SharedArrayBuffer, limitMs = 1000): void {
  const waiting = new Int32Array(buffer);
  const until = Date.now() + limitMs;
  for (let seen = Atomics.load(waiting, 0); seen > 0 && Date.now() < until; seen = Atomics.load(waiting, 0)) {
    Atomics.wait(waiting, 0, seen, 20);
  }
}
