// Lint rules, including the import boundaries of STYLE.md: where code runs decides what it may import.
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

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
  {
    files: ['renderer/**', 'tests/bench/floor/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Only the Electron shell (electron/shell/**) runs inside Electron: an electron import anywhere else
  // would pass the typecheck and break the browser shell, the tests or the build scripts.
  {
    files: ['**/*.{js,mjs,cjs,ts,vue}'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  // shared/ runs on both sides: nothing from either side, nothing from Node, Electron or the DOM frameworks.
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'vue', 'pinia', 'better-sqlite3'],
          patterns: ['**/electron/**', '**/renderer/**'],
        },
      ],
    },
  },
  // The engine never imports electron (it runs in the browser shell and in tests too) nor SQLite (the log does).
  // Dependencies point inward: the engine defines its ports and domain types, the store implements them, so the
  // engine imports nothing from the store, and neither imports a shell or the composition root.
  {
    files: ['electron/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'better-sqlite3'], patterns: ['**/renderer/**', '**/store/**', '**/shell/**', '**/browser-shell/**', '**/kiosk'] },
      ],
    },
  },
  // The log: the one place SQL and better-sqlite3 live; no electron.
  {
    files: ['electron/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: ['**/renderer/**', '**/shell/**', '**/browser-shell/**', '**/kiosk'] },
      ],
    },
  },
  // The browser shell runs where Electron does not.
  {
    files: ['electron/browser-shell/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'better-sqlite3'], patterns: ['**/renderer/**'] }],
    },
  },
  // The composition root and what both shells share (kiosk, data folder, key stores): no electron, no SQL of their own.
  {
    files: ['electron/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron', 'better-sqlite3'], patterns: ['**/renderer/**'] }] },
  },
  // The Electron shell: the one place electron may be imported; no SQL of its own.
  {
    files: ['electron/shell/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['better-sqlite3'], patterns: ['**/renderer/**'] }] },
  },
  // The renderer reaches the engine only through its client.
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'better-sqlite3', 'otplib', 'qrcode'],
          patterns: ['**/electron/**'],
        },
      ],
    },
  },
);
