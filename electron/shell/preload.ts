// The preload: exposes the contract's methods as window.kiosk, one function per method, and nothing else.
// It runs sandboxed, so it is bundled into one file that requires only 'electron' (no zod: types only).
import { contextBridge, ipcRenderer } from 'electron';
import type { KioskApi } from '../../shared/contract';
import { METHOD_NAMES } from '../../shared/methods';
import { ipcChannel } from './ipc-channel';

/**
 * Each function takes exactly one argument and forwards only that: the page never sees
 * ipcRenderer, an event object or a channel it could choose, so it can reach nothing but the
 * contract (electron-vite / Electron security checklist item 20).
 */
function buildApi(): KioskApi {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of METHOD_NAMES) {
    const channel = ipcChannel(name);
    api[name] = (input: unknown) => ipcRenderer.invoke(channel, input);
  }
  // The shape is the contract's by construction (one entry per METHOD_NAMES entry); the
  // main process parses every input and output against the schemas anyway.
  return api as KioskApi;
}

contextBridge.exposeInMainWorld('kiosk', buildApi());
