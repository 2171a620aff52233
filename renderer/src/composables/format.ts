// Display formats for times and durations; the locale comes from the current language.

/** 4:05 for 245 seconds: countdowns read at a glance. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
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
