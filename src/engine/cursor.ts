/**
 * What the compiled decoders share (the closures of compile.ts and the code generated ahead of time
 * for the bundled grammars, bundled-decoders.ts): the bit cursor, the two ways out of the fast path,
 * and the per-message and per-struct state.
 */
import { BitReader, bitsAt } from './bits.js';
import type { Direction, ProtectionScheme } from './protection.js';

export type Obj = Record<string, unknown>;

/**
 * Thrown (never an Error: no stack is captured) to leave the fast path. BROKEN is for what the
 * dissector reports as an error or an unknown message type: a ciphered payload read as plain is
 * then kept as ciphered octets, as the dissector does.
 */
export const BAIL = { bail: true } as const;
export const BROKEN = { broken: true } as const;
// Declared as functions so that a call narrows types in the code after it.
export function bail(): never {
  throw BAIL;
}
export function broken(): never {
  throw BROKEN;
}

/** A bit cursor whose end moves in and out as windows open and close (no reader per window). */
export class Cursor {
  constructor(
    public bytes: Uint8Array,
    public pos: number,
    public end: number,
  ) {}
}

/** Reads `bits` (<= 52) MSB first, or leaves the fast path when fewer remain. */
export function read(c: Cursor, bits: number): number {
  const pos = c.pos;
  if (c.end - pos < bits) broken();
  c.pos = pos + bits;
  const b = c.bytes;
  const shift = 8 - (pos & 7) - bits;
  if (shift >= 0) return (b[pos >> 3] >> shift) & ((1 << bits) - 1);
  if ((pos & 7) === 0) {
    const i = pos >> 3;
    if (bits === 16) return (b[i] << 8) | b[i + 1];
    if (bits === 24) return (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    if (bits === 32) return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  }
  return bitsAt(b, pos, bits);
}

/** read() for at most 8 bits: small enough for V8 to inline into the long generated functions. */
export function readSmall(c: Cursor, bits: number): number {
  const pos = c.pos;
  if (c.end - pos < bits) broken();
  c.pos = pos + bits;
  const shift = 8 - (pos & 7) - bits;
  return shift >= 0 ? (c.bytes[pos >> 3] >> shift) & ((1 << bits) - 1) : bitsAt(c.bytes, pos, bits);
}

/** Octets of the next `bits`, as BitReader.readBytes gives them (a view when they are whole octets: never kept). */
export function readBytes(c: Cursor, bits: number): Uint8Array {
  if (c.end - c.pos < bits) broken();
  if (((c.pos | bits) & 7) === 0) return c.bytes.subarray(c.pos >> 3, (c.pos += bits) >> 3);
  const r = new BitReader(c.bytes, c.pos, c.end);
  const out = r.readBytes(bits);
  c.pos = r.pos;
  return out;
}

/** Runs `body` inside a window of `bits` (or the current one); the window must be used up. */
export function windowed<T>(c: Cursor, bits: number | undefined, body: () => T): T {
  if (bits === undefined) return body();
  const end = c.end;
  const wend = Math.min(end, c.pos + bits);
  c.end = wend;
  const v = body();
  if (c.pos < wend) bail();
  c.end = end;
  return v;
}

/** Per message: the link direction, nesting depth, the enclosing messages' values, the schemes. */
export interface Env {
  direction?: Direction;
  depth: number;
  enclosing: Obj[];
  schemes: Readonly<Record<string, ProtectionScheme>>;
  /** `-T fields` values of the captured filters, in tree order. */
  captured?: Map<string, string[]>;
  /** Inside a ciphered payload read as plain: whether it decodes cleanly decides what it shows. */
  tentative: number;
}

/** A struct's decoding state: its earlier integer values and where its present fields started. */
export interface Frame {
  vals: Array<number | undefined>;
  starts: Array<number | undefined>;
  value: Obj;
  /** Where the struct starts (spare bits to an octet boundary count from it). */
  origin: number;
  /** Verdicts to give once the struct's last field is read (a MAC may follow the payload). */
  closing?: Array<() => void>;
}

export type TypeFn = (c: Cursor, env: Env) => unknown;
export type FieldFn = (c: Cursor, env: Env, fr: Frame) => unknown;

/**
 * What code generated for one field list takes from the closure compiler, by field index: the
 * decoders of the fields it does not inline, audited keys.
 */
export interface ListLink {
  field(i: number): FieldFn;
  semi(i: number): (c: Cursor, fr: Frame, value: Obj) => void;
  audited(i: number): boolean;
  /** After a list with tail fields: the last one read joins the value unless a later one did. */
  tailJoins(value: Obj, lastTail: number, lastTailValue: unknown): void;
}

/** What the functions generated for a grammar's types take from the closure compiler. */
export interface TypeLink {
  /** The link of a struct's fields, or a message's header. */
  list(typeName: string): ListLink;
  /** Whether a value under this key hands the message over. */
  audited(id: string): boolean;
}
/** Functions generated ahead of time for a grammar's types, by type name. */
export interface GeneratedTypes {
  /** The value keys the code checks for a hand-over: a decoder handing over others cannot use it. */
  audited: ReadonlySet<string>;
  make: (link: TypeLink) => Readonly<Record<string, TypeFn>>;
}
