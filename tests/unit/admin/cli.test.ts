// The built app's command line, run as IT would run it: node out/admin/cli.mjs, no tsx, no sources.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import { enrolAgents } from '../engine/flow';
import { openTestKiosk, tempFolderPerTest, type TestKiosk } from '../engine/harness';

const run = promisify(execFile);
const CLI = 'out/admin/cli.mjs';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function admin(...args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // The verb runs from the built bundle, as on a station: build just that target.
  await run(process.execPath, ['--import', 'tsx', 'build/build.ts', 'admin']);
  expect(existsSync(CLI)).toBe(true);
}, 120_000);

/** A USB drive's folder, removed after the test (after the kiosks close: hooks run in reverse). */
const usb = tempFolderPerTest();
const opened: TestKiosk[] = [];
afterEach(() => {
  for (const k of opened.splice(0)) k.close();
});

async function station(agents: number, prefix: string): Promise<TestKiosk> {
  const k = await openTestKiosk();
  opened.push(k);
  await enrolAgents(k, agents, prefix);
  return k;
}


describe('admin verify', () => {
  it('prints the event count, the head hash and the signature status with station id and fingerprint; exit 0', async () => {
    const k = await station(1, 'a');
    const r = await admin('verify', join(k.dataDir, 'kiosk.db'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chain intact and signed, \d+ events, head [0-9a-f]{64}, \d+ signed checkpoints \(station [0-9a-f-]{36}, key fingerprint [0-9a-f-]{39}\)/);
  });

  it('exits 1 against another fingerprint, and on the issue rewrite; npm run verify-log is the same verb', async () => {
    const k = await station(1, 'a');
    const path = join(k.dataDir, 'kiosk.db');
    const wrong = await admin('verify', path, '--fingerprint', '0000-0000-0000-0000-0000-0000-0000-0000');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not signed by the key with the expected fingerprint/);
    const db = new Database(path);
    db.exec("DROP TRIGGER events_append_only_update; UPDATE sessions SET outcome = 'failed'");
    db.close();
    const broken = await run('npm', ['run', '--silent', 'verify-log', '--', path]).catch((e: unknown) => e as Ran);
    expect((broken as Ran).code).toBe(1);
    expect((broken as Ran).stderr).toMatch(/session 1's row does not match its closing event/);
  });

  it('exits 2 on usage: no file, a missing file, an unknown option, an unknown verb', async () => {
    expect((await admin('verify')).code).toBe(2);
    expect((await admin('verify', '/nowhere/kiosk.db')).code).toBe(2);
    expect((await admin('verify', 'x', '--colour')).code).toBe(2);
    expect((await admin('frobnicate')).code).toBe(2);
    expect((await admin()).code).toBe(2);
  });

  it('each verb has --help (exit 0)', async () => {
    for (const verb of ['verify', 'bundle', 'import', 'report']) {
      const r = await admin(verb, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: npm run admin -- ${verb}`);
    }
  });
});

describe('admin bundle, import, report', () => {
  it('a 3-station day: two bundles imported into the head, again (nothing new), verified, and the report written', async () => {
    const head = await station(1, 'head');
    const b = await station(2, 'b');
    const c = await station(1, 'c');
    const drive = usb();
    const bFile = join(drive, 'b.ekb');
    const cFile = join(drive, 'c.ekb');
    const made = await admin('bundle', '--data', b.dataDir, '--out', bFile);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/bundle of station .* 2 sessions/);
    expect(statSync(bFile).mode & 0o777).toBe(0o600);
    expect((await admin('bundle', '--data', c.dataDir, '--out', cFile)).code).toBe(0);
    expect((await admin('verify', bFile)).stdout).toMatch(/chain intact and signed/);

    const imported = await admin('import', '--data', head.dataDir, bFile, cFile);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/b\.ekb: imported station .*: \d+ new events, 2 new sessions/);
    expect(imported.stdout).toMatch(/c\.ekb: imported station .*: \d+ new events, 1 new sessions/);
    const again = await admin('import', '--data', head.dataDir, bFile);
    expect(again.stdout).toMatch(/0 new events, 0 new sessions/);
    expect((await admin('verify', join(head.dataDir, 'kiosk.db'))).code).toBe(0);

    const report = join(drive, 'report.html');
    const written = await admin('report', '--data', head.dataDir, '--out', report);
    expect(written.code).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<html');
    // Every station included: the head and the two imported, each with its key fingerprint.
    expect(html).toContain('Bornes réunies\u00a0: 3');
    expect(statSync(report).mode & 0o777).toBe(0o600);
  });

  it('a bad bundle is refused with a reason naming the file (exit 1); the others still import', async () => {
    const head = await station(0, 'head');
    const b = await station(1, 'b');
    const drive = usb();
    const good = join(drive, 'b.ekb');
    await admin('bundle', '--data', b.dataDir, '--out', good);
    const own = join(drive, 'own.ekb');
    await admin('bundle', '--data', head.dataDir, '--out', own);
    const r = await admin('import', '--data', head.dataDir, own, good);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${own} is this station's own bundle`);
    expect(r.stdout).toMatch(/b\.ekb: imported station/);
  });

  it('refuses a folder without a kiosk log (exit 1) and a missing --data (exit 2)', async () => {
    expect((await admin('bundle', '--data', usb(), '--out', join(usb(), 'x.ekb'))).code).toBe(1);
    expect((await admin('bundle', '--out', 'x.ekb')).code).toBe(2);
  });
});
