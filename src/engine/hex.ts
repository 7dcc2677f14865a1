/** Hex text to bytes and back, in every form the inputs take (shared by the engine and the readers). */

/** Reports a problem at a 0-based index of the text; never returns. */
export type Fail = (index: number, reason: string) => never;

/**
 * Value of the hex digit by char code below 256, or a negative number when it is none: a pair of
 * digits is `(d[hi] << 4) | d[lo]`, negative if either is not a digit.
 */
export const HEX_DIGITS = Int16Array.from({ length: 256 }, (_, c) => (hexValue(c) < 0 ? -0x1000 : hexValue(c)));

/** Value of the hex digit with this char code, or -1. */
export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** Appends the bytes spelled by text[start, end), which must be an even number of hex digits and nothing else. */
export function pushHexRun(text: string, start: number, end: number, out: number[], fail: Fail): void {
  for (let i = start; i < end; i++) {
    if (hexValue(text.charCodeAt(i)) < 0) fail(i, `non-hex character ${JSON.stringify(text[i])}`);
  }
  if ((end - start) % 2 !== 0) fail(start, 'odd number of hex digits');
  for (let i = start; i < end; i += 2) {
    out.push(hexValue(text.charCodeAt(i)) * 16 + hexValue(text.charCodeAt(i + 1)));
  }
}

/** Bytes of text[start..] when it is hex digits alone (what toHex gives), else undefined. */
export function plainHex(text: string, start = 0): Uint8Array | undefined {
  if (start > text.length || (text.length - start) % 2 !== 0) return undefined;
  const out = new Uint8Array((text.length - start) / 2);
  for (let i = 0, at = start; i < out.length; i++, at += 2) {
    const hi = hexValue(text.charCodeAt(at));
    const lo = hexValue(text.charCodeAt(at + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = hi * 16 + lo;
  }
  return out;
}

/** Bytes of free-form hex from text[start]: `07 55 01`, `075501`, `07:55:01`, `0x07,0x55,0x01`. */
export function parseHex(text: string, fail: Fail, start = 0): Uint8Array {
  const plain = plainHex(text, start);
  if (plain) return plain;
  const out: number[] = [];
  const token = /[^\s,:]+/g;
  token.lastIndex = start;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const end = m.index + m[0].length;
    const digits = /^0x/i.test(m[0]) ? m.index + 2 : m.index;
    if (digits === end) fail(m.index, "'0x' without hex digits");
    pushHexRun(text, digits, end, out, fail);
  }
  return Uint8Array.from(out);
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The hex of octets [from, to) of `bytes`, without a view over them. */
export function hexOf(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += HEX_PAIRS[bytes[i]];
  return s;
}

export function toHex(bytes: Uint8Array, separator = ''): string {
  if (!separator) return hexOf(bytes, 0, bytes.length);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += i && separator ? separator + HEX_PAIRS[bytes[i]] : HEX_PAIRS[bytes[i]];
  return s;
}
