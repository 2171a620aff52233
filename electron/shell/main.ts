// The Electron main process: one hardened kiosk window over the engine, and the app's lifecycle.
import { join } from 'node:path';
import { BrowserWindow, Menu, app, ipcMain, protocol, safeStorage, session } from 'electron';
import type { KioskHandlers } from '../../shared/contract';
import { dispatch } from '../transport/dispatch';
import { APP_ENTRY_URL, APP_SCHEME } from './app-origin';
import { appProtocolHandler } from './app-protocol';
import { registerIpc } from './ipc';
import { openKioskOrOutOfService, type Kiosk } from '../kiosk';
import { keychainIdentityStore, keychainKeyStore } from './kiosk-keys';
import { createPrintToPdf, PDF_OPTIONS, pdfWindowOptions } from './print-to-pdf';
import { guardWindowClose, hardenWebContents } from './security/contents';
import { watchRenderer } from './security/renderer-watch';
import { APP_SCHEME_PRIVILEGES, guardSession } from './security/session';
import type { ShellLog } from './security/shell-log';
import { LOGGED_SHELL_EVENTS, shellEventDetails } from './shell-events';
import { windowOptions } from './window';

/** A packaged build is production: DevTools off, fuses flipped by electron-builder. */
const isProduction = app.isPackaged;

let kiosk: Kiosk | null = null;

/**
 * One JSON line per shell event on stderr, where the service manager (systemd, Windows) keeps it; the
 * events a supervisor should see (crashes, hangs, blocked requests) also go to the hash-chained log.
 */
const log: ShellLog = (event, details = {}) => {
  console.error(JSON.stringify({ at: new Date().toISOString(), shell: 'electron', event, ...details }));
  if (LOGGED_SHELL_EVENTS.has(event)) kiosk?.recordShellEvent(event.replaceAll('-', '_'), shellEventDetails(details));
};

const onInternalError = (error: unknown) =>
  log('internal-error', { message: error instanceof Error ? (error.stack ?? error.message) : String(error) });

// Both must happen before 'ready': schemes are fixed and renderers sandboxed from the first one on.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

// KIOSK_DATA_DIR moves userData, and with it the single-instance lock: one kiosk per data folder.
if (process.env.KIOSK_DATA_DIR) app.setPath('userData', process.env.KIOSK_DATA_DIR);

let kioskWindow: BrowserWindow | null = null;
let quitting = false;

function appFile(...parts: string[]): string {
  return join(app.getAppPath(), 'out', ...parts);
}

/** The engine on the data folder, or handlers answering out_of_service if it cannot open. */
async function openEngine(): Promise<KioskHandlers> {
  const dataDir = app.getPath('userData');
  const opened = await openKioskOrOutOfService(
    {
      dataDir,
      openKeyStore: async () => {
        const keyStore = await keychainKeyStore(dataDir, safeStorage, process.platform);
        log('engine-opening', { dataDir, keyStore: keyStore ? 'keychain' : 'key-file' });
        return keyStore;
      },
      // The identity's seed goes where the station key is: the keychain, or a 0600 file beside the log.
      openIdentityStore: (keyStore) => keychainIdentityStore(dataDir, keyStore, safeStorage),
      onInternalError,
      // The supervisor's "exit the kiosk": the one way out, so it is the one place the app quits itself.
      onExit: () => app.quit(),
      printToPdf: createPrintToPdf(() => new BrowserWindow(pdfWindowOptions())),
      // The agent's recap: the kiosk window's own print layout, which shows the recap sheet alone while it is open.
      printKioskToPdf: async () => {
        if (!kioskWindow || kioskWindow.isDestroyed()) throw new Error('no kiosk window to print');
        return new Uint8Array(await kioskWindow.webContents.printToPDF(PDF_OPTIONS));
      },
    },
    (error) => log('engine-failed', { message: error instanceof Error ? error.message : String(error) }),
  );
  kiosk = opened;
  return opened.handlers;
}

/** After a renderer crash or hang: the session it showed ends (abandoned), the page starts at welcome. */
async function backToWelcome(window: BrowserWindow, handlers: KioskHandlers): Promise<void> {
  // Refused with no_session when nothing was open: nothing to end then.
  await dispatch(handlers, 'cancel', {}, onInternalError);
  if (window.isDestroyed() || quitting) return;
  await window.loadURL(APP_ENTRY_URL).catch((error: unknown) => log('reload-failed', { message: String(error) }));
}

/** Time a window gets to paint before it is shown anyway, so a broken page is at least visible. */
const SHOW_FALLBACK_MS = 10_000;

function createWindow(handlers: KioskHandlers): BrowserWindow {
  const window = new BrowserWindow(windowOptions(appFile('preload', 'preload.cjs'), isProduction));
  const show = () => {
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  };
  window.once('ready-to-show', show);
  setTimeout(show, SHOW_FALLBACK_MS).unref();
  guardWindowClose(window, () => quitting, log);
  // Windows logoff or shutdown: no before-quit comes, so the log is closed here.
  window.on('session-end', () => {
    quitting = true;
    kiosk?.close();
    kiosk = null;
  });
  window.on('closed', () => {
    if (kioskWindow === window) kioskWindow = null;
  });
  window.webContents.on('did-fail-load', (_event, code, description, url) => log('load-failed', { code, description, url }));
  watchRenderer(window.webContents, {
    log,
    isQuitting: () => quitting,
    recover: () => void backToWelcome(window, handlers),
  });
  void window.loadURL(APP_ENTRY_URL).catch((error: unknown) => log('load-failed', { message: String(error) }));
  return window;
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(null);
  guardSession(session.defaultSession, { isProduction, log });
  protocol.handle(APP_SCHEME, appProtocolHandler(appFile('renderer')));
  const handlers = await openEngine();
  registerIpc({ ipcMain, handlers, getWindow: () => kioskWindow, log, onInternalError });
  kioskWindow = createWindow(handlers);
}

function focusKiosk(): void {
  if (kioskWindow === null || kioskWindow.isDestroyed()) return;
  if (kioskWindow.isMinimized()) kioskWindow.restore();
  kioskWindow.show();
  kioskWindow.focus();
}

if (!app.requestSingleInstanceLock()) {
  // Another kiosk runs on this data folder: it takes the focus ('second-instance'), this one leaves.
  app.quit();
} else {
  // An error dialog over the kiosk would strand an agent; the error is logged and the kiosk keeps running.
  process.on('uncaughtException', onInternalError);
  process.on('unhandledRejection', onInternalError);
  app.on('second-instance', focusKiosk);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { isProduction, log }));
  // GPU or utility process crashes: Chromium restarts them itself; the log says why the screen flickered.
  app.on('child-process-gone', (_event, details) => log('child-process-gone', { type: details.type, reason: details.reason }));
  app.on('before-quit', () => {
    quitting = true;
  });
  // will-quit, not before-quit: by now every window is closed, so no IPC call can reach a closed log.
  app.on('will-quit', () => {
    kiosk?.close();
    kiosk = null;
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      onInternalError(error);
      app.exit(1);
    });
}
