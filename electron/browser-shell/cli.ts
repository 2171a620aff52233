// `serve`: the browser shell's server alone, printing the kiosk URL; `launch`: the server and the system Chromium as the kiosk window.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAFE_STORAGE_KEY_FILE } from '../safe-storage-key-store';
import { openKioskOrOutOfService } from '../kiosk';
import { defaultDataDir } from '../data-dir';
import { findChromium, launchChromium } from './chromium';
import { startShellServer } from './server';

const RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

async function main(command: string): Promise<void> {
  const dataDir = defaultDataDir();
  if (existsSync(join(dataDir, SAFE_STORAGE_KEY_FILE))) {
    // The Electron shell sealed this station's key in the OS keychain: a new key file here would make
    // every stored secret unreadable, so refuse rather than start a second, incompatible key.
    throw new Error(
      `the station key of ${dataDir} is held by the Electron kiosk's keychain; start the Electron kiosk, or give the browser shell its own KIOSK_DATA_DIR`,
    );
  }
  // The supervisor's "Exit the kiosk": bound below, once there is a server and a window to close.
  let exitKiosk = () => {};
  const kiosk = await openKioskOrOutOfService(
    {
      dataDir,
      onInternalError: (error) => console.error('internal error:', error),
      onExit: () => exitKiosk(),
    },
    // The page still opens, on the out-of-service screen with the reason for the supervisor: never a blank window.
    (error) => console.error(`The kiosk cannot open its data folder ${dataDir}:`, error instanceof Error ? error.message : error),
  );
  const server = await startShellServer({
    handlers: kiosk.handlers,
    rendererDir: RENDERER_DIR,
    port: Number(process.env.KIOSK_PORT ?? 0),
    onInternalError: (error) => console.error('internal error:', error),
    onRefused: ({ method, path, status, reason }) => console.warn(`refused ${method} ${path}: ${status} (${reason})`),
  });
  let closing = false;
  let kioskWindow: ChildProcess | null = null;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    // Chromium would outlive this process and show a dead kiosk: it goes first.
    kioskWindow?.kill('SIGTERM');
    await server.close();
    kiosk.close();
    process.exit(code);
  };
  exitKiosk = () => {
    console.log('The supervisor closed the kiosk.');
    void shutdown(0);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  console.log(`Data folder: ${dataDir}`);
  if (command === 'serve') {
    // The token is in the fragment: whoever has this line can use the kiosk, so it is printed only here.
    console.log(`Kiosk URL: ${server.url}`);
    return;
  }
  const chromium = findChromium();
  if (chromium === null) {
    console.error('No Chromium found (set CHROMIUM_PATH, or on Debian: apt-get install chromium). Kiosk URL:', server.url);
    return;
  }
  const { child, exited } = await launchChromium(chromium, server.url, process.env.KIOSK_WINDOWED !== '1');
  kioskWindow = child;
  console.log(`Kiosk open in ${chromium}; close its window (Alt+F4) to stop.`);
  await exited;
  await shutdown(0);
}

const command = process.argv[2] ?? 'launch';
if (command !== 'serve' && command !== 'launch') {
  console.error('usage: cli.mjs serve|launch');
  process.exit(2);
}
main(command).catch((error: unknown) => {
  console.error('The kiosk could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
