// `npm start`: the Electron kiosk when its binary is installed, else the browser shell in the system Chromium.
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * better-sqlite3 is compiled for Node.js (tests, browser shell); Electron needs its own build. Loading
 * it with Electron's Node tells which one is installed, so the kiosk does not open out of service.
 */
function nativeModuleFitsElectron(binary) {
  const probe = spawnSync(binary, ['-e', "require('better-sqlite3')"], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return probe.status === 0;
}

function browserShell(reason) {
  console.log(`${reason}; starting the browser shell in Chromium instead.`);
  return spawn(process.execPath, [`${root}out/browser-shell/cli.mjs`, 'launch'], { stdio: 'inherit' });
}

const binary = electronBinary();
const child =
  binary === null
    ? browserShell('Electron is not installed here (no binary under node_modules/electron/dist)')
    : !nativeModuleFitsElectron(binary)
      ? browserShell('better-sqlite3 is built for Node.js, not for Electron (run `npx electron-rebuild -f -o better-sqlite3` for Electron, `npm rebuild better-sqlite3` to go back for the tests)')
      : spawn(binary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
