// How both shells serve the built renderer: file resolution inside its folder, content types, the CSP and the other security and cache headers.
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/** The Content-Security-Policy both shells send: everything from the app itself, nothing inline, nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // QR codes arrive as inline SVG markup, not as images; data: covers Vite's small assets.
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The types the renderer build emits; anything else is served as bytes the page cannot run. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A built file whose name carries its content hash (Vite's `assets/<name>-<hash>.js|css`): its bytes never
 * change under that name, and it is code, not data.
 */
const HASHED_ASSET = /\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|css)$/;

/**
 * The Cache-Control of a served path. Hashed code may stay in the (throw-away) profile's cache, so a reload (F5, a
 * renderer crash, the kiosk reopening) takes it from there instead of asking the server again. V8's code cache,
 * which would spare the compile too, serves classic scripts only in Chromium 156, not the renderer's modules
 * (measured: see #14's note). The page and everything else stay no-store: nothing an agent typed or saw is cached.
 */
export function cacheControlFor(path: string): string {
  return HASHED_ASSET.test(path) ? 'private, max-age=31536000, immutable' : 'no-store';
}

/** Every answer of either shell, file or API call, carries these; only content-type and cache-control vary. */
export function securityHeaders(contentType: string, cacheControl = 'no-store'): Record<string, string> {
  return {
    'content-type': contentType,
    // frame-ancestors needs a header (a meta tag cannot carry it); x-frame-options says the same to older readers.
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': cacheControl,
  };
}

/**
 * The regular file under `rendererDir` (already a real path) that a URL path names, `/` being index.html; null when
 * the path would leave the folder (`..`, encoded dots or backslashes, NUL, a symlink pointing out) or names anything
 * but a regular file (a folder, a socket, a device: reading those would fail or block, and a folder is no page).
 */
export async function staticFile(rendererDir: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  try {
    const real = await realpath(resolve(rendererDir, relative));
    if (!real.startsWith(rendererDir + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
