// What a served file may leave in Chromium's caches: content-hashed code for good, anything else never.

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
