// The IPC door: one handler per contract method, each refusing any sender but the kiosk window's main frame.
import type { KioskHandlers, Result } from '../../shared/contract';
import { dispatch } from '../transport/dispatch';
import { METHOD_NAMES } from '../../shared/methods';
import { isAppUrl } from './app-origin';
import { ipcChannel } from './ipc-channel';
import type { ShellLog } from './security/shell-log';

/** The fields of a WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: unknown;
}

/** The fields of an IpcMainInvokeEvent the sender check reads. */
export interface SenderEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** The fields of the kiosk BrowserWindow the sender check reads. */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: { readonly id: number; readonly mainFrame: FrameLike };
}

/**
 * True only for the kiosk window's own top frame showing the app. Any other contents, a
 * sub-frame, or a frame that navigated away could otherwise drive the engine with the
 * window's authority (VS Code's validateEvent, Electron security checklist item 17).
 */
export function isTrustedSender(event: SenderEventLike, window: WindowLike | null): boolean {
  if (window === null || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  const main = window.webContents.mainFrame;
  if (frame === null) return false;
  return (
    event.sender.id === window.webContents.id &&
    frame.parent === null &&
    frame.processId === main.processId &&
    frame.routingId === main.routingId &&
    isAppUrl(frame.url)
  );
}

/** The part of ipcMain the door uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEventLike, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions {
  ipcMain: IpcMainLike;
  handlers: KioskHandlers;
  /** The kiosk window, or null before it exists and after it is gone. */
  getWindow: () => WindowLike | null;
  log: ShellLog;
  onInternalError: (error: unknown) => void;
}

const REFUSED: Result<never> = { ok: false, error: { code: 'not_authorised', params: {} } };
const INTERNAL: Result<never> = { ok: false, error: { code: 'internal', params: {} } };

/**
 * Registers `kiosk:<method>` for every contract method and returns a function that removes
 * them. Input arrives as `unknown` and `dispatch` parses it; a result always travels as the
 * `{ ok, ... }` envelope because Electron would pass only a thrown error's message.
 */
export function registerIpc({ ipcMain, handlers, getWindow, log, onInternalError }: IpcOptions): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event, input) => {
      if (!isTrustedSender(event, getWindow())) {
        log('ipc-sender-refused', { method, url: event.senderFrame?.url ?? null });
        return REFUSED;
      }
      try {
        return await dispatch(handlers, method, input, onInternalError);
      } catch {
        // Only reachable if onInternalError itself throws; still nothing crosses the boundary.
        return INTERNAL;
      }
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
  };
}
