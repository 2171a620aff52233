// The renderer build's rewrite of vue-i18n's current-instance lookup: applied to the installed vue-i18n, refused when it changes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { vueI18nTreeShaking } from '../../../build/vue-i18n-tree-shaking';

const require = createRequire(import.meta.url);
const DIST = join(dirname(require.resolve('vue-i18n/package.json')), 'dist');

/** Bundles `source` (an entry module that never touches the disk) with the plugin, as the renderer build does. */
async function bundle(source: string): Promise<string> {
  const entry = join(import.meta.dirname, 'virtual-entry.js');
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'test:virtual',
        enforce: 'pre',
        resolveId: (id) => (id === entry ? entry : id === 'vue-i18n' ? join(DIST, 'vue-i18n.runtime.mjs') : null),
        load: (id) => (id === entry ? source : null),
      },
      vueI18nTreeShaking(),
    ],
    build: { write: false, minify: false, lib: { entry, formats: ['es'] }, rollupOptions: { external: [] } },
  });
  const results = Array.isArray(output) ? output : [output];
  return results
    .flatMap((result) => ('output' in result ? result.output : []))
    .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
    .join('\n');
}

describe('vue-i18n tree shaking', () => {
  it('leaves out the parts of Vue nobody imports once vue-i18n is bundled', async () => {
    const code = await bundle("import { createI18n } from 'vue-i18n';\nexport const i18n = createI18n({ legacy: false, locale: 'fr' });\n");
    expect(code).toContain('getCurrentInstance');
    // Without the rewrite, the `in` test keeps every export of Vue: these are some that vue-i18n never uses.
    for (const unused of ['defineCustomElement', 'createSSRApp', 'TransitionGroup']) expect(code).not.toContain(unused);
  });

  it('stops the build when the lookup it rewrites is no longer the one vue-i18n ships', async () => {
    const changed = readFileSync(join(DIST, 'vue-i18n.runtime.mjs'), 'utf8').replace("const key = 'currentInstance';", "const key = 'instance';");
    const plugin = vueI18nTreeShaking();
    const transform = plugin.transform as (this: { error: (message: string) => never }, code: string, id: string) => unknown;
    const context = {
      error: (message: string): never => {
        throw new Error(message);
      },
    };
    expect(() => transform.call(context, changed, join(DIST, 'vue-i18n.runtime.mjs'))).toThrow(/lookup has changed/);
    // Other modules pass through untouched.
    expect(transform.call(context, changed, '/somewhere/else.mjs')).toBeNull();
  });
});
