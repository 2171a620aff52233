// Times and dates on the screens read as Intl writes them for French and British English, without Intl's start-up cost.
import { describe, expect, it } from 'vitest';
import { formatMessage, messageAt } from '../../../shared/i18n/translate';
import type { Language } from '../../../shared/steps';
import { agentMessages } from '../message-files';

type Translate = (key: string, named: Record<string, string | number>) => string;
/** Renderer code, outside the Node tests' TypeScript project: loaded by path at run time, as the client's tests do. */
const FORMAT_PATH = '../../../renderer/src/composables/format.ts';
const { formatDate, formatTime } = (await import(/* @vite-ignore */ FORMAT_PATH)) as {
  formatDate: (ms: number, t: Translate) => string;
  formatTime: (ms: number, withSeconds?: boolean) => string;
};

/** The message lookup and {name} substitution the screens get from vue-i18n, over the real message files. */
function translator(lang: Language): Translate {
  const tree = agentMessages(lang);
  return (key, named) => formatMessage(messageAt(tree, key), named);
}

const DAY = 86_400_000;
const intlDate = (locale: string) => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

describe('screen formats', () => {
  it('writes every date of two years as Intl does for fr and en-GB', () => {
    for (const [lang, locale] of [['fr', 'fr'], ['en', 'en-GB']] as const) {
      const t = translator(lang);
      const intl = intlDate(locale);
      for (let ms = Date.UTC(2026, 0, 1, 12); ms < Date.UTC(2028, 0, 1); ms += DAY) {
        expect(formatDate(ms, t), new Date(ms).toISOString()).toBe(intl.format(ms));
      }
    }
  });

  it('writes the 24-hour clock as Intl does for fr and en-GB, with and without seconds', () => {
    for (const locale of ['fr', 'en-GB']) {
      const hm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
      const hms = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      for (let ms = Date.UTC(2026, 5, 1); ms < Date.UTC(2026, 5, 2); ms += 7 * 60_000 + 13_000) {
        expect(formatTime(ms)).toBe(hm.format(ms));
        expect(formatTime(ms, true)).toBe(hms.format(ms));
      }
    }
  });
});
