import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('start-up path', () => {
  it('never imports otplib, qrcode, csv-parse or iconv-lite statically in the main process code (only `await import` or types)', () => {
    const offenders = sources('electron').filter((file) =>
      /^\s*import\s+(?!type\b)[^;]*from\s+['"](otplib|qrcode|csv-parse(\/sync)?|iconv-lite)['"]/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
