// The event types the store's SQL reads back are the ones the engine writes: a renamed type fails here, not as an empty dashboard figure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_CODE_EVENTS, EVENT_TYPES, sqlEventList } from '../../../shared/event-types';

const storeDir = fileURLToPath(new URL('../../../electron/store', import.meta.url));
const sources = [
  ...readdirSync(storeDir).filter((f) => f.endsWith('.ts')).map((f) => join(storeDir, f)),
  ...readdirSync(join(storeDir, 'migrations')).map((f) => join(storeDir, 'migrations', f)),
].map((file) => readFileSync(file, 'utf8'));

/** Every quoted literal in a `type = '…'` or `type IN ('…', …)` SQL predicate (sqlite_master's own `type` aside). */
function sqlTypeLiterals(source: string): string[] {
  const text = source
    .split('\n')
    .filter((line) => !line.includes('sqlite_master'))
    .join('\n');
  const lists = [...text.matchAll(/\btype\s*(?:=\s*'[^']*'|IN\s*\(([^)]*)\))/g)].map((m) => m[0]);
  return lists.flatMap((list) => [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? ''));
}

describe('event types in the store SQL', () => {
  it('name only types the engine and the store write', () => {
    const literals = sources.flatMap(sqlTypeLiterals);
    // The shipped migrations' partial indexes name at least these: the check below is not vacuous.
    expect(literals).toEqual(expect.arrayContaining(['device_registered', 'sign_in_test', 'clock_jumped_back']));
    for (const literal of literals) expect(EVENT_TYPES).toContain(literal);
  });

  it('the dashboard lists accepted codes exactly as the partial index 002 does, so SQLite can use it', () => {
    const migration = readFileSync(join(storeDir, 'migrations', '002-dashboard-indexes.ts'), 'utf8');
    expect(migration).toContain(`WHERE type IN (${sqlEventList(ACCEPTED_CODE_EVENTS)})`);
  });
});
