/** Renderings of field values: tree text (`-V`) and `-T fields` text, following tshark. */
import type { EnumIR, SpareField, UintField } from '../grammar/ir.js';
import { perKey } from '../grammar/memo.js';
import { BitWriter } from './bits.js';
import { parseHex, toHex } from './hex.js';

export { toHex };

/**
 * Bytes of hex in the forms `--hex` takes: `075501`, `07 55 01`, `07:55:01`, `0x07,0x55,0x01`. Throws a
 * TypeError naming what is wrong and where (`non-hex character "z" at 1`).
 */
export function fromHex(hex: string): Uint8Array {
  return parseHex(hex, (index, reason) => {
    throw new TypeError(`${reason} at ${index + 1}: "${hex.slice(0, 40)}"`);
  });
}

export function enumLabel(e: EnumIR, v: number): string | undefined {
  const direct = e.values.get(v);
  if (direct !== undefined) return direct;
  for (const [lo, hi, label] of e.ranges) if (v >= lo && v <= hi) return label;
  return e.other;
}

/** The raw number as the field's base shows it in the tree: `0x7`, `5`. */
const rawText = (f: UintField, v: number | bigint) => (f.base === 'hex' ? `0x${v.toString(16)}` : v.toString());

/** An integer value's tree text, `-T fields` text, and whether its enum leaves the value reserved. */
export interface UintTexts {
  display: string;
  show: string;
  reserved: boolean;
}

/** The texts of a field of at most 8 bits, by value, made once each: most fields are small and repeat their values. */
const smallTexts = perKey((_: UintField): UintTexts[] => []);
const small = (f: UintField, v: number | bigint): v is number => f.bits <= 8 && typeof v === 'number';

/** What the dissector shows of an integer field's value (made once per value for small fields). */
export function uintTexts(f: UintField, v: number | bigint): UintTexts {
  if (!small(f, v)) return textsOf(f, v);
  const texts = smallTexts(f);
  return (texts[v] ??= textsOf(f, v));
}

function textsOf(f: UintField, v: number | bigint): UintTexts {
  return { display: displayOf(f, v), show: showOf(f, v), reserved: !!f.enum && typeof v === 'number' && enumLabel(f.enum, v) === undefined };
}

/** The tree text of an integer field: `Label: Name (raw)`, `Label: raw unit`, or its true/false text. */
function displayOf(f: UintField, v: number | bigint): string {
  if (f.tfs) return `${f.label}: ${v ? f.tfs[0] : f.tfs[1]}`;
  const name = f.enum && typeof v === 'number' ? (enumLabel(f.enum, v) ?? 'Unknown') : '';
  if (name) return `${f.label}: ${name} (${rawText(f, v)})`;
  return `${f.label}: ${rawText(f, v)}${f.unit ? ` ${f.unit}` : ''}`;
}

/** `-T fields` text alone (what collecting field values needs). */
export const uintShow = (f: UintField, v: number | bigint): string => (small(f, v) ? uintTexts(f, v).show : showOf(f, v));

/** `-T fields` text: hex padded to the field type's width (`0x07`), decimal otherwise, booleans 1/0. */
function showOf(f: UintField, v: number | bigint): string {
  if (f.tfs) return v ? '1' : '0';
  if (f.base === 'hex') return `0x${v.toString(16).padStart(f.typeBits / 4, '0')}`;
  return v.toString();
}

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `-T fields` text of spare bits: hex as Wireshark's nas_eps.spare_bits, decimal as gsm_a's spare fields. */
export const spareShow = (f: Pick<SpareField, 'base'>, v: number): string => (f.base === 'dec' ? String(v) : `0x${v.toString(16).padStart(2, '0')}`);

/** Octets as latin1 text, one character each, in chunks (spreading a long array overflows the stack). */
function latin1(bytes: Uint8Array): string {
  let s = '';
  // Short texts (APN labels) a character at a time: spreading a small array costs more than the loop.
  if (bytes.length < 64) {
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

/** Text of a text-bearing bytes field: latin1 for 'ascii' (every octet maps to one character), else UTF-8. */
export function textOf(bytes: Uint8Array, text: 'ascii' | 'utf8'): string {
  return text === 'ascii' ? latin1(bytes) : utf8.decode(bytes);
}

/**
 * A text field's value: its text when the text gives the same octets back (always for latin1; for
 * UTF-8 when the octets are well-formed and keep their BOM), else the raw octets.
 */
export function textValue(bytes: Uint8Array, text: 'ascii' | 'utf8'): string | { _raw: string } {
  if (text === 'ascii') return latin1(bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return { _raw: toHex(bytes) };
  }
}

/** A text field's octets: 'ascii' text as BitWriter.writeLatin1 writes it (Latin-1 for what decodes), else UTF-8. */
export function textBytes(value: string, text: 'ascii' | 'utf8'): Uint8Array {
  if (text === 'utf8') return new TextEncoder().encode(value);
  const w = new BitWriter();
  w.writeLatin1(value);
  return w.finish();
}

/** Bytes in the tree: hex cut with an ellipsis past 24 octets, or the text they carry. */
export function bytesDisplay(label: string, bytes: Uint8Array, text?: 'ascii' | 'utf8'): string {
  if (text) return `${label}: ${textOf(bytes, text)}`;
  return hexDisplay(label, toHex(bytes.subarray(0, 25)));
}

/** The tree text of octets given as hex: past 24 octets, cut with an ellipsis. */
export const hexDisplay = (label: string, hex: string): string => `${label}: ${hex.length > 48 ? `${hex.slice(0, 48)}…` : hex}`;

/** The nibble/bit prefix tshark puts before bit fields: `.... 0111`. */
export function bitPrefix(bytes: Uint8Array, bitOffset: number, bitLength: number): string {
  const within = bitOffset & 7;
  if (within + bitLength > 8 || bitLength < 1) return prefixOf(bytes, bitOffset, bitLength);
  // Inside one octet: one text per octet value, offset and length, made once.
  const key = (bytes[bitOffset >> 3] << 6) | (within << 3) | (bitLength - 1);
  return (OCTET_PREFIXES[key] ??= prefixOf(bytes, bitOffset, bitLength));
}

const OCTET_PREFIXES: string[] = [];

function prefixOf(bytes: Uint8Array, bitOffset: number, bitLength: number): string {
  const first = bitOffset & ~7;
  const last = (bitOffset + bitLength + 7) & ~7;
  let out = '';
  for (let p = first; p < last; p++) {
    if (p > first && p % 4 === 0) out += ' ';
    if (p >= bitOffset && p < bitOffset + bitLength) out += (bytes[p >> 3] >> (7 - (p & 7))) & 1 ? '1' : '0';
    else out += '.';
  }
  return out;
}

/** Whether a value is an object without keys (an IE whose fields are all absent); no key array is made. */
export function isEmpty(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const _ in v) return false;
  return true;
}
