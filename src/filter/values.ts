/**
 * How one rendered field value (as `-T fields` prints it) compares with a literal: as integers
 * when both parse as integers, as bytes when the literal is a byte string and the value is hex,
 * else as strings. Quoted literals are always strings.
 */
import type { Literal } from './parser.js';

export interface Operand {
  text: string;
  number?: bigint;
  /** Lowercase hex digits, no separators. */
  bytes?: string;
}

export function operand(lit: Literal): Operand {
  return lit.quoted ? { text: lit.text } : { text: lit.text, number: parseNumber(lit.text), bytes: parseBytes(lit.text) };
}

/** Decimal (leading zeros allowed: '001' is 1, not octal) or 0x hex. */
export function parseNumber(text: string): bigint | undefined {
  return /^-?\d+$|^0x[0-9a-f]+$/i.test(text) ? BigInt(text) : undefined;
}

/** `aabbcc`, or 1–2 hex digits per byte separated throughout by one of `:` `-` `.` (`aa:bb`, `0.1.0.d`). */
export function parseBytes(text: string): string | undefined {
  if (/^(?:[0-9a-f]{2})+$/i.test(text)) return text.toLowerCase();
  const sep = /^[0-9a-f]{1,2}([:.-])/i.exec(text)?.[1];
  if (sep === undefined) return undefined;
  const parts = text.split(sep);
  if (!parts.every((p) => /^[0-9a-f]{1,2}$/i.test(p))) return undefined;
  return parts
    .map((p) => p.padStart(2, '0'))
    .join('')
    .toLowerCase();
}

/** Sign of `value - o`. */
export function compare(value: string, o: Operand): number {
  if (o.number !== undefined) {
    const n = parseNumber(value);
    if (n !== undefined) return n < o.number ? -1 : n > o.number ? 1 : 0;
  }
  if (o.bytes !== undefined) {
    const b = parseBytes(value);
    // Two hex digits per byte, so string order is byte order.
    if (b !== undefined) return order(b, o.bytes);
  }
  return order(value, o.text);
}

export function contains(value: string, o: Operand): boolean {
  const needle = o.bytes;
  const hay = needle === undefined ? undefined : parseBytes(value);
  if (needle === undefined || hay === undefined) return value.includes(o.text);
  // Only at byte boundaries: 'abcd' does not contain bc.
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) if (i % 2 === 0) return true;
  return false;
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
