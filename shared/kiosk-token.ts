// Where the browser shell's page keeps its per-launch token: the launcher puts it there over the DevTools pipe, the page's client reads it.

/** A session-storage key of the kiosk's tab (thrown away with Chromium's profile at exit). */
export const TOKEN_STORAGE_KEY = 'kiosk-token';
