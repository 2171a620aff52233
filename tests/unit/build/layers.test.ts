// ARCHITECTURE.md's table as probe files: each forbidden import is written into the folder it is forbidden from and `npm run lint` must refuse it.
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

interface Probe {
  /** The table's words: who imports what. */
  readonly what: string;
  /** Folder the probe file is written into, relative to the repository. */
  readonly dir: string;
  /** The probe's body; its imports resolve from `dir`. */
  readonly code: string;
  /** File extension (the renderer's probes include a component). */
  readonly ext?: 'ts' | 'vue';
  /** Start of the probe's file name, where the layer is one file (the preload). */
  readonly prefix?: string;
  /** The probe's whole file name, where another probe imports it. */
  readonly name?: string;
}

/** One line per "never imports" of ARCHITECTURE.md's table, and the ways round a blacklist: import(), require, createRequire. */
const forbidden: readonly Probe[] = [
  { what: 'shared/ imports Node', dir: 'shared', code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;" },
  { what: 'shared/ imports the engine', dir: 'shared', code: "import { createEngine } from '../electron/engine/engine';\nexport const f = createEngine;" },
  { what: 'shared/ imports Vue', dir: 'shared', code: "import { ref } from 'vue';\nexport const f = ref;" },
  { what: 'shared/ imports the renderer', dir: 'shared', code: "export const f = () => import('../renderer/src/client');" },
  { what: 'the engine imports electron', dir: 'electron/engine', code: "import { app } from 'electron';\nexport const f = app;" },
  { what: 'the engine imports better-sqlite3', dir: 'electron/engine', code: "import Database from 'better-sqlite3';\nexport const f = Database;" },
  { what: 'the engine reaches the store by import()', dir: 'electron/engine', code: "export const f = () => import('../store/open');" },
  {
    what: 'the engine loads better-sqlite3 by createRequire',
    dir: 'electron/engine',
    code: "import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\nexport const f = () => load('better-sqlite3') as unknown;",
  },
  { what: 'the engine loads the store by require', dir: 'electron/engine', code: "export const f = () => require('../store/open') as unknown;" },
  { what: 'the engine imports admin/', dir: 'electron/engine', code: "import { main } from '../admin/cli';\nexport const f = main;" },
  { what: 'the engine imports data-dir.ts', dir: 'electron/engine', code: "import * as dataDir from '../data-dir';\nexport const f = dataDir;" },
  { what: 'the engine imports kiosk.ts', dir: 'electron/engine', code: "import * as kiosk from '../kiosk';\nexport const f = kiosk;" },
  {
    what: "the engine imports the renderer's message files (the words it shares with the console are shared/'s)",
    dir: 'electron/engine',
    code: "import fr from '../../renderer/src/i18n/fr.json' with { type: 'json' };\nexport const f = fr;",
  },
  { what: 'the engine imports a shell', dir: 'electron/engine', code: "import * as origin from '../shell/app-origin';\nexport const f = origin;" },
  { what: 'the engine imports otplib at start-up (not lazily)', dir: 'electron/engine', code: "import * as otplib from 'otplib';\nexport const f = otplib;" },
  { what: 'the store imports the engine at run time', dir: 'electron/store', code: "import { createEngine } from '../engine/engine';\nexport const f = createEngine;" },
  {
    what: 'the store runs a transaction without taking the write lock first (a worker writing meanwhile makes it fail)',
    dir: 'electron/store',
    code: "import type Database from 'better-sqlite3';\nexport const f = (db: Database.Database) => db.transaction(() => 1)();",
  },
  {
    what: 'the store runs a deferred transaction',
    dir: 'electron/store',
    code: "import type Database from 'better-sqlite3';\nexport const f = (db: Database.Database) => db.transaction(() => 1).deferred();",
  },
  { what: 'the store imports electron', dir: 'electron/store', code: "import { app } from 'electron';\nexport const f = app;" },
  { what: 'the store imports kiosk.ts', dir: 'electron/store', code: "import * as kiosk from '../kiosk';\nexport const f = kiosk;" },
  { what: 'the Electron shell imports the store', dir: 'electron/shell', code: "import { openLog } from '../store/open';\nexport const f = openLog;" },
  { what: 'the Electron shell imports better-sqlite3', dir: 'electron/shell', code: "import Database from 'better-sqlite3';\nexport const f = Database;" },
  { what: 'the browser shell imports the store', dir: 'electron/browser-shell', code: "import { openLog } from '../store/open';\nexport const f = openLog;" },
  { what: 'the browser shell imports the Electron shell', dir: 'electron/browser-shell', code: "import * as origin from '../shell/app-origin';\nexport const f = origin;" },
  { what: 'the browser shell imports electron', dir: 'electron/browser-shell', code: "export const f = () => import('electron');" },
  { what: 'electron/*.ts imports a shell', dir: 'electron', code: "import * as origin from './shell/app-origin';\nexport const f = origin;" },
  { what: 'electron/*.ts imports electron', dir: 'electron', code: "import { app } from 'electron';\nexport const f = app;" },
  { what: 'electron/*.ts imports better-sqlite3', dir: 'electron', code: "import Database from 'better-sqlite3';\nexport const f = Database;" },
  { what: 'the renderer imports the engine', dir: 'renderer/src', code: "import { createEngine } from '../../electron/engine/engine';\nexport const f = createEngine;" },
  { what: 'the renderer imports Node', dir: 'renderer/src', code: "export const f = () => import('node:fs');" },
  { what: 'the renderer imports qrcode', dir: 'renderer/src', code: "import QRCode from 'qrcode';\nexport const f = QRCode;" },
  {
    what: 'a renderer component imports the store',
    dir: 'renderer/src/components',
    ext: 'vue',
    code: "<script setup lang=\"ts\">\nimport { openLog } from '../../../electron/store/open';\nvoid openLog;\n</script>\n<template><p /></template>\n",
  },
  { what: 'a test imports electron (Node cannot load it)', dir: 'tests/unit', code: "import { app } from 'electron';\nexport const f = app;" },
  { what: 'the Electron shell imports the engine at run time', dir: 'electron/shell', code: "import { createEngine } from '../engine/engine';\nexport const f = createEngine;" },
  {
    what: 'the preload imports the contract at run time (its sandboxed bundle stays a few lines)',
    dir: 'electron/shell',
    prefix: 'preload',
    code: "import { CONTRACT } from '../../shared/contract';\nexport const f = CONTRACT;",
  },
  { what: 'the preload imports Node', dir: 'electron/shell', prefix: 'preload', code: "import { join } from 'node:path';\nexport const f = join;" },
  { what: 'an import cycle at run time (one side)', dir: 'electron/engine', name: 'layer-probe-cycle-a', code: "import { g } from './layer-probe-cycle-b';\nexport const f = () => g;" },
  { what: 'an import cycle at run time (other side)', dir: 'electron/engine', name: 'layer-probe-cycle-b', code: "import { f } from './layer-probe-cycle-a';\nexport const g = () => f;" },
];

/** What the table allows, so the rule is not simply "refuse everything". */
const allowed: readonly Probe[] = [
  {
    what: 'the store runs a transaction that takes the write lock first',
    dir: 'electron/store',
    code: "import type Database from 'better-sqlite3';\nexport const f = (db: Database.Database) => db.transaction(() => 1).immediate();",
  },
  { what: 'shared/ imports shared/ and zod', dir: 'shared', code: "import { z } from 'zod';\nimport { STEP_IDS } from './steps';\nexport const f = [z, STEP_IDS];" },
  {
    what: 'the engine imports shared/, Node and otplib lazily',
    dir: 'electron/engine',
    code: "import { randomBytes } from 'node:crypto';\nimport { STEP_IDS } from '../../shared/steps';\nexport const f = [randomBytes, STEP_IDS, () => import('otplib')];",
  },
  {
    what: "the store imports better-sqlite3 and the engine's types",
    dir: 'electron/store',
    code: "import Database from 'better-sqlite3';\nimport type { Settings } from '../engine/domain';\nexport const f = (s: Settings) => [Database, s];",
  },
  {
    what: 'electron/*.ts wires the engine and the store',
    dir: 'electron',
    code: "import { createEngine } from './engine/engine';\nimport { openLog } from './store/open';\nexport const f = [createEngine, openLog];",
  },
  { what: 'the Electron shell imports electron and kiosk.ts', dir: 'electron/shell', code: "import { app } from 'electron';\nimport * as kiosk from '../kiosk';\nexport const f = [app, kiosk];" },
  { what: 'the browser shell imports kiosk.ts and Node', dir: 'electron/browser-shell', code: "import { createServer } from 'node:http';\nimport * as kiosk from '../kiosk';\nexport const f = [createServer, kiosk];" },
  {
    what: 'the preload imports electron, the method list and its channel, and types',
    dir: 'electron/shell',
    prefix: 'preload',
    code: "import { ipcRenderer } from 'electron';\nimport type { KioskApi } from '../../shared/contract';\nimport { METHOD_NAMES } from '../../shared/methods';\nimport { ipcChannel } from './ipc-channel';\nexport const f = (api: KioskApi) => [ipcRenderer, api, METHOD_NAMES, ipcChannel];",
  },
  { what: 'a type-only cycle (one side)', dir: 'electron/engine', name: 'layer-probe-type-cycle-a', code: "import type { B } from './layer-probe-type-cycle-b';\nexport interface A { b?: B }" },
  { what: 'a type-only cycle (other side)', dir: 'electron/engine', name: 'layer-probe-type-cycle-b', code: "import type { A } from './layer-probe-type-cycle-a';\nexport interface B { a?: A }" },
  {
    what: "the engine reads the console's message files, shared/'s",
    dir: 'electron/engine',
    code: "import fr from '../../shared/i18n/console/fr.json' with { type: 'json' };\nexport const f = fr;",
  },
  { what: 'the renderer imports Vue and shared/', dir: 'renderer/src', code: "import { ref } from 'vue';\nimport { STEP_IDS } from '../../shared/steps';\nexport const f = [ref, STEP_IDS];" },
];

const layerRule = (ruleId: string | null) => ruleId !== null && (ruleId.startsWith('boundaries/') || ruleId === 'import-x/no-cycle' || ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax');

function probePath(probe: Probe, index: number, kind: string): string {
  return join(root, probe.dir, `${probe.name ?? `${probe.prefix ?? ''}layer-probe-${kind}-${index}`}.${probe.ext ?? 'ts'}`);
}

const files = [...forbidden.map((p, i) => probePath(p, i, 'refused')), ...allowed.map((p, i) => probePath(p, i, 'accepted'))];
let refusals = new Map<string, string[]>();

beforeAll(async () => {
  forbidden.forEach((p, i) => writeFileSync(probePath(p, i, 'refused'), p.code));
  allowed.forEach((p, i) => writeFileSync(probePath(p, i, 'accepted'), p.code));
  // Only the layer rules: the probes are not meant to satisfy the type-aware ones.
  const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => layerRule(ruleId) });
  const results = await eslint.lintFiles(files);
  refusals = new Map(results.map((r) => [r.filePath, r.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)]));
}, 120_000);

afterAll(() => {
  for (const file of files) rmSync(file, { force: true });
});

describe('npm run lint keeps the layers of ARCHITECTURE.md', () => {
  it.each(forbidden.map((p, i) => ({ what: p.what, file: probePath(p, i, 'refused') })))('refuses: $what', ({ file }) => {
    expect(refusals.get(file), relative(root, file)).not.toEqual([]);
  });

  it.each(allowed.map((p, i) => ({ what: p.what, file: probePath(p, i, 'accepted') })))('accepts: $what', ({ file }) => {
    expect(refusals.get(file), relative(root, file)).toEqual([]);
  });
});
