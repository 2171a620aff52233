// electron-builder.yml: valid against electron-builder's own schema, every fuse flipped, the targets the stations need.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

/** The schema electron-builder itself validates its configuration with, from the installed version. */
function builderSchemaValidator() {
  const require = createRequire(import.meta.url);
  const schemaPath = join(require.resolve('app-builder-lib/package.json'), '..', 'scheme.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  // strict: false because the schema carries documentation keywords ajv does not know.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

function section(name: string): Record<string, unknown> {
  return (config[name] ?? {}) as Record<string, unknown>;
}

describe('electron-builder.yml', () => {
  const validate = builderSchemaValidator();

  it("is valid against electron-builder's own JSON schema", () => {
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would catch a misspelt key (the schema check is real)', () => {
    expect(validate({ ...config, electronFuse: { runAsNode: false } })).toBe(false);
    expect(validate({ ...config, nsis: { ...section('nsis'), perMachine: 'yes' } })).toBe(false);
  });

  it.each([
    ['runAsNode', false],
    ['enableNodeOptionsEnvironmentVariable', false],
    ['enableNodeCliInspectArguments', false],
    ['enableEmbeddedAsarIntegrityValidation', true],
    ['onlyLoadAppFromAsar', true],
    ['enableCookieEncryption', true],
    ['loadBrowserProcessSpecificV8Snapshot', false],
    ['grantFileProtocolExtraPrivileges', false],
  ])('sets the fuse %s to %s', (fuse, value) => {
    expect(section('electronFuses')[fuse]).toBe(value);
  });

  it('names the app as the product card does', () => {
    expect(config.appId).toBe('fr.agriculture.enrolment-kiosk');
    expect(config.productName).toBe('Enrolment Kiosk');
    expect(config.productName).toBe(packageJson.productName);
  });

  it('packs the bundles into an ASAR with better-sqlite3 unpacked and rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    // Neither runs inside the package: the browser shell needs no Electron, the admin line needs Node (runAsNode is off).
    expect(config.files).toEqual(expect.arrayContaining(['!out/browser-shell/**', '!out/admin/**']));
    expect(packageJson.main).toMatch(/^out\//);
  });

  it('builds an AppImage and a deb for Linux, with a category and a maintainer', () => {
    const linux = section('linux');
    expect(linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(linux.category).toEqual(expect.any(String));
    expect(linux.maintainer).toEqual(expect.any(String));
  });

  it('builds an NSIS installer for Windows, installed per machine with a choice of options', () => {
    expect(section('win').target).toEqual(['nsis']);
    expect(section('nsis')).toMatchObject({ oneClick: false, perMachine: true });
  });

  it('takes its resources from build/, with a 512x512 icon there', () => {
    expect(section('directories').buildResources).toBe('build');
    const iconPath = join(root, 'build', 'icon.png');
    expect(existsSync(iconPath)).toBe(true);
    const icon = PNG.sync.read(readFileSync(iconPath));
    expect([icon.width, icon.height]).toEqual([512, 512]);
  });
});
