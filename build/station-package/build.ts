// Builds dist/enrolment-kiosk-station_<version>_<arch>.deb offline with dpkg-deb: the browser-shell kiosk, its run-time node_modules and its own Node.js.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { MIGRATIONS } from '../../electron/store/migrate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
export const PACKAGE_NAME = 'enrolment-kiosk-station';
const LIB = 'usr/lib/enrolment-kiosk';
const SHARE = 'usr/share/enrolment-kiosk';
const DOC = `usr/share/doc/${PACKAGE_NAME}`;

/**
 * In better-sqlite3's dependencies but never loaded once it is built: prebuild-install fetches a prebuilt
 * binary at `npm install` time, and with it would come a dozen packages (tar-fs, simple-get...) the kiosk never runs.
 */
const INSTALL_TIME_ONLY = new Set(['prebuild-install']);

/** What a package needs at run time when it is more than its JavaScript: better-sqlite3's addon, not its 9 MB of C sources. */
const RUNTIME_FILES: Record<string, (path: string) => boolean> = {
  'better-sqlite3': (path) => path === 'package.json' || path === 'LICENSE' || path.startsWith('lib/') || path === 'build/Release/better_sqlite3.node',
};

/** dpkg's architecture → the Node.js registry package's. */
const NODE_ARCH: Record<string, string> = { amd64: 'x64', arm64: 'arm64' };

interface Options {
  /** dpkg-deb's compressor and level: fast for CI, smaller for a release. Not zstd: lintian calls such a deb malformed. */
  compression: 'gzip' | 'xz';
  level: number;
  outDir: string;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The first entry of the Debian changelog: its version must be package.json's, and its date is the build's SOURCE_DATE_EPOCH. */
export function parseChangelog(text: string): { version: string; epoch: number } {
  const header = /^enrolment-kiosk-station \(([^)]+)\)/.exec(text);
  const trailer = /^ -- .+? <[^>]+> {2}(.+)$/m.exec(text);
  if (!header?.[1] || !trailer?.[1]) throw new Error('build/station-package/changelog: no first entry (name (version) ... and its " -- " line)');
  const epoch = Math.floor(Date.parse(trailer[1]) / 1000);
  if (!Number.isFinite(epoch)) throw new Error(`build/station-package/changelog: unreadable date "${trailer[1]}"`);
  return { version: header[1], epoch };
}

/** package.json's run-time dependencies and theirs, as folders of node_modules, resolved as Node would from each dependent. */
export function runtimePackages(root: string): string[] {
  const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const found = new Set<string>();
  const visit = (fromDir: string, name: string) => {
    if (INSTALL_TIME_ONLY.has(name)) return;
    // Node's lookup: the dependent's own node_modules first, then each parent's.
    let dir = fromDir;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        if (found.has(candidate)) return;
        found.add(candidate);
        for (const dependency of Object.keys(manifest(candidate).dependencies ?? {})) visit(candidate, dependency);
        return;
      }
      if (dir === root || dirname(dir) === dir) throw new Error(`${name} (needed by ${relative(root, fromDir) || 'package.json'}) is not in node_modules: run npm ci`);
      dir = dirname(dir);
    }
  };
  for (const name of Object.keys(manifest(root).dependencies ?? {})) visit(root, name);
  return [...found].sort();
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path, base);
      if (entry.isSymbolicLink()) throw new Error(`${path}: a symbolic link; the package copies files only`);
      return [relative(base, path)];
    });
}

function copyInto(stage: string, target: string, source: string): void {
  const path = join(stage, target);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(source, path);
}

