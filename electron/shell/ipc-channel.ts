// The IPC channel name of a contract method, shared by the preload and ipc.ts so neither spells it alone.
import type { MethodName } from '../../shared/methods';

export const IPC_PREFIX = 'kiosk:';

export function ipcChannel(method: MethodName): `kiosk:${MethodName}` {
  return `${IPC_PREFIX}${method}`;
}
