// Starts a kiosk for one test: the built browser shell (or Electron when installed) on a fresh data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi } from './api';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary, REPO_ROOT } from './electron-binary';

export interface ShellProcess {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `node out/browser-shell/cli.mjs serve` on `dataDir` and waits for the URL it prints. */
export async function startBrowserShell(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ShellProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'out/browser-shell/cli.mjs'), 'serve'], {
    env: { ...process.env, ...env, KIOSK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser shell did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kiosk URL: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser shell exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    dataDir,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

/** The supervisor passphrase the fixture's first-run setup sets; console tests open the console with it. */
export const E2E_PASSPHRASE = 'Phrase-de-passe-e2e';

export const E2E_SETUP = {
  stationName: 'PIF e2e',
  passphrase: E2E_PASSPHRASE,
  passphraseConfirm: E2E_PASSPHRASE,
  mode: 'enrolment',
  language: 'fr',
} as const;

/**
 * Runs the first-run wizard's own method (completeSetup) over the browser shell's API, as the page
 * would: same origin, same token. Not a back door: it is the method the wizard screen calls.
 */
export async function completeSetupOverHttp(shell: ShellProcess, setup: Record<string, string> = E2E_SETUP): Promise<void> {
  const result = await callApi(shell, 'completeSetup', setup);
  if (!result.ok) throw new Error(`completeSetup: ${JSON.stringify(result.error)}`);
}

export interface KioskFixture {
  page: Page;
  dataDir: string;
  /** The browser shell's process; null when the test runs against Electron. */
  shell: ShellProcess | null;
}

export interface KioskOptions {
  /** 'complete' (default): the station is set up before the page opens; 'wizard': the test goes through the first-run wizard. */
  kioskSetup: 'complete' | 'wizard';
}

export const test = base.extend<KioskOptions & { kiosk: KioskFixture }>({
  kioskSetup: ['complete', { option: true }],
  kiosk: async ({ browser, kioskSetup }, use, testInfo) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-'));
    try {
      if (testInfo.project.name === 'electron') {
        const binary = electronBinary();
        test.skip(binary === null, 'Electron binary not installed (node_modules/electron/path.txt or dist/ missing)');
        const app: ElectronApplication = await _electron.launch({
          executablePath: binary ?? '',
          args: [REPO_ROOT],
          env: { ...process.env, KIOSK_DATA_DIR: dataDir },
        });
        try {
          const page = await app.firstWindow();
          if (kioskSetup === 'complete') {
            // The preload's contract function, as the wizard screen would call it; then the page starts over set up.
            await page.evaluate(async (setup) => {
              const api = (globalThis as unknown as { kiosk?: Record<string, (input: unknown) => Promise<unknown>> }).kiosk;
              await api?.completeSetup?.(setup);
            }, E2E_SETUP);
            await page.reload();
          }
          await use({ page, dataDir, shell: null });
        } finally {
          await app.close();
        }
        return;
      }
      const shell = await startBrowserShell(dataDir);
      // The server is stopped whatever fails after it started, so no kiosk outlives its test.
      try {
        if (kioskSetup === 'complete') await completeSetupOverHttp(shell);
        const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
        try {
          const page = await context.newPage();
          await page.goto(shell.url);
          // The app mounts once the engine has answered the page's startPage: a test that drives the API itself
          // must not have its session ended by a startPage still on its way.
          await page.locator('#app > *').first().waitFor();
          await use({ page, dataDir, shell });
        } finally {
          await context.close();
        }
      } finally {
        await shell.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
