// The packaged app runs the supervisor's worker from outside the ASAR archive: the path it starts, and everything that worker requires, lie in app.asar.unpacked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtWorkerPath, outsideAsar } from '../../../electron/store/worker/tasks';

const root = join(import.meta.dirname, '../../..');

/** electron-builder.yml's asarUnpack globs (a plain list of quoted or bare strings). */
function asarUnpack(): string[] {
  const lines = readFileSync(join(root, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('asarUnpack:'));
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+-\s+'?([^']+?)'?\s*$/.exec(line);
    if (!item?.[1]) break;
    globs.push(item[1]);
  }
  return globs;
}

/** electron-builder's glob forms used there: `**` for any folders, `*` within one. */
function matches(glob: string, path: string): boolean {
  const pattern = glob
    .split(/(\*\*\/|\/\*\*|\*)/)
    .map((part) => ({ '**/': '(?:.*/)?', '/**': '(?:/.*)?', '*': '[^/]*' })[part] ?? part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${pattern}$`).test(path);
}

const unpacked = (path: string) => asarUnpack().some((glob) => matches(glob, path));
const isBuiltin = (id: string) => builtinModules.includes(id.replace(/^node:/, ''));
const packageOf = (id: string) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : (id.split('/')[0] ?? id));

/** What build/build.ts leaves out of the bundles, to be require()d at run time: package.json's `dependencies`. */
const runtimeDependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);

/**
 * The packages the worker's bundle require()s: those its sources import at run time (following relative imports
 * from its entry; `import type` vanishes) that the build leaves external. Everything else is inside the bundle.
 */
function workerPackages(): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)) {
      const spec = m[1] ?? m[2];
      if (!spec) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.endsWith('.ts') ? spec : `${spec}.ts`));
      else if (!isBuiltin(spec) && runtimeDependencies.includes(packageOf(spec))) packages.add(packageOf(spec));
    }
  };
  visit(join(root, 'electron/store/worker/task-worker.ts'));
  return packages;
}

/** `name` and every package its JavaScript require()s, as installed (what Node loads from the unpacked folder). */
function requireClosure(names: Iterable<string>): Set<string> {
  const closure = new Set<string>();
  const visit = (name: string) => {
    if (closure.has(name)) return;
    closure.add(name);
    const dir = join(root, 'node_modules', name);
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.js') && !f.split('/').some((part) => ['node_modules', 'deps', 'src', 'test'].includes(part)),
    );
    for (const file of files) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1];
        if (spec && !spec.startsWith('.') && !isBuiltin(spec)) visit(packageOf(spec));
      }
    }
  };
  for (const name of names) visit(name);
  return closure;
}

describe('the supervisor worker in a packaged app', () => {
  it('is started from app.asar.unpacked, beside the archive the main bundle runs from', () => {
    const resources = '/opt/Enrolment Kiosk/resources';
    expect(builtWorkerPath(`file://${resources}/app.asar/out/main/main.cjs`)).toBe(`${resources}/app.asar.unpacked/out/worker/task-worker.cjs`);
    expect(outsideAsar('C:\\Program Files\\Enrolment Kiosk\\resources\\app.asar\\out\\worker\\task-worker.cjs')).toBe(
      'C:\\Program Files\\Enrolment Kiosk\\resources\\app.asar.unpacked\\out\\worker\\task-worker.cjs',
    );
    // From a checkout (the browser shell, the admin command line) the path is left as it is.
    expect(builtWorkerPath(`file://${root}/out/browser-shell/cli.mjs`)).toBe(join(root, 'out/worker/task-worker.cjs'));
  });

  it('finds its bundle and everything its require() reaches unpacked, better-sqlite3 and its addon included', () => {
    expect(unpacked(relative(root, join(root, 'out/worker/task-worker.cjs')))).toBe(true);
    const packages = workerPackages();
    expect([...packages]).toContain('better-sqlite3');
    const closure = requireClosure(packages);
    // bindings finds the addon; file-uri-to-path is what bindings requires: both run from the unpacked folder too.
    expect([...closure].sort()).toEqual(expect.arrayContaining(['better-sqlite3', 'bindings', 'file-uri-to-path']));
    for (const name of closure) {
      const dir = join(root, 'node_modules', name);
      expect(existsSync(dir) && statSync(dir).isDirectory(), `${name} is installed`).toBe(true);
      expect(unpacked(`node_modules/${name}/package.json`), `${name} is unpacked`).toBe(true);
    }
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    // What stays in the archive stays there: the main bundle is not unpacked.
    expect(unpacked('out/main/main.cjs')).toBe(false);
  });
});
