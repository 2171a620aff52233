// Lint rules, with the layers of ARCHITECTURE.md as a whitelist: where code runs decides what it may import.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers, one per row of ARCHITECTURE.md's table (first match wins: the preload before the rest of the shell,
 * the shells before `electron/*.ts`). tests/unit/build/layers.test.ts writes a probe file for each "never".
 */
const layers = [
  { type: 'shared', pattern: 'shared/**' },
  { type: 'engine', pattern: 'electron/engine/**' },
  { type: 'store', pattern: 'electron/store/**' },
  { type: 'admin', pattern: 'electron/admin/**' },
  { type: 'transport', pattern: 'electron/transport/**' },
  { type: 'preload', pattern: 'electron/shell/preload*.ts' },
  { type: 'shell', pattern: 'electron/shell/**' },
  { type: 'browser-shell', pattern: 'electron/browser-shell/**' },
  { type: 'electron-root', pattern: 'electron/*.ts' },
  { type: 'renderer', pattern: 'renderer/**' },
].map((layer) => ({ ...layer, mode: 'full' }));

const layer = (...types) => ({ to: { element: { type: types } } });
/** Node's built-ins but `module`: createRequire would load what this rule refuses, out of its sight. */
const node = { to: { module: { origin: 'core', source: '!{module,node:module}' } } };
const packages = (...names) => ({ to: { module: { origin: 'external', source: names } } });
const typesOnly = (selector) => ({ ...selector, dependency: { kind: 'type' } });
const lazily = (selector) => [{ ...selector, dependency: { nodeKind: 'dynamic-import' } }, typesOnly(selector)];

/** What each layer may import; everything else, static, import(), require or export-from, is refused. */
const policies = [
  { from: { element: { type: 'shared' } }, allow: [layer('shared'), packages('zod')] },
  {
    from: { element: { type: 'engine' } },
    // otplib, qrcode, csv-parse and iconv-lite only by import(): they stay off the main process's start-up path.
    allow: [layer('shared', 'engine'), node, packages('zod'), ...lazily(packages('otplib', 'qrcode', 'csv-parse', 'iconv-lite'))],
  },
  {
    from: { element: { type: 'store' } },
    // The engine's ports and domain types, which the store implements; never the engine's code.
    allow: [layer('shared', 'store'), node, packages('better-sqlite3', 'zod'), typesOnly(layer('engine'))],
  },
  { from: { element: { type: 'electron-root' } }, allow: [layer('shared', 'engine', 'store', 'electron-root'), node] },
  { from: { element: { type: 'admin' } }, allow: [layer('shared', 'engine', 'store', 'electron-root', 'admin'), node] },
  { from: { element: { type: 'transport' } }, allow: [layer('shared', 'transport'), node] },
  {
    from: { element: { type: 'shell' } },
    allow: [
      layer('shared', 'electron-root', 'transport', 'shell', 'preload'),
      node,
      packages('electron'),
      { to: { element: { type: 'engine' }, file: { path: 'electron/engine/key-store.ts' } } },
      typesOnly(layer('engine')),
    ],
  },
  {
    // The sandboxed preload is bundled alone: electron, the method list and its channel name, nothing else at run time.
    from: { element: { type: 'preload' } },
    allow: [packages('electron'), { to: { file: { path: ['shared/methods.ts', 'electron/shell/ipc-channel.ts'] } } }, typesOnly(layer('shared'))],
  },
  { from: { element: { type: 'browser-shell' } }, allow: [layer('shared', 'electron-root', 'transport', 'browser-shell'), node] },
  { from: { element: { type: 'renderer' } }, allow: [layer('shared', 'renderer'), packages('vue', 'pinia', 'vue-i18n')] },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/no-v-html': 'off',
    },
  },
  // Type-aware rules: a promise nobody awaits loses its error; an assertion the types already prove hides the next change.
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    files: ['renderer/**', 'tests/bench/floor/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Tests, benches and build scripts run in Node, where the electron package is only a path to a binary.
  {
    files: ['tests/**', 'build/**', '*.{js,ts}'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  // The log has writers on two threads (the kiosk's, the task worker's). A transaction that reads before it writes
  // while the other commits fails at once with "database is locked" (busy_timeout cannot help a stale snapshot),
  // so every transaction the store runs takes the write lock first: `.immediate()`, never a bare call or `.deferred()`.
  {
    files: ['electron/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='CallExpression'][callee.callee.property.name='transaction']",
          message: 'Run a transaction with .immediate(): it takes the write lock first, so a worker writing meanwhile makes it wait, not fail.',
        },
        {
          selector: "MemberExpression[property.name='deferred'][object.callee.property.name='transaction']",
          message: 'Run a transaction with .immediate(): it takes the write lock first, so a worker writing meanwhile makes it wait, not fail.',
        },
      ],
    },
  },
  // The layers: a whitelist per folder (boundaries) and no import cycle (type-only cycles are allowed: they vanish at run time).
  {
    files: ['shared/**', 'electron/**', 'renderer/**'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': layers,
      'boundaries/dependency-nodes': ['import', 'dynamic-import', 'require', 'export'],
      // mode 'full' matches each pattern against the whole path (rows such as `electron/*.ts` are files); v7 calls it legacy.
      'boundaries/legacy-warnings': false,
      'import/resolver': { typescript: { alwaysTryTypes: true } },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      // The cycle rule follows TypeScript files (its default is JavaScript only); components are out of its reach.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, policies }],
      'import-x/no-cycle': 'error',
    },
  },
);
