// Builds the six bundles: the renderer, and main, preload, browser shell, admin command line and task worker as single Node bundles.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * Outside the bundles: electron (the host) and package.json's run-time `dependencies`, which ship in
 * node_modules beside the bundles (electron-builder packs them; the browser shell runs from a checkout):
 * better-sqlite3 is a .node addon, and the roster's csv-parse and iconv-lite (its code-page tables
 * alone would double main.cjs) load only when main needs them. Everything else is bundled.
 */
const manifest = JSON.parse(readFileSync(here('package.json'), 'utf8')) as { dependencies: Record<string, string> };
const runtimeDependencies = Object.keys(manifest.dependencies);
const isRuntimeDependency = (id: string) => runtimeDependencies.some((name) => id === name || id.startsWith(`${name}/`));
const external = (id: string) => id === 'electron' || isRuntimeDependency(id) || builtinModules.includes(id.replace(/^node:/, ''));

function nodeBundle(entry: string, outDir: string, fileName: string, format: 'cjs' | 'es'): InlineConfig {
  return {
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: here(entry),
      outDir: here(outDir),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external,
        // Not minified, so a stack trace from a station reads without its source map (maps stay out of the
        // packages); doc comments dropped, as they are for readers of the source, which the maps hold.
        // A lazily imported run-time dependency is require()d in the CommonJS bundles: the same loader that reads
        // better-sqlite3 out of Electron's ASAR, not its ESM loader.
        output: {
          format,
          entryFileNames: fileName,
          codeSplitting: false,
          dynamicImportInCjs: false,
          comments: { legal: true, annotation: true, jsdoc: false },
        },
      },
    },
    ssr: { noExternal: true, external: ['electron', ...runtimeDependencies] },
  };
}

const targets: Record<string, InlineConfig> = {
  renderer: { configFile: here('vite.config.ts'), logLevel: 'warn' },
  main: nodeBundle('electron/shell/main.ts', 'out/main', 'main.cjs', 'cjs'),
  // Sandboxed preloads must be one CommonJS file that requires nothing but 'electron'.
  preload: nodeBundle('electron/shell/preload.ts', 'out/preload', 'preload.cjs', 'cjs'),
  'browser-shell': nodeBundle('electron/browser-shell/cli.ts', 'out/browser-shell', 'cli.mjs', 'es'),
  // The command line of the built app (verify, bundle, import, report): runs with node alone, no tsx, no sources.
  admin: nodeBundle('electron/admin/cli.ts', 'out/admin', 'cli.mjs', 'es'),
  // The supervisor-task worker (verify, import) that main and the browser shell start beside the kiosk's thread;
  // CommonJS, so it loads better-sqlite3 the way main does (out of Electron's ASAR too).
  worker: nodeBundle('electron/store/worker/task-worker.ts', 'out/worker', 'task-worker.cjs', 'cjs'),
};

const wanted = process.argv.slice(2);
for (const [name, config] of Object.entries(targets)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = performance.now();
  await build(config);
  console.log(`built ${name} in ${Math.round(performance.now() - started)} ms`);
}
