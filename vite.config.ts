// Vite config of the renderer (the Vue app): production build and `npm run dev`.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import vueI18n from '@intlify/unplugin-vue-i18n/vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [
    // Every component is <script setup> with the Composition API (STYLE.md): Vue's Options API support is dead weight.
    vue({ features: { optionsAPI: false } }),
    // Messages are precompiled at build time so the renderer ships vue-i18n's runtime-only build.
    vueI18n({
      include: [fileURLToPath(new URL('./renderer/src/i18n/**/*.json', import.meta.url)), fileURLToPath(new URL('./shared/i18n/**/*.json', import.meta.url))],
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      strictMessage: false,
      // Every message comes from these files, compiled here: the runtime compiler (about 12 KB) is never called.
      dropMessageCompiler: true,
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    // No inline <script> for modulepreload polyfill: the CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        // boot.ts and the client it calls through in a chunk of their own, free of Vue: the entry imports it before
        // the framework's chunk, so the first call to the engine leaves before Vue is even evaluated.
        manualChunks: (id) => (/[/\\]renderer[/\\]src[/\\](boot|client)\.ts$|[/\\]shared[/\\](methods|supervisor-methods)\.ts$/.test(id) ? 'boot' : undefined),
      },
    },
  },
  server: {
    strictPort: false,
    host: '127.0.0.1',
  },
});
