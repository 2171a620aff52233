// What the station package carries, checked without root: its run-time node_modules, and a changelog that names the version it builds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meetsEngines, parseChangelog, runtimePackages } from '../../../build/station-package/build';

const ROOT = process.cwd();

describe('the station package', () => {
  it("carries package.json's run-time dependencies and theirs, and no development or install-time package", () => {
    const carried = runtimePackages(ROOT).map((dir) => dir.slice(`${ROOT}/`.length));
    expect(carried).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3', 'node_modules/bindings', 'node_modules/csv-parse', 'node_modules/iconv-lite', 'node_modules/safer-buffer']),
    );
    // prebuild-install only fetches a prebuilt addon during npm install; vite, electron and the rest are for building.
    for (const absent of ['node_modules/prebuild-install', 'node_modules/electron', 'node_modules/vite', 'node_modules/otplib']) {
      expect(carried).not.toContain(absent);
    }
  });

  it("is built from a changelog whose first entry is package.json's version (an update needs its entry)", () => {
    const { version, epoch } = parseChangelog(readFileSync('build/station-package/changelog', 'utf8'));
    expect(version).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    expect(epoch).toBeGreaterThan(Date.UTC(2026, 0, 1) / 1000);
  });

  it('refuses a changelog without a dated first entry', () => {
    expect(() => parseChangelog('enrolment-kiosk-station (0.2.0) unstable; urgency=medium\n\n  * change\n')).toThrow(/no first entry/);
    expect(() => parseChangelog('enrolment-kiosk-station (0.2.0) unstable\n\n -- A <a@b.c>  not a date\n')).toThrow(/unreadable date/);
  });

  it("carries a Node.js that meets package.json's engines", () => {
    const pinned = JSON.parse(readFileSync('build/station-package/node-runtime.json', 'utf8')) as { version: string };
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    expect(meetsEngines(pinned.version, engines)).toBe(true);
    expect(meetsEngines('20.18.3', '>=20.19')).toBe(false);
    expect(meetsEngines('20.19.0', '>=20.19')).toBe(true);
    expect(meetsEngines('22.1.0', '>=20.19.4')).toBe(true);
  });
});
