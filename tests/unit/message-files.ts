// The message files as a translator reads them, from disk: the agent flow's (renderer/) and the console's (shared/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../../shared/steps';

export type Tree = { [key: string]: string | Tree };

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string): Tree => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Tree;

/** The agent flow's messages, shipped with its screens. */
export const agentMessages = (language: Language): Tree => read(`renderer/src/i18n/${language}.json`);
/** The console's and wizard's messages, shared/'s: the report and the CSVs are written from them too. */
export const consoleMessages = (language: Language): Tree => read(`shared/i18n/console/${language}.json`);

/** Every string by its dotted key: `console.roster.title`. */
export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}
