// End-to-end tests: the browser shell in the system Chromium; the same specs in Electron where its binary is installed.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, isRoot } from './tests/support/chromium';
import { electronBinary } from './tests/support/electron-binary';

if (electronBinary() === null && !process.env.PLAYWRIGHT_QUIET_ELECTRON) {
  console.log('e2e: the "electron" project is skipped: the Electron binary is not installed here (offline install).');
  process.env.PLAYWRIGHT_QUIET_ELECTRON = '1';
}

const chromium = {
  browserName: 'chromium' as const,
  // Chromium's sandbox cannot start as root; everywhere else it stays on.
  chromiumSandbox: !isRoot,
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
};

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'browser-shell', testIgnore: /screenshots\.spec|kiosk-lock\.spec/, use: chromium },
    { name: 'electron', testIgnore: /screenshots\.spec|browser-shell\.spec|kiosk-lock\.spec/, use: chromium },
    // The launched kiosk's own timings (the window back within 3 s) are measured once the other specs are done,
    // so that their Chromiums do not share the two cores with the Chromium being timed.
    { name: 'kiosk-lock', testMatch: /kiosk-lock\.spec/, dependencies: ['browser-shell'], use: chromium },
    { name: 'screenshots', testMatch: /screenshots\.spec/, use: chromium },
  ],
});
