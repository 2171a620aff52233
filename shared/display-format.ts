// How figures read, on the console's screens and in the report alike: counts, rates and durations.
import type { Language } from './steps';

/** The locale each language writes its numbers and dates in: France's French, British English (day first, 24-hour clock). */
export const LOCALES: Readonly<Record<Language, string>> = { fr: 'fr-FR', en: 'en-GB' };

/** After a percentage's number: French puts a space before %, English none. */
const PERCENT_SIGN: Readonly<Record<Language, string>> = { fr: '\u00a0%', en: '%' };

/** A count with the language's thousands separator: 1 234 567, 1,234,567. */
export function formatNumber(n: number, language: Language): string {
  return n.toLocaleString(LOCALES[language]);
}

/** A rate from 0 to 1 as a whole percentage: 89 %, 89%; — when there is none (no session ended yet). */
export function formatPercent(rate: number | null, language: Language): string {
  if (rate === null) return '—';
  return `${(rate * 100).toLocaleString(LOCALES[language], { maximumFractionDigits: 0 })}${PERCENT_SIGN[language]}`;
}

/**
 * A duration in milliseconds, written alike in both languages. `countdown`: 4:05, whole seconds rounded up so a
 * countdown reads 0:00 only at the end; `long`: 4 min 05 s, rounded, for the figures; — when there is none.
 */
export function formatDuration(ms: number | null, style: 'countdown' | 'long'): string {
  if (ms === null) return '—';
  if (style === 'countdown') {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
