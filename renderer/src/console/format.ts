// The console's dates in the language on screen; counts, rates and durations are shared/display-format.ts's, the report's too.
import { LANGUAGES, type Language } from '../../../shared/steps';

/** The language on screen as the shared formats take it: vue-i18n types its locale as any string, the app sets only these. */
export function screenLanguage(locale: string): Language {
  return LANGUAGES.find((language) => language === locale) ?? 'fr';
}

export function formatDateTime(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}
