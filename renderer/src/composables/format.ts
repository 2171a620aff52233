// Display formats for times and dates: built by hand, with names from the current language's messages (durations: shared/display-format.ts).

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The 24-hour clock with colons, as French and British English both write it (what Intl gives for fr and
 * en-GB), built by hand: Intl's first use in a page loads its locale data, 15–30 ms on the welcome's path.
 */
export function formatTime(ms: number, withSeconds = false): string {
  const d = new Date(ms);
  const time = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return withSeconds ? `${time}:${two(d.getSeconds())}` : time;
}

type Translate = (key: string, named: Record<string, string | number>) => string;

/** "mardi 1 décembre 2026", "Tuesday, 1 December 2026": the names and their order come from the message files. */
export function formatDate(ms: number, t: Translate): string {
  const d = new Date(ms);
  return t('calendar.date', {
    weekday: t(`calendar.weekdays.${d.getDay()}`, {}),
    day: d.getDate(),
    month: t(`calendar.months.${d.getMonth()}`, {}),
    year: d.getFullYear(),
  });
}