function writeInto(stage: string, target: string, content: string | Buffer): void {
  const path = join(stage, target);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** gzip -9n: no name, no time stamp in the header, so the same text gives the same bytes. */
function gzipped(text: string | Buffer): Buffer {
  return gzipSync(text, { level: 9 });
}

function sha512(path: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
}

/** The registry's node-linux-<arch> tarball, from npm's cache when it is there, checked against the pinned integrity. */
function nodeRuntime(nodeArch: string, cacheDir: string): { tarball: string; version: string } {
  const pinned = JSON.parse(readFileSync(join(HERE, 'node-runtime.json'), 'utf8')) as { version: string; integrity: Record<string, string> };
  const integrity = pinned.integrity[nodeArch];
  if (!integrity) throw new Error(`node-runtime.json pins no Node.js for ${nodeArch}`);
  const spec = `node-linux-${nodeArch}@${pinned.version}`;
  const tarball = join(cacheDir, `node-linux-${nodeArch}-${pinned.version}.tgz`);
  if (!existsSync(tarball) || sha512(tarball) !== integrity) {
    mkdirSync(cacheDir, { recursive: true });
    console.log(`fetching ${spec} (npm pack, from npm's cache when it holds it)`);
    run('npm', ['pack', spec, '--prefer-offline', '--pack-destination', cacheDir, '--silent']);
  }
  if (sha512(tarball) !== integrity) throw new Error(`${tarball}: its sha512 is not the one node-runtime.json pins for ${spec}`);
  return { tarball, version: pinned.version };
}

/** Whether `version` meets package.json's `engines.node`, written as `>=major.minor[.patch]`. */
export function meetsEngines(version: string, engines: string): boolean {
  const floor = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines.trim());
  if (!floor) throw new Error(`package.json engines.node "${engines}": the station package understands only ">=x.y[.z]"`);
  const have = version.split('.').map(Number);
  const want = [Number(floor[1]), Number(floor[2]), Number(floor[3] ?? 0)];
  for (let i = 0; i < 3; i += 1) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/** The shared libraries the ELF files link to, as dpkg-shlibdeps names their packages. */
function shlibsDepends(elfFiles: string[]): string {
  const work = mkdtempSync(join(tmpdir(), 'station-shlibs-'));
  try {
    mkdirSync(join(work, 'debian'));
    writeFileSync(join(work, 'debian/control'), `Source: ${PACKAGE_NAME}\n\nPackage: ${PACKAGE_NAME}\nArchitecture: any\n`);
    const output = run('dpkg-shlibdeps', ['-O', ...elfFiles.map((file) => `-e${file}`)], { cwd: work });
    const depends = /^shlibs:Depends=(.+)$/m.exec(output)?.[1];
    if (!depends) throw new Error(`dpkg-shlibdeps gave no dependencies: ${output}`);
    return depends;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every path the same mode and time whatever the checkout's umask and clock: 0755 for folders and executables, else 0644. */
function normalise(stage: string, executables: Set<string>, epoch: number): void {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (lstatSync(path).isDirectory()) {
        walk(path);
        chmodSync(path, 0o755);
      } else {
        chmodSync(path, executables.has(relative(stage, path)) ? 0o755 : 0o644);
      }
      utimesSync(path, epoch, epoch);
    }
  };
  walk(stage);
  chmodSync(stage, 0o755);
  utimesSync(stage, epoch, epoch);
}

/** As dpkg-gencontrol counts it: KiB per file rounded up, one per folder. */
function installedSizeKiB(stage: string): number {
  let total = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (dir === stage && name === 'DEBIAN') continue;
      const path = join(dir, name);
      const stats = statSync(path);
      total += stats.isDirectory() ? 1 : Math.ceil(stats.size / 1024);
      if (stats.isDirectory()) walk(path);
    }
  };
  walk(stage);
  return total;
}

