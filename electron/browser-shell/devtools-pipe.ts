// A Chrome DevTools Protocol client over `--remote-debugging-pipe` (fds 3 and 4): no TCP port another local account could reach.
import type { Readable, Writable } from 'node:stream';

/** A CDP event: from the browser (no sessionId) or from an attached target's session. */
export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

export interface CdpClient {
  /** Sends a command and resolves with its result; rejects with the protocol's error message. */
  send(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<Record<string, unknown>>;
  onEvent(listener: (event: CdpEvent) => void): void;
  /** Resolves when the pipe closes (Chromium exited or closed it). */
  closed: Promise<void>;
}

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/**
 * Chromium reads commands on its fd 3 and writes answers and events on its fd 4, each message one
 * JSON object followed by a NUL byte (the pipe transport of Chromium's DevTools, as Puppeteer and
 * Playwright use it).
 */
export function createCdpClient(toChromium: Writable, fromChromium: Readable): CdpClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners: ((event: CdpEvent) => void)[] = [];
  let buffer = Buffer.alloc(0);
  let isClosed = false;

  const closed = new Promise<void>((resolveClosed) => {
    const close = () => {
      if (isClosed) return;
      isClosed = true;
      for (const { reject } of pending.values()) reject(new Error('DevTools pipe closed'));
      pending.clear();
      resolveClosed();
    };
    // A write after Chromium went answers EPIPE: the pipe is closed, not the launcher broken.
    fromChromium.on('end', close);
    fromChromium.on('close', close);
    fromChromium.on('error', close);
    toChromium.on('error', close);
  });

  function dispatchMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { id, result, error, method, params, sessionId } = message as Record<string, unknown>;
    if (typeof id === 'number') {
      const waiter = pending.get(id);
      if (!waiter) return;
      pending.delete(id);
      if (typeof error === 'object' && error !== null) {
        waiter.reject(new Error(String((error as { message?: unknown }).message ?? 'CDP error')));
      } else {
        waiter.resolve(typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {});
      }
      return;
    }
    if (typeof method !== 'string') return;
    const event: CdpEvent = {
      method,
      params: typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {},
      ...(typeof sessionId === 'string' ? { sessionId } : {}),
    };
    for (const listener of listeners) listener(event);
  }

  fromChromium.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    let end = buffer.indexOf(0);
    while (end !== -1) {
      dispatchMessage(buffer.subarray(0, end).toString('utf8'));
      buffer = buffer.subarray(end + 1);
      end = buffer.indexOf(0);
    }
  });

  return {
    send(method, params = {}, sessionId) {
      if (isClosed) return Promise.reject(new Error('DevTools pipe closed'));
      const id = nextId++;
      return new Promise((resolveSend, reject) => {
        pending.set(id, { resolve: resolveSend, reject });
        toChromium.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    closed,
  };
}
