/** Key helpers: termshark's movement keys, prompt editing, and splitting input that arrives in one chunk. */
import type { Key } from 'ink';

export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** The key a single character stands for, as ink reports it when it arrives alone. */
function keyOf(c: string): { input: string; key: Key } {
  if (c === '\t') return { input: '', key: { ...NO_KEY, tab: true } };
  if (c === '\r' || c === '\n') return { input: '', key: { ...NO_KEY, return: true } };
  if (c === '\x7f') return { input: '', key: { ...NO_KEY, delete: true } };
  if (c < ' ') return { input: String.fromCharCode(c.charCodeAt(0) + 96), key: { ...NO_KEY, ctrl: true } };
  return { input: c, key: { ...NO_KEY, shift: /^[A-Z]$/.test(c) } };
}

/**
 * ink hands over a run of plain characters typed faster than it reads them ("jj\tj") as one input.
 * This takes the first key off such a run (given without a key): one character while navigating,
 * the text up to a control key (Enter, backspace) in the filter prompt, everything in the paste
 * prompt (where a pasted line break separates packets).
 */
export function firstKey(input: string, key: Key | undefined, mode: 'navigate' | 'filter' | 'paste'): { input: string; key: Key; rest: string } {
  if (key && input.length <= 1) return { input, key, rest: '' };
  if (mode === 'paste') return { input, key: key ?? NO_KEY, rest: '' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character ends the typed text
  const control = mode === 'navigate' ? 0 : input.search(/[\x00-\x1f\x7f]/);
  if (control === 0) return { ...keyOf(input[0]), rest: input.slice(1) };
  if (control < 0) return { input, key: NO_KEY, rest: '' };
  return { input: input.slice(0, control), key: NO_KEY, rest: input.slice(control) };
}

/** The cursor after a movement key (↑↓ j k, PgUp/PgDn, g G, Home/End), or undefined for any other key. */
export function moved(cursor: number, size: number, input: string, key: Key, page: number, line = 1): number | undefined {
  let to: number;
  if (key.downArrow || input === 'j') to = cursor + line;
  else if (key.upArrow || input === 'k') to = cursor - line;
  else if (key.pageDown) to = cursor + page;
  else if (key.pageUp) to = cursor - page;
  else if (key.home || input === 'g') to = 0;
  else if (key.end || input === 'G') to = size - 1;
  else return undefined;
  return Math.max(0, Math.min(size - 1, to));
}

/** A prompt's text after a key: typed or pasted characters are added, backspace removes one, ctrl-u all. */
export function edited(text: string, input: string, key: Key): string {
  if (key.backspace || key.delete) return text.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.tab || !input) return text;
  return text + input.replace(/\r\n?/g, '\n');
}

export const isExpandKey = (input: string, key: Key): boolean => key.rightArrow || key.return || input === 'l' || input === ' ';
export const isCollapseKey = (input: string, key: Key): boolean => key.leftArrow || input === 'h';
