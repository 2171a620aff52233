// A Vite plugin that lets the bundler drop the parts of Vue the kiosk never uses, which vue-i18n's build otherwise pins.
import type { Plugin } from 'vite';

/**
 * vue-i18n 11's ES builds look up Vue's current instance with `'currentInstance' in Vue` on `import * as Vue from
 * 'vue'` (intlify/vue-i18n#2573). The `in` test makes the bundler build the whole namespace object, so every export
 * of Vue stays in the first screen's chunk: Teleport, Suspense, KeepAlive, TransitionGroup, hydration, custom
 * elements: 41 KB of minified code, over a third of the Vue the first screen loaded.
 *
 * Vue 3.5 exports no `currentInstance`, so that branch is never taken: the lookup is exactly
 * `Vue.getCurrentInstance()`, a static access the bundler can tree-shake. Should either package change, the build
 * stops here rather than ship a lookup that behaves differently or quietly grows again.
 */
const PROBE = /const key = 'currentInstance';\s*if \(key in Vue\) \{\s*return Vue\[key\];\s*\}\s*else \{\s*return Vue\.getCurrentInstance\(\);\s*\}/;
const VUE_I18N_BUILD = /[/\\]node_modules[/\\]vue-i18n[/\\]dist[/\\]vue-i18n[^/\\]*\.mjs$/;

export function vueI18nTreeShaking(): Plugin {
  return {
    name: 'kiosk:vue-i18n-tree-shaking',
    enforce: 'pre',
    async buildStart() {
      const vue: Record<string, unknown> = await import('vue');
      if ('currentInstance' in vue) {
        this.error('vue now exports currentInstance: vue-i18n takes it over getCurrentInstance(); review build/vue-i18n-tree-shaking.ts');
      }
    },
    transform(code, id) {
      if (!VUE_I18N_BUILD.test(id)) return null;
      if (!PROBE.test(code)) {
        this.error(`${id}: vue-i18n's current-instance lookup has changed; review build/vue-i18n-tree-shaking.ts`);
      }
      // As many lines as before, so the positions after it (and so the module's source map) stay as they were.
      const replaced = code.replace(PROBE, (probe) => `return Vue.getCurrentInstance();${'\n'.repeat(probe.split('\n').length - 1)}`);
      return { code: replaced, map: null };
    },
  };
}
