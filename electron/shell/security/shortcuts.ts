// The keyboard guard: the shortcuts that would leave, close, reload or inspect the kiosk.

/** The fields of Electron's `Input` the keyboard guard reads. */
export interface KeyInput {
  key: string;
  control: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/** Refresh, fullscreen toggle, DevTools, caret browsing and the browser keys, whatever the modifiers. */
const ALWAYS_BLOCKED = new Set([
  'f5',
  'f7',
  'f11',
  'f12',
  'browserback',
  'browserforward',
  'browserrefresh',
  'browserhome',
  'browsersearch',
  'browserfavorites',
  'browserstop',
]);
/** Ctrl/Cmd + key: close, quit, reload, new window or tab, open, print, save, view source, downloads, history, address. */
const BLOCKED_WITH_COMMAND = new Set(['w', 'q', 'r', 'n', 't', 'o', 'p', 's', 'u', 'j', 'h', 'l', 'f4']);
/** Ctrl/Cmd + Shift + key: DevTools (I, J, C, K), hard reload, new windows, quit, clear data, profiles. */
const BLOCKED_WITH_COMMAND_SHIFT = new Set(['i', 'j', 'c', 'k', 'r', 'n', 't', 'w', 'q', 'delete', 'm']);
/** Alt + key: close window, history back and forward, home page. */
const BLOCKED_WITH_ALT = new Set(['f4', 'arrowleft', 'arrowright', 'home']);

/**
 * True for a key press that would leave, close, reload or inspect the kiosk. Ctrl+Alt combos
 * are never blocked: AltGr is Ctrl+Alt on Windows (French keyboards type @ with it) and the
 * supervisor console opens with Ctrl+Alt+S.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  const key = input.key.toLowerCase();
  if (ALWAYS_BLOCKED.has(key)) return true;
  const command = input.control || input.meta;
  if (command && input.alt) return false;
  if (command) return (input.shift ? BLOCKED_WITH_COMMAND_SHIFT : BLOCKED_WITH_COMMAND).has(key);
  if (input.alt) return BLOCKED_WITH_ALT.has(key);
  return false;
}
