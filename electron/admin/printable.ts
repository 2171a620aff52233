// Text from a bundle or a drive as the command line prints it: no control character reaches the supervisor's terminal.

/**
 * C0 and C1 controls (ESC starts a terminal escape sequence), DEL, the line and paragraph separators and the
 * bidirectional overrides, which can make a printed line read as something else than what it holds.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this expression's whole purpose.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A value (a station name, a file name) on one line: every control character escaped, line breaks too. */
export function printable(value: string): string {
  return value.replace(CONTROL, escaped);
}

/** A whole message: its own line breaks kept, every other control character escaped. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
