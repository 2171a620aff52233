// Serves the built renderer at app://kiosk/ through the transport both shells share (files, CSP and headers).
import { readFile, realpath } from 'node:fs/promises';
import { cacheControlFor, contentTypeOf, securityHeaders, staticFile } from '../transport/static-files';
import { isAppUrl } from './app-origin';

const TEXT = 'text/plain; charset=utf-8';

/** The protocol.handle handler for app://: GET and HEAD of the renderer's files, nothing else. */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  // Resolved once: staticFile compares real paths, and the folder does not move while the app runs.
  let root: Promise<string> | undefined;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: securityHeaders(TEXT) });
    const file = isAppUrl(request.url) ? await staticFile(await (root ??= realpath(rendererDir)), new URL(request.url).pathname) : null;
    const body = file === null ? null : await readFile(file).catch(() => null);
    if (file === null || body === null) return new Response(null, { status: 404, headers: securityHeaders(TEXT) });
    const headers = securityHeaders(contentTypeOf(file), cacheControlFor(new URL(request.url).pathname));
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
