// `npm start`: the Electron kiosk when its binary is installed, else the browser shell in the system Chromium.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = `${root}node_modules/electron/`;

// Never require('electron') here: on Electron 45 that starts a download of the binary.
function electronBinary() {
  const pathFile = `${electronDir}path.txt`;
  if (!existsSync(pathFile)) return null;
  const binary = `${electronDir}dist/${readFileSync(pathFile, 'utf8').trim()}`;
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const child = binary
  ? spawn(binary, [root], { stdio: 'inherit' })
  : (console.log('Electron is not installed here (no binary under node_modules/electron/dist); starting the browser shell in Chromium instead.'),
    spawn(process.execPath, [`${root}out/browser-shell/cli.mjs`, 'launch'], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
