// The message files: both languages say the same things, every error code is translated, every key used exists.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { STEP_IDS, SIGN_IN_METHODS } from '../../../shared/steps';
import { agentMessages, consoleMessages, flatten } from '../message-files';

const SRC = join(import.meta.dirname, '../../../renderer/src');
/** The agent flow's messages (shipped with its screens) and the console's and wizard's (loaded with them). */
const agent = { fr: agentMessages('fr'), en: agentMessages('en') };
const consoleOnly = { fr: consoleMessages('fr'), en: consoleMessages('en') };
const fr = { ...agent.fr, ...consoleOnly.fr };
const en = { ...agent.en, ...consoleOnly.en };
const frKeys = flatten(fr);
const enKeys = flatten(en);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.(vue|ts)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe('renderer messages', () => {
  it('has the same keys in French and English', () => {
    expect([...enKeys.keys()].filter((k) => !frKeys.has(k))).toEqual([]);
    expect([...frKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('has no empty message', () => {
    for (const [key, value] of [...frKeys, ...enKeys]) expect(value.trim(), key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of frKeys) expect(names(enKeys.get(key) ?? ''), key).toEqual(names(value));
  });

  it('translates every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(frKeys.has(`errors.${code}`), `fr errors.${code}`).toBe(true);
      expect(enKeys.has(`errors.${code}`), `en errors.${code}`).toBe(true);
    }
  });

  it('names every step and sign-in method in the progress indicator and the test-login choices', () => {
    const camel = (id: string) => id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    for (const id of STEP_IDS) expect(frKeys.has(`progress.steps.${camel(id)}`), id).toBe(true);
    for (const method of SIGN_IN_METHODS) expect(frKeys.has(`testLogin.methods.${method}.label`), method).toBe(true);
  });

  it('writes no character the message syntax would misread (@ linked messages, | plurals) outside a literal', () => {
    for (const [key, value] of [...frKeys, ...enKeys]) {
      const outsideLiterals = value.replace(/\{'[^']*'\}/g, '');
      expect(outsideLiterals, key).not.toMatch(/[@|]/);
    }
  });

  it('writes French with its accents and typography', () => {
    const text = [...frKeys.values()].join('\n');
    for (const word of ['étape', 'téléphone', 'à', 'Réessayer', 'numéro']) expect(text).toContain(word);
    // A colon, question mark or closing guillemet is preceded by a no-break space, never a plain one.
    expect(text).not.toMatch(/ [:?!»]/);
  });

  it('defines every key the screens ask for by name', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        const key = match[1] ?? '';
        if (!frKeys.has(key) || !enKeys.has(key)) missing.push(`${file.replace(SRC, '')}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("finds the agent flow's keys in the messages that load with it, not only in the console's", () => {
    // The files are set side by side by top-level section: a section in both would lose one file's messages.
    for (const lang of ['fr', 'en'] as const) {
      expect(Object.keys(consoleOnly[lang]).filter((section) => section in agent[lang]), lang).toEqual([]);
    }
    const agentKeys = flatten(agent.fr);
    const elsewhere: string[] = [];
    for (const file of sourceFiles(SRC).filter((path) => !/[/\\](console|setup)[/\\]/.test(path))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        const key = match[1] ?? '';
        if (!agentKeys.has(key)) elsewhere.push(`${file.replace(SRC, '')}: ${key}`);
      }
    }
    expect(elsewhere).toEqual([]);
  });
});
