// Where the kiosk keeps its SQLite file and key file: KIOSK_DATA_DIR, else the OS's per-user app-data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Enrolment Kiosk';

/**
 * The same folder Electron's app.getPath('userData') gives for this productName, so the
 * Electron shell and the browser shell share one log on a station.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.KIOSK_DATA_DIR) return env.KIOSK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}