export function buildStationPackage(options: Options): { deb: string; sha256: string; bytes: number } {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
  const changelog = readFileSync(join(HERE, 'changelog'), 'utf8');
  const { version, epoch: changelogEpoch } = parseChangelog(changelog);
  if (version !== manifest.version) {
    throw new Error(`build/station-package/changelog's first entry is ${version}, package.json is ${manifest.version}: add the new version's entry`);
  }
  const epoch = process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) : changelogEpoch;
  for (const built of ['out/renderer/index.html', 'out/browser-shell/cli.mjs', 'out/admin/cli.mjs', 'out/worker/task-worker.cjs']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first (npm run package:station does)`);
  }
  const arch = run('dpkg', ['--print-architecture']).trim();
  const nodeArch = NODE_ARCH[arch];
  if (!nodeArch) throw new Error(`no Node.js runtime for the ${arch} architecture (only ${Object.keys(NODE_ARCH).join(', ')})`);
  const runtime = nodeRuntime(nodeArch, join(ROOT, 'node_modules/.cache/station-package'));
  if (!meetsEngines(runtime.version, manifest.engines.node)) {
    throw new Error(`node-runtime.json pins Node.js ${runtime.version}, below package.json's engines (${manifest.engines.node})`);
  }

  const stage = mkdtempSync(join(tmpdir(), 'station-package-'));
  try {
    // The built app, without its source maps (they stay off the stations); the worker runs the supervisor's tasks and the dashboards' reads.
    for (const bundle of ['renderer', 'browser-shell', 'admin', 'worker']) {
      for (const file of filesUnder(join(ROOT, 'out', bundle))) {
        if (!file.endsWith('.map')) copyInto(stage, `${LIB}/app/out/${bundle}/${file}`, join(ROOT, 'out', bundle, file));
      }
    }
    writeInto(stage, `${LIB}/app/package.json`, `${JSON.stringify({ name: 'enrolment-kiosk', version, private: true }, null, 2)}\n`);
    const packages = runtimePackages(ROOT);
    for (const dir of packages) {
      const keep = RUNTIME_FILES[basename(dir)] ?? (() => true);
      for (const file of filesUnder(dir)) {
        // Dot files (.npmignore, editor and CI settings) and the Markdown docs are for the package's authors; a licence stays.
        const forAuthors = file.split('/').some((part) => part.startsWith('.')) || (/\.md$/i.test(file) && !/^licen[cs]e/i.test(basename(file)));
        if (keep(file) && !forAuthors) copyInto(stage, `${LIB}/app/${relative(ROOT, dir)}/${file}`, join(dir, file));
      }
    }
    // The Node.js binary and its licence; its headers, npm and docs are not needed to run the kiosk.
    const unpacked = mkdtempSync(join(tmpdir(), 'station-node-'));
    try {
      run('tar', ['-xzf', runtime.tarball, '-C', unpacked, 'package/bin/node', 'package/LICENSE']);
      copyInto(stage, `${LIB}/node`, join(unpacked, 'package/bin/node'));
      writeInto(stage, `${DOC}/node.LICENSE.gz`, gzipped(readFileSync(join(unpacked, 'package/LICENSE'))));
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
    // As dh_strip does: the symbol tables are for debuggers (the dynamic symbols addons link to stay).
    const node = join(stage, LIB, 'node');
    const addon = join(stage, LIB, 'app/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    run('strip', ['--remove-section=.comment', '--remove-section=.note', node]);
    run('strip', ['--remove-section=.comment', '--remove-section=.note', '--strip-unneeded', addon]);
    // The package's own Node must load what npm ci built, better-sqlite3's addon first (same NODE_MODULE_VERSION).
    const names = packages.filter((dir) => dirname(dir) === join(ROOT, 'node_modules')).map((dir) => basename(dir));
    try {
      run(node, ['-e', `for (const name of ${JSON.stringify(names)}) require(name); require('better-sqlite3')(':memory:').prepare('select 1').get();`], {
        cwd: join(stage, LIB, 'app'),
      });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(
        `the package's Node.js ${runtime.version} cannot load the run-time node_modules (run npm ci with Node.js ${runtime.version.split('.')[0]}, whose better-sqlite3 build it can load):\n${stderr}`,
      );
    }

    copyInto(stage, 'usr/bin/enrolment-kiosk', join(HERE, 'enrolment-kiosk.sh'));
    copyInto(stage, 'usr/bin/enrolment-kiosk-admin', join(HERE, 'enrolment-kiosk-admin.sh'));
    copyInto(stage, 'lib/systemd/system/enrolment-kiosk.service', join(HERE, 'enrolment-kiosk.service'));
    // Taken from where their owners keep them, so the package always carries the current ones.
    copyInto(stage, `${SHARE}/chromium-policies/enrolment-kiosk.json`, join(ROOT, 'build/chromium-policies/enrolment-kiosk.json'));
    copyInto(stage, `${SHARE}/autostart/enrolment-kiosk.desktop`, join(ROOT, 'build/autostart/enrolment-kiosk.desktop'));
    for (const page of ['enrolment-kiosk.1', 'enrolment-kiosk-admin.1']) {
      writeInto(stage, `usr/share/man/man1/${page}.gz`, gzipped(readFileSync(join(HERE, page))));
    }
    writeInto(stage, `${DOC}/copyright`, readFileSync(join(HERE, 'copyright')));
    writeInto(stage, `usr/share/lintian/overrides/${PACKAGE_NAME}`, readFileSync(join(HERE, 'lintian-overrides')));
    writeInto(stage, `${DOC}/changelog.gz`, gzipped(changelog));

    const fill = (text: string) =>
      text
        .replaceAll('@VERSION@', version)
        .replaceAll('@ARCH@', arch)
        .replaceAll('@SCHEMA_VERSION@', String(MIGRATIONS.length));
    for (const script of ['preinst', 'postinst', 'prerm', 'postrm']) {
      writeInto(stage, `DEBIAN/${script}`, fill(readFileSync(join(HERE, script), 'utf8')));
    }
    const control = fill(readFileSync(join(HERE, 'control.in'), 'utf8'))
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .replace('@SHLIBS_DEPENDS@', shlibsDepends([node, addon]))
      .replace('@INSTALLED_SIZE@', String(installedSizeKiB(stage)));
    writeInto(stage, 'DEBIAN/control', control);
    const payload = filesUnder(stage).filter((file) => !file.startsWith('DEBIAN/'));
    const md5sums = payload.map((file) => `${createHash('md5').update(readFileSync(join(stage, file))).digest('hex')}  ${file}\n`).join('');
    writeInto(stage, 'DEBIAN/md5sums', md5sums);

    const executables = new Set([
      `${LIB}/node`,
      'usr/bin/enrolment-kiosk',
      'usr/bin/enrolment-kiosk-admin',
      ...['preinst', 'postinst', 'prerm', 'postrm'].map((script) => `DEBIAN/${script}`),
    ]);
    normalise(stage, executables, epoch);

    mkdirSync(options.outDir, { recursive: true });
    const deb = join(options.outDir, `${PACKAGE_NAME}_${version}_${arch}.deb`);
    // --root-owner-group: root:root whoever builds; SOURCE_DATE_EPOCH: the ar members' times; dpkg-deb sorts the tar's
    // entries; one compressor thread, as xz's output depends on how many it is given (the machine's cores otherwise).
    run('dpkg-deb', ['--root-owner-group', '--threads-max=1', `-Z${options.compression}`, `-z${options.level}`, '--build', stage, deb], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    });
    const sha256 = createHash('sha256').update(readFileSync(deb)).digest('hex');
    writeFileSync(`${deb}.sha256`, `${sha256}  ${basename(deb)}\n`);
    return { deb, sha256, bytes: statSync(deb).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // gzip -9 by default: single-threaded xz -6 takes minutes on a loaded 2-core machine for a quarter less.
  const compression = process.env.STATION_DEB_COMPRESSION === 'xz' ? 'xz' : 'gzip';
  const level = Number(process.env.STATION_DEB_LEVEL ?? 9);
  const started = performance.now();
  const { deb, sha256, bytes } = buildStationPackage({ compression, level, outDir: join(ROOT, 'dist') });
  console.log(`built ${relative(ROOT, deb)} (${(bytes / 1e6).toFixed(1)} MB, ${compression} -${level}) in ${Math.round(performance.now() - started)} ms`);
  console.log(`sha256 ${sha256}`);
}
