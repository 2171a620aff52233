import { ipcRenderer } from 'electron';
import type { KioskApi } from '../../shared/contract';
import { METHOD_NAMES } from '../../shared/methods';
import { ipcChannel } from './ipc-channel';
export const f = (api: KioskApi) => [ipcRenderer, api, METHOD_NAMES, ipcChannel];