// The station package on this machine (root, CI): built twice to the same bytes, lintian, dpkg -i, a session as the kiosk account, an update, remove, purge.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStationPackage, PACKAGE_NAME } from '../../build/station-package/build';
import type { Result } from '../../shared/contract';

const ACCOUNT = 'enrolment-kiosk';
const DATA_DIR = '/var/lib/enrolment-kiosk';
const LOG = `${DATA_DIR}/kiosk.db`;
const POLICIES = '/etc/chromium/policies/managed/enrolment-kiosk.json';
const PASSPHRASE = 'Phrase-de-passe-station';

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Why this machine cannot take the test, or null. Never a station's own package: purging it would delete its log. */
function skipReason(): string | null {
  if (process.getuid?.() !== 0) return 'not root: dpkg -i needs root (CI runs as root)';
  for (const tool of ['dpkg-deb', 'dpkg-shlibdeps', 'strip', 'runuser']) {
    if (!commandExists(tool)) return `${tool} is missing (Debian: apt-get install dpkg-dev binutils util-linux)`;
  }
  if (!commandExists('chromium')) return 'chromium is not installed: the package depends on it';
  if (spawnSync('dpkg-query', ['-W', PACKAGE_NAME]).status === 0 || existsSync(DATA_DIR)) {
    return `${PACKAGE_NAME} or ${DATA_DIR} is already on this machine: the test ends with a purge, which would delete that station's log`;
  }
  return null;
}

const reason = skipReason();
if (reason) console.log(`station package tests skipped: ${reason}`);
const lintianReason = commandExists('lintian') ? null : 'lintian is not installed (apt-get install lintian)';
if (!reason && lintianReason) console.log(`lintian test skipped: ${lintianReason}`);
const xvfbReason = commandExists('Xvfb') ? null : 'Xvfb is not installed (apt-get install xvfb)';
if (!reason && xvfbReason) console.log(`launch test skipped: ${xvfbReason}`);
const cageReason = commandExists('cage') && commandExists('Xwayland') ? null : 'cage or xwayland is not installed (the package recommends them)';
if (!reason && cageReason) console.log(`systemd unit test skipped: ${cageReason}`);

interface Ran {
  status: number | null;
  output: string;
}

function sh(command: string, args: string[]): Ran {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface Kiosk {
  origin: string;
  token: string;
  dataDirLine: string;
  child: ChildProcess;
}

const running = new Set<ChildProcess>();

/** Kept until it exits, so that whatever fails, afterAll ends it (each runs as the leader of its own process group). */
function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** `enrolment-kiosk serve` from /usr/bin as the kiosk account, with no KIOSK_DATA_DIR: the wrapper gives it the station's folder. */
async function serveAsKioskAccount(): Promise<Kiosk> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KIOSK_DATA_DIR;
  const child = spawn('runuser', ['-u', ACCOUNT, '--', '/usr/bin/enrolment-kiosk', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the installed kiosk did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kiosk URL: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the installed kiosk exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return { origin: parsed.origin, token: parsed.hash.replace('#token=', ''), dataDirLine: /Data folder: (.+)/.exec(output)?.[1] ?? '', child };
}

/** Waits for `pattern` in what `child` prints, or fails with all of it. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  let output = '';
  return new Promise((resolveOutput, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing matched ${pattern} in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolveOutput(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM to the whole process group (runuser, the launcher, its Chromium), then its end. */
function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.pid === undefined) return resolveStop();
    child.once('exit', () => resolveStop());
    process.kill(-child.pid, 'SIGTERM');
  });
}


/** One contract call as the kiosk's own page makes it: its origin, its launch token, JSON. */
async function api(kiosk: Kiosk, method: string, input: object = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${kiosk.origin}/api/${method}`, {
    method: 'POST',
    headers: { origin: kiosk.origin, 'x-kiosk-token': kiosk.token, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as Result<unknown>;
  if (!result.ok) throw new Error(`${method} refused: ${JSON.stringify(result.error)}`);
  return result.value as Record<string, unknown>;
}

/** The code the agent's authenticator app shows, `steps` time steps from now. */
const code = (secret: string, steps = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30, period: 30, digits: 6, algorithm: 'sha1' });

/** One agent, welcome to done, as the kiosk's screens call the API; the secret typed from "Can't scan?". */
async function completeOneSession(kiosk: Kiosk): Promise<void> {
  await api(kiosk, 'start', { language: 'fr' });
  await api(kiosk, 'identify', { email: 'claire.station@agriculture.gouv.fr' });
  await api(kiosk, 'next');
  await api(kiosk, 'addDevice', { deviceName: 'telephone-pro', pin: '2580', pinConfirm: '2580' });
  const secret = ((await api(kiosk, 'revealSecret')).secretGroups as string[]).join('');
  await api(kiosk, 'next');
  await api(kiosk, 'confirmDevice', { pin: '2580', code: code(secret) });
  await api(kiosk, 'next');
  await api(kiosk, 'chooseSignInMethod', { method: 'pin' });
  // The next time step's code: the engine takes ±1 step and refuses a code already used.
  const done = await api(kiosk, 'signIn', { pin: '2580', code: code(secret, 1) });
  expect(done.step).toBe('done');
  await api(kiosk, 'next');
}

function verifyLog(): Ran {
  return sh('runuser', ['-u', ACCOUNT, '--', '/usr/bin/enrolment-kiosk-admin', 'verify', LOG]);
}

describe.skipIf(reason !== null)('the station package', () => {
  const work = mkdtempSync(join(tmpdir(), 'station-package-test-'));
  let deb = '';
  // The policies' folders are the package's to remove only if it made them.
  const policyFoldersBefore = ['/etc/chromium/policies/managed', '/etc/chromium/policies'].filter((path) => existsSync(path));

  beforeAll(() => {
    // CI's e2e step has built out/; a machine that has not gets the three bundles the package carries.
    if (!existsSync('out/admin/cli.mjs') || !existsSync('out/browser-shell/cli.mjs') || !existsSync('out/renderer/index.html')) {
      execFileSync(process.execPath, ['--import', 'tsx', 'build/build.ts', 'renderer', 'browser-shell', 'admin'], { stdio: 'inherit' });
    }
  }, 180_000);

  afterAll(() => {
    // Whatever failed: no kiosk left running, and nothing of the package left on the CI machine
    // (its Chromium policies would apply to every later Chromium).
    for (const child of running) {
      // Each was started as the leader of its own process group: the group takes the launcher's Chromium with it.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone between its exit and the exit event.
      }
    }
    if (spawnSync('dpkg-query', ['-W', PACKAGE_NAME]).status === 0) sh('dpkg', ['--purge', PACKAGE_NAME]);
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('builds the same bytes twice, with its sha256 beside it', () => {
    const started = performance.now();
    const first = buildStationPackage({ compression: 'gzip', level: 1, outDir: join(work, 'first') });
    console.log(`package built in ${Math.round(performance.now() - started)} ms: ${(first.bytes / 1e6).toFixed(1)} MB`);
    const second = buildStationPackage({ compression: 'gzip', level: 1, outDir: join(work, 'second') });
    expect(sha256(second.deb)).toBe(sha256(first.deb));
    expect(readFileSync(`${first.deb}.sha256`, 'utf8')).toBe(`${sha256(first.deb)}  ${first.deb.split('/').pop() ?? ''}\n`);
    deb = first.deb;
  }, 180_000);

  it.skipIf(lintianReason !== null)('is lintian clean', () => {
    const lintian = sh('lintian', ['--fail-on', 'error,warning', deb]);
    expect(lintian.output.split('\n').filter((line) => /^[EW]: /.test(line))).toEqual([]);
    expect(lintian.status).toBe(0);
  }, 120_000);

  it('installs, then a session completes on the installed kiosk run as its account', async () => {
    const started = performance.now();
    const installed = sh('dpkg', ['-i', deb]);
    expect(installed.status, installed.output).toBe(0);

    const help = sh('enrolment-kiosk-admin', ['--help']);
    expect(help.status).toBe(0);
    expect(help.output).toMatch(/verify .*bundle .*import .*report/s);
    const account = sh('getent', ['passwd', ACCOUNT]).output;
    expect(account).toContain(':/nonexistent:/usr/sbin/nologin');
    const folder = statSync(DATA_DIR);
    expect(folder.mode & 0o777).toBe(0o700);
    expect(folder.uid).toBe(Number(account.split(':')[2]));
    expect(readFileSync(POLICIES, 'utf8')).toBe(readFileSync('build/chromium-policies/enrolment-kiosk.json', 'utf8'));

    const kiosk = await serveAsKioskAccount();
    try {
      expect(kiosk.dataDirLine).toBe(DATA_DIR);
      await api(kiosk, 'completeSetup', { stationName: 'PIF station', passphrase: PASSPHRASE, passphraseConfirm: PASSPHRASE, mode: 'enrolment', language: 'fr' });
      await completeOneSession(kiosk);
    } finally {
      await stopGroup(kiosk.child);
    }
    console.log(`dpkg -i to the first session done: ${Math.round(performance.now() - started)} ms`);

    const verified = verifyLog();
    expect(verified.status, verified.output).toBe(0);
    expect(verified.output).toContain('chain intact and signed');
  }, 120_000);

  it.skipIf(xvfbReason !== null)('launches locked from its first start: the DevTools pipe and the managed policies', async () => {
    // The station's screen, here an X server of the test's own; the kiosk account runs the launcher as the unit would.
    const display = `:${200 + (process.pid % 500)}`;
    const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore', detached: true });
    track(xvfb);
    try {
      const socket = `/tmp/.X11-unix/X${display.slice(1)}`;
      for (let waited = 0; !existsSync(socket) && waited < 10_000; waited += 100) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
      delete env.KIOSK_DATA_DIR;
      const launcher = spawn('runuser', ['-u', ACCOUNT, '--', '/usr/bin/enrolment-kiosk'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      track(launcher);
      try {
        const output = await waitForOutput(launcher, /Kiosk open in /, 'enrolment-kiosk launch');
        expect(output).toMatch(/^Kiosk lock: in effect: .*; managed policies in effect\.$/m);
      } finally {
        await stopGroup(launcher);
      }
    } finally {
      await stopGroup(xvfb);
    }
  }, 90_000);

  it.skipIf(cageReason !== null)("the systemd unit's command runs the kiosk in cage, locked", async () => {
    const unit = readFileSync('/lib/systemd/system/enrolment-kiosk.service', 'utf8');
    if (commandExists('systemd-analyze')) {
      const analysed = sh('systemd-analyze', ['verify', '/lib/systemd/system/enrolment-kiosk.service']);
      // Its man: link is checked only where man-db is installed; everything else it says is a fault of the unit.
      expect(analysed.output.split('\n').filter((line) => line.trim() !== '' && !line.includes("Command 'man "))).toEqual([]);
    }
    const execStart = /^ExecStart=(.+)$/m.exec(unit)?.[1]?.split(' ') ?? [];
    expect(execStart[0]).toBe('/usr/bin/cage');
    // The unit's own command as its account, on wlroots' headless backend instead of the station's screen, with the
    // runtime folder logind would give it.
    const runtime = mkdtempSync(join(tmpdir(), 'station-runtime-'));
    execFileSync('chown', [ACCOUNT, runtime]);
    // The unit's Environment= lines, but HOME: its /run folder exists only under systemd (runuser resets HOME, hence env).
    const unitEnv = Object.fromEntries([...unit.matchAll(/^Environment=([A-Z_]+)=(\S*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    delete unitEnv.HOME;
    const env: NodeJS.ProcessEnv = { ...process.env, ...unitEnv, XDG_RUNTIME_DIR: runtime, WLR_BACKENDS: 'headless', WLR_RENDERER: 'pixman', WLR_LIBINPUT_NO_DEVICES: '1' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    expect(env.KIOSK_DATA_DIR).toBe(DATA_DIR);
    const kiosk = track(
      spawn('runuser', ['-u', ACCOUNT, '--', 'env', `HOME=${runtime}`, ...execStart], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    );
    try {
      const output = await waitForOutput(kiosk, /Kiosk open in /, 'cage');
      expect(output).toMatch(/^Kiosk lock: in effect: .*; managed policies in effect\.$/m);
    } finally {
      await stopGroup(kiosk);
      rmSync(runtime, { recursive: true, force: true });
    }
  }, 90_000);

  it('an update keeps the session and the log still verifies', async () => {
    const verifiedBeforeUpdate = verifyLog().output;
    expect(verifiedBeforeUpdate).toContain('chain intact and signed');
    const updated = sh('dpkg', ['-i', deb]);
    expect(updated.status, updated.output).toBe(0);
    expect(verifyLog().output).toBe(verifiedBeforeUpdate);

    const kiosk = await serveAsKioskAccount();
    try {
      await api(kiosk, 'openConsole', { passphrase: PASSPHRASE });
      const dashboard = await api(kiosk, 'getDashboard', { range: 'all' });
      expect(dashboard.completed).toBe(1);
    } finally {
      await stopGroup(kiosk.child);
    }
  }, 60_000);

  it("refuses to install over a log from a newer kiosk, and changes nothing", () => {
    const verifiedBefore = verifyLog().output;
    // A log a newer version migrated: its schema (PRAGMA user_version, bytes 60-63) above what this version reads.
    const original = Buffer.alloc(4);
    const fd = openSync(LOG, 'r+');
    try {
      readSync(fd, original, 0, 4, 60);
      writeSync(fd, Buffer.from([0, 0, 0, 99]), 0, 4, 60);
    } finally {
      closeSync(fd);
    }
    const before = sha256(LOG);
    try {
      const downgrade = sh('dpkg', ['-i', deb]);
      expect(downgrade.status).not.toBe(0);
      expect(downgrade.output).toMatch(/has schema 99,\s+written by a newer version of the kiosk, and \S+ reads up to schema \d+/);
      expect(sha256(LOG)).toBe(before);
      expect(sh('dpkg-query', ['-W', '-f', '${Status}', PACKAGE_NAME]).output).toBe('install ok installed');
    } finally {
      const restore = openSync(LOG, 'r+');
      writeSync(restore, original, 0, 4, 60);
      closeSync(restore);
    }
    expect(verifyLog().output).toBe(verifiedBefore);
  }, 60_000);

  it('remove keeps the log and the identity, takes the policies away; purge deletes everything, saying so', () => {
    const removed = sh('dpkg', ['--remove', PACKAGE_NAME]);
    expect(removed.status, removed.output).toBe(0);
    expect(removed.output).toContain(`kept in ${DATA_DIR}`);
    expect(existsSync(LOG)).toBe(true);
    expect(existsSync(`${DATA_DIR}/station-identity.key`)).toBe(true);
    expect(existsSync(POLICIES)).toBe(false);
    expect(existsSync('/usr/bin/enrolment-kiosk')).toBe(false);

    const purged = sh('dpkg', ['--purge', PACKAGE_NAME]);
    expect(purged.status, purged.output).toBe(0);
    expect(purged.output).toContain(`deleting the station's log, its keys and its identity in ${DATA_DIR}`);
    const made = ['/etc/chromium/policies/managed', '/etc/chromium/policies'].filter((path) => !policyFoldersBefore.includes(path));
    for (const path of [DATA_DIR, '/usr/lib/enrolment-kiosk', '/usr/share/enrolment-kiosk', '/lib/systemd/system/enrolment-kiosk.service', ...made]) {
      expect(existsSync(path), path).toBe(false);
    }
    expect(sh('getent', ['passwd', ACCOUNT]).status).not.toBe(0);
    expect(sh('getent', ['group', ACCOUNT]).status).not.toBe(0);
    expect(sh('dpkg-query', ['-W', PACKAGE_NAME]).status).not.toBe(0);
  }, 60_000);
});
