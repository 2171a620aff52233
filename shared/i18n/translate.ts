// Messages outside Vue: the main process writes the report and the CSVs from the console's message files with this.

/** A message file: sections of sections, strings at the leaves (vue-i18n's JSON format). */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

/** The dotted paths to a tree's strings (`console.roster.title`): a key the files lack does not compile. */
export type MessageKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${MessageKey<T[K]>}`;
}[keyof T & string];

export type MessageParams = Readonly<Record<string, string | number>>;

export type Translate<T> = (key: MessageKey<T>, params?: MessageParams) => string;

/** `prepare-phone` -> `preparePhone`: message keys are camelCase, step ids and roster statuses kebab-case. */
export function stepKey(step: string): string {
  return step.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `{name}`, or `{'text'}`: the message syntax's literal, how a file writes a character the syntax reserves. */
const PLACEHOLDER = /\{\s*(?:'([^']*)'|(\w+))\s*\}/g;

/**
 * A message with its placeholders filled, in vue-i18n's syntax. Linked messages (`@:`) and plurals (`|`) are not
 * in the files (tests/unit/renderer/messages.test.ts), so a brace left over is a mistake and throws, as does a
 * parameter not given. `escape` applies to the message's own text, not to the parameters: the report passes as
 * parameters HTML it built itself (escaped names, `<code>`).
 */
export function formatMessage(message: string, params: MessageParams = {}, escape = (text: string) => text): string {
  let out = '';
  let from = 0;
  const text = (to: number) => {
    const part = message.slice(from, to);
    if (/[{}]/.test(part)) throw new Error(`malformed message: ${message}`);
    return escape(part);
  };
  for (const match of message.matchAll(PLACEHOLDER)) {
    out += text(match.index);
    const [whole, literal, name] = match;
    if (literal !== undefined) out += escape(literal);
    else {
      const value = params[name ?? ''];
      if (value === undefined) throw new Error(`no value for {${name ?? ''}} in: ${message}`);
      out += String(value);
    }
    from = match.index + whole.length;
  }
  return out + text(message.length);
}

/** The string at `key` in `tree`; a missing key throws rather than print the key where a word belongs. */
export function messageAt(tree: MessageTree, key: string): string {
  let node: string | MessageTree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') throw new Error(`no message "${key}"`);
  return node;
}

/** `t(key, params)` over one language's messages, as the screens' vue-i18n gives it; `escape` as formatMessage's. */
export function createTranslator<T extends MessageTree>(tree: T, escape?: (text: string) => string): Translate<T> {
  return (key, params) => formatMessage(messageAt(tree, key), params, escape);
}
