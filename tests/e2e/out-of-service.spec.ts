// A station that cannot keep its log says so in full screen at once, with the reason for the supervisor, never a stack trace, and comes back by itself.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/kiosk';
import { completeSetupOverHttp, startBrowserShell } from '../support/kiosk';

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

/** A small tmpfs of its own: the honest way to fill a disk under a running kiosk (mount needs root). */
function mountTmpfs(sizeKb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  return dir;
}

/** Writes until the disk refuses: what a runaway log or a copied video does to a station. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler.bin');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) appendFileSync(filler, chunk);
  } catch {
    // ENOSPC: full. Then the last bytes, a page at a time.
    try {
      for (;;) appendFileSync(filler, chunk.subarray(0, 512));
    } catch {
      // full to the byte
    }
  }
  return filler;
}

test('a disk that fills up on welcome: Start shows out of service with the reason at once, and the station comes back by itself', async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', 'browser shell only');
  test.skip(!isRoot, 'needs root to mount a small tmpfs');
  const dir = mountTmpfs(4096);
  const shell = await startBrowserShell(dir);
  try {
    await completeSetupOverHttp(shell);
    const page = await browser.newPage();
    await page.goto(shell.url);
    await expect(page.getByTestId('start')).toBeVisible();
    const filler = fillDisk(dir);
    // Before: Start did nothing, with no message, until a restart.
    await page.getByTestId('start').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Borne momentanément indisponible');
    await expect(page.getByTestId('out-of-service-reason')).toContainText('le disque est plein');
    // Space freed by the supervisor: back on welcome by itself, nobody pressing anything.
    rmSync(filler);
    await expect(page.getByTestId('start')).toBeVisible({ timeout: 15_000 });
    await page.getByTestId('start').click();
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Borne momentanément indisponible');
    await page.close();
  } finally {
    await shell.stop();
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second browser shell on the same data folder opens on out of service (data_folder_in_use), never beside the first', async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', 'browser shell only');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-two-'));
  const first = await startBrowserShell(dir);
  try {
    await completeSetupOverHttp(first);
    const second = await startBrowserShell(dir);
    try {
      const page = await browser.newPage();
      await page.goto(second.url);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Borne momentanément indisponible');
      await expect(page.getByTestId('out-of-service-reason')).toContainText('utilise déjà ce dossier');
      expect(second.output()).toMatch(/held by a kiosk \(pid \d+\)/);
      // The first stops: the second takes the folder over by itself.
      await first.stop();
      await expect(page.getByTestId('start')).toBeVisible({ timeout: 15_000 });
      await page.close();
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a station whose log was lost opens on out of service (log_missing), never on the first-run wizard', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', 'browser shell only');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-lost-'));
  const first = await startBrowserShell(dir);
  await completeSetupOverHttp(first);
  await first.stop();
  for (const name of ['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm']) rmSync(join(dir, name), { force: true });
  const shell = await startBrowserShell(dir);
  try {
    const page = await browser.newPage();
    await page.goto(shell.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Borne momentanément indisponible');
    await expect(page.getByTestId('out-of-service-reason')).toContainText('kiosk.db');
    // Nothing of the wizard: nobody passing by can name the station or set its passphrase.
    await expect(page.getByLabel(/phrase de passe/i)).toHaveCount(0);
    await page.close();
  } finally {
    await shell.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
