// Serves the built renderer at app://kiosk/ with the CSP as a response header (frame-ancestors needs a header).
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { cacheControlFor } from '../../shared/asset-cache';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { isAppUrl } from './app-origin';

/** The types the renderer build emits; anything else is served as bytes the page cannot run. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rendererDir` an app URL names, or null when the URL is not the app's or
 * would climb out of the folder (encoded dots, backslashes, NUL).
 */
export function appFileFor(url: string, rendererDir: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${pathname}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

function securityHeaders(contentType: string, cacheControl = 'no-store'): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    // The page is never stored (a new build shows at once); hashed code may be (shared/asset-cache.ts says why).
    'cache-control': cacheControl,
  };
}

/** The protocol.handle handler for app://: GET and HEAD of the renderer's files, nothing else. */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: securityHeaders('text/plain; charset=utf-8') });
    }
    const file = appFileFor(request.url, rendererDir);
    if (file === null) return new Response(null, { status: 404, headers: securityHeaders('text/plain; charset=utf-8') });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return new Response(null, { status: 404, headers: securityHeaders('text/plain; charset=utf-8') });
    }
    const headers = securityHeaders(contentTypeOf(file), cacheControlFor(new URL(request.url).pathname));
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
