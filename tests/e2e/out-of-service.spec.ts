// A station that cannot keep its log says so in full screen, with the reason for the supervisor, and never a stack trace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/kiosk';
import { startBrowserShell } from '../support/kiosk';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test('on a read-only data folder the kiosk opens on the out-of-service screen with the reason', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', 'browser shell only');
  // Root ignores file modes: a read-only mount is the honest way to refuse writes (mount needs root).
  test.skip(!isRoot, 'needs root to mount a read-only tmpfs');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-ro-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', dir]);
  const shell = await startBrowserShell(dir);
  try {
    const page = await browser.newPage();
    await page.goto(shell.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Borne momentanément indisponible');
    await expect(page.getByTestId('out-of-service-reason')).toContainText('lecture seule');
    await expect(page.getByTestId('start')).toHaveCount(0);
    expect(await page.content()).not.toMatch(/EROFS|at .*\.js:\d+/);
    await page.close();
  } finally {
    await shell.stop();
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
