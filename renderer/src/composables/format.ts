// Display formats for times and durations; the locale comes from the current language.

/**
 * A duration in milliseconds. `countdown`: 4:05, whole seconds rounded up so a countdown reads 0:00 only at
 * the end; `long`: 4 min 05 s, rounded, for the dashboard's figures, and — when there is none.
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

/** English as written in Europe: 24-hour clock, day before month. */
function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : locale;
}

export function formatTime(ms: number, locale: string, withSeconds = false): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(ms);
}

export function formatDate(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}

/** `prepare-phone` -> `preparePhone`: message keys are camelCase, step ids kebab-case. */
export function stepKey(step: string): string {
  return step.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
