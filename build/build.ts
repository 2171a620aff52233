// Builds the five bundles: the renderer, and main, preload, browser shell and admin command line as single Node bundles.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Native and host modules stay outside the bundles: better-sqlite3 is a .node addon, electron is the host. */
const external = ['electron', 'better-sqlite3', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

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
        output: { format, entryFileNames: fileName, codeSplitting: false },
      },
    },
    ssr: { noExternal: true, external: ['better-sqlite3', 'electron'] },
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
};

const wanted = process.argv.slice(2);
for (const [name, config] of Object.entries(targets)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = performance.now();
  await build(config);
  console.log(`built ${name} in ${Math.round(performance.now() - started)} ms`);
}
