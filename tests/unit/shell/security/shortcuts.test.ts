// The keyboard guard: the shortcuts that would leave, close, reload or inspect the kiosk, and the ones it lets through.
import { describe, expect, it } from 'vitest';
import { isBlockedShortcut, type KeyInput } from '../../../../electron/shell/security/shortcuts';

describe('isBlockedShortcut', () => {
  const press = (key: string, mods: Partial<Omit<KeyInput, 'key'>> = {}): KeyInput => ({
    key,
    control: false,
    alt: false,
    shift: false,
    meta: false,
    ...mods,
  });

  it.each([
    ['Alt+F4', press('F4', { alt: true })],
    ['Ctrl+W', press('w', { control: true })],
    ['Ctrl+F4', press('F4', { control: true })],
    ['Ctrl+Q', press('q', { control: true })],
    ['Cmd+Q', press('q', { meta: true })],
    ['Ctrl+R', press('r', { control: true })],
    ['Ctrl+Shift+R', press('R', { control: true, shift: true })],
    ['F5', press('F5')],
    ['Ctrl+F5', press('F5', { control: true })],
    ['F11', press('F11')],
    ['F12', press('F12')],
    ['Ctrl+Shift+I', press('I', { control: true, shift: true })],
    ['Ctrl+Shift+J', press('J', { control: true, shift: true })],
    ['Ctrl+Shift+C', press('C', { control: true, shift: true })],
    ['Ctrl+N', press('n', { control: true })],
    ['Ctrl+T', press('t', { control: true })],
    ['Ctrl+P', press('p', { control: true })],
    ['Ctrl+S', press('s', { control: true })],
    ['Ctrl+U', press('u', { control: true })],
    ['Alt+Left', press('ArrowLeft', { alt: true })],
    ['Browser Back key', press('BrowserBack')],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['a digit', press('7')],
    ['a letter', press('a')],
    ['Shift+A', press('A', { shift: true })],
    ['Backspace', press('Backspace')],
    ['Enter', press('Enter')],
    ['Tab', press('Tab')],
    ['Escape', press('Escape')],
    ['Ctrl+A (select all)', press('a', { control: true })],
    ['Ctrl+C (copy)', press('c', { control: true })],
    ['Ctrl+V (paste)', press('v', { control: true })],
    ['Ctrl+Z (undo)', press('z', { control: true })],
    ['Ctrl+Alt+S (the supervisor console)', press('s', { control: true, alt: true })],
    ['AltGr+0 typing @ on a French keyboard', press('@', { control: true, alt: true })],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });
});
