// What a key of the on-screen keyboard does to a text field's value: append, erase, or put a domain after the @.

/**
 * `text` typed at the end of `value`, within `max` characters. A domain key (`@agriculture.gouv.fr`) replaces
 * whatever followed the @ already typed, so a second touch corrects the first instead of adding a second @.
 */
export function typeInto(value: string, text: string, max: number): string {
  const isDomain = text.length > 1 && text.startsWith('@');
  const base = isDomain && value.includes('@') ? value.slice(0, value.indexOf('@')) : value;
  return (base + text).slice(0, max);
}

export function eraseFrom(value: string): string {
  return value.slice(0, -1);
}
