// Screens hold no hard-coded sentence: every visible word and every accessible name comes from the message files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'vue/compiler-sfc';

const SRC = join(import.meta.dirname, '../../../renderer/src');
/** Attributes a person reads or hears. */
const TEXT_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription']);
/** Node types of @vue/compiler-core: element, text, attribute. */
const ELEMENT = 1;
const TEXT = 2;
const ATTRIBUTE = 6;

interface TemplateNode {
  type: number;
  content?: string;
  tag?: string;
  props?: { type: number; name: string; value?: { content: string } }[];
  children?: TemplateNode[];
}

function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? vueFiles(join(dir, entry.name)) : entry.name.endsWith('.vue') ? [join(dir, entry.name)] : [],
  );
}

/** Letters make words; digits, punctuation and symbols alone (a keypad's "1", a "(") do not. */
const hasWords = (text: string) => /\p{L}{2,}/u.test(text);

function hardCoded(node: TemplateNode, found: string[]): void {
  if (node.type === TEXT && node.content && hasWords(node.content)) found.push(`text "${node.content.trim()}"`);
  if (node.type === ELEMENT) {
    for (const prop of node.props ?? []) {
      if (prop.type === ATTRIBUTE && TEXT_ATTRIBUTES.has(prop.name) && prop.value && hasWords(prop.value.content)) {
        found.push(`${node.tag ?? ''}[${prop.name}="${prop.value.content}"]`);
      }
    }
  }
  for (const child of node.children ?? []) hardCoded(child, found);
}

/** Elements with an attribute `name` of `value`, anywhere under `node`. */
function withAttribute(node: TemplateNode, name: string, value: string, found: string[]): void {
  if (node.type === ELEMENT && node.props?.some((p) => p.type === ATTRIBUTE && p.name === name && p.value?.content === value)) {
    found.push(node.tag ?? '');
  }
  for (const child of node.children ?? []) withAttribute(child, name, value, found);
}

describe('renderer templates', () => {
  const files = vueFiles(SRC);

  it('opens no system file chooser: a locked kiosk cannot show it (files are picked among the drives the engine lists)', () => {
    const found: string[] = [];
    for (const file of files) {
      const ast = parse(readFileSync(file, 'utf8'), { filename: file }).descriptor.template?.ast as TemplateNode | undefined;
      const here: string[] = [];
      if (ast) withAttribute(ast, 'type', 'file', here);
      found.push(...here.map((tag) => `${file.replace(SRC, '')}: <${tag} type="file">`));
    }
    expect(found).toEqual([]);
  });

  it('finds the step screens, one per step id', () => {
    expect(files.filter((f) => f.includes('/steps/')).length).toBe(9);
  });

  for (const file of files) {
    it(`${file.replace(SRC, '')} holds no hard-coded sentence`, () => {
      const { descriptor, errors } = parse(readFileSync(file, 'utf8'), { filename: file });
      expect(errors).toEqual([]);
      const found: string[] = [];
      const ast = descriptor.template?.ast as TemplateNode | undefined;
      if (ast) hardCoded(ast, found);
      expect(found).toEqual([]);
    });
  }
});
