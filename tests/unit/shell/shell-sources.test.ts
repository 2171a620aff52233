// Static checks over the Electron shell's sources: no setting that undoes the hardening (main.test.ts boots main.ts itself).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const electronDir = fileURLToPath(new URL('../../../electron', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The shell files (electron/shell/**): the only ones allowed to touch Electron's settings. */
const shellDir = join(electronDir, 'shell');
const shellFiles = tsFiles(shellDir);
const allFiles = tsFiles(electronDir);
const read = (file: string) => readFileSync(file, 'utf8');
const source = (name: string) => read(join(shellDir, name));

describe('the Electron shell sources', () => {
  it('exist (the checks below would pass vacuously otherwise)', () => {
    expect(shellFiles.map((f) => relative(shellDir, f))).toEqual(
      expect.arrayContaining(['main.ts', 'window.ts', join('security', 'contents.ts'), join('security', 'session.ts'), 'preload.ts', 'ipc.ts']),
    );
  });

  it.each([
    ['nodeIntegration switched on', /nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/],
    ['context isolation switched off', /contextIsolation\s*:\s*false/],
    ['the sandbox switched off', /sandbox\s*:\s*false|no-sandbox|disable-sandbox/],
    ['web security switched off', /webSecurity\s*:\s*false|disable-web-security/],
    ['insecure content allowed', /allowRunningInsecureContent\s*:\s*true/],
    ['the <webview> tag enabled', /webviewTag\s*:\s*true/],
    ['experimental features enabled', /experimentalFeatures\s*:\s*true/],
    ['the remote module', /enableRemoteModule|@electron\/remote/],
    ['DevTools opened by code', /openDevTools\s*\(/],
    ['a privileged scheme that bypasses the CSP', /bypassCSP\s*:\s*true/],
  ])('never contain %s', (_what, pattern) => {
    for (const file of shellFiles) expect(read(file), relative(electronDir, file)).not.toMatch(pattern);
  });

  it('never open anything outside the kiosk (no shell.openExternal anywhere under electron/)', () => {
    for (const file of allFiles) expect(read(file), relative(electronDir, file)).not.toMatch(/openExternal|openPath\s*\(/);
  });
});

describe('preload.ts', () => {
  const preload = source('preload.ts');

  it('exposes one object, and never ipcRenderer itself or a generic send', () => {
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
    const uses = [...preload.matchAll(/ipcRenderer\.(\w+)/g)].map((m) => m[1]);
    expect(new Set(uses)).toEqual(new Set(['invoke']));
  });
});

const rendererDir = fileURLToPath(new URL('../../../renderer/src', import.meta.url));
const agentFlowFiles = readdirSync(rendererDir, { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && /\.(vue|ts)$/.test(entry.name))
  .map((entry) => join(entry.parentPath, entry.name))
  // The supervisor's console is not what an agent alone at the station reaches.
  .filter((file) => !relative(rendererDir, file).startsWith('console'));

describe("the agent's recap leaves through a path the kiosk controls", () => {
  it('never through the print dialog: no agent screen calls print()', () => {
    expect(agentFlowFiles.map((f) => relative(rendererDir, f))).toEqual(expect.arrayContaining([join('steps', 'Done.vue'), join('components', 'RecapDialog.vue')]));
    for (const file of agentFlowFiles) expect(read(file), relative(rendererDir, file)).not.toMatch(/\bprint\s*\(/);
  });

  it('never through a file chooser or a message box: the shell opens no dialog, and prints the kiosk window to PDF itself', () => {
    for (const file of shellFiles) {
      expect(read(file), relative(shellDir, file)).not.toMatch(/\bdialog\b.*from 'electron'|showSaveDialog|showOpenDialog|\.print\s*\(/);
    }
    expect(source('main.ts')).toMatch(/printKioskToPdf: async \(\) => \{[\s\S]*?kioskWindow\.webContents\.printToPDF\(PDF_OPTIONS\)/);
  });
});
