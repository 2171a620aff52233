// `npm run dev`: the renderer with hot reload (Vite) in a Chromium window, the engine behind the browser shell's API.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { defaultDataDir } from '../electron/data-dir';
import { openKiosk } from '../electron/kiosk';
import { findChromium, launchChromium } from '../electron/browser-shell/chromium';
import { showPage } from '../electron/browser-shell/kiosk-lock';
import { startShellServer } from '../electron/browser-shell/server';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = defaultDataDir();
const kiosk = await openKiosk({ dataDir, onInternalError: (error) => console.error('internal error:', error) });

const vitePort = Number(process.env.VITE_PORT ?? 5173);
const viteOrigin = `http://127.0.0.1:${vitePort}`;
const shell = await startShellServer({
  handlers: kiosk.handlers,
  rendererDir: `${root}renderer`,
  devOrigin: viteOrigin,
  onInternalError: (error) => console.error('internal error:', error),
  onRefused: ({ method, path, status, reason }) => console.warn(`refused ${method} ${path}: ${status} (${reason})`),
});

const vite = await createServer({
  configFile: `${root}vite.config.ts`,
  server: {
    port: vitePort,
    strictPort: true,
    // The API stays on the shell's server; changeOrigin makes the Host header the one it checks.
    proxy: { '/api': { target: shell.origin, changeOrigin: true } },
  },
});
await vite.listen();
const url = `${viteOrigin}/#token=${shell.token}`;
console.log(`Data folder: ${dataDir}\nKiosk (dev) URL: ${url}`);

const chromium = findChromium();
if (chromium !== null && process.env.KIOSK_NO_WINDOW !== '1') {
  // The URL goes over the DevTools pipe, not on Chromium's command line, like the kiosk's.
  const { cdp, exited } = await launchChromium(chromium, false);
  await showPage(cdp, url);
  void exited.then(async () => {
    await vite.close();
    await shell.close();
    kiosk.close();
    process.exit(0);
  });
}
