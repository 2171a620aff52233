// The browser shell's loopback server: serves the built renderer and the KioskApi to the one page holding the launch token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KioskHandlers } from '../../shared/contract';
import { dispatch } from '../transport/dispatch';
import { cacheControlFor, contentTypeOf, securityHeaders, staticFile } from '../transport/static-files';

/** Bodies above this are refused before parsing: no contract input comes close (the longest is an e-mail). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ShellServerOptions {
  handlers: KioskHandlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Another origin allowed to call the API: the Vite dev server in `npm run dev`, never in production. */
  devOrigin?: string;
  onInternalError?: (error: unknown) => void;
  /** Refused requests, for the console: method, path, status. Never the body. */
  onRefused?: (refusal: { method: string; path: string; status: number; reason: string }) => void;
}

export interface ShellServer {
  /** The URL to open: the token travels in the fragment, which browsers never send to the server. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new Refusal(413, 'body too large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Refusal(413, 'body too large'));
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: string | Buffer, type: string, cacheControl = 'no-store'): void {
  response.writeHead(status, { ...securityHeaders(type, cacheControl), 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export async function startShellServer(options: ShellServerOptions): Promise<ShellServer> {
  const token = randomBytes(32).toString('hex');
  const rendererDir = await realpath(options.rendererDir);
  const server = createServer();
  let origin = '';
  let host = '';

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== 'POST') throw new Refusal(405, 'POST only');
    // CSRF: a page of another origin could POST here; browsers always send Origin on a cross-origin POST.
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== origin && (options.devOrigin === undefined || requestOrigin !== options.devOrigin)) {
      throw new Refusal(403, 'origin');
    }
    const given = request.headers['x-kiosk-token'];
    if (!sameToken(typeof given === 'string' ? given : undefined, token)) throw new Refusal(401, 'token');
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new Refusal(415, 'content type');
    const raw = await readBody(request);
    let input: unknown;
    try {
      input = raw === '' ? {} : JSON.parse(raw);
    } catch {
      throw new Refusal(400, 'malformed JSON');
    }
    const result = await dispatch(options.handlers, method, input, options.onInternalError);
    if (!result.ok && result.error.code === 'unknown_method') throw new Refusal(404, 'unknown method');
    send(response, 200, JSON.stringify(result), 'application/json; charset=utf-8');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still carries its own Host header.
    if (request.headers.host !== host) throw new Refusal(403, 'host');
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/')) {
      await handleApi(request, response, path.slice('/api/'.length));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new Refusal(405, 'GET only');
    const file = await staticFile(rendererDir, path);
    if (file === null) throw new Refusal(404, 'not found');
    const body = await readFile(file);
    send(response, 200, request.method === 'HEAD' ? '' : body, contentTypeOf(file), cacheControlFor(path));
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof Refusal ? error.status : 500;
      const reason = error instanceof Refusal ? error.reason : 'internal';
      if (!(error instanceof Refusal)) options.onInternalError?.(error);
      options.onRefused?.({ method: request.method ?? '', path: (request.url ?? '').split('?')[0] ?? '', status, reason });
      if (!response.headersSent) send(response, status, JSON.stringify({ error: reason }), 'application/json; charset=utf-8');
      // Leave the socket to end on its own: destroying it would lose the status on an oversized upload.
      request.resume();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
