/**
 * Mutations: plain data chosen by fast-check (site indices, deltas, offsets), resolved against a
 * valid value when applied. Value-level mutations go through the encoder (an explicit value for a
 * derived field wins over the computed one); byte-level ones act on the encoding.
 */
import * as fc from 'fast-check';
import { BitWriter } from '../engine/bits.js';
import { Encoder, measure } from '../engine/encode.js';
import { toHex } from '../engine/format.js';
import { walk, type TreeNode } from '../engine/tree.js';
import type { FieldIR, GrammarIR, L3MessageType, TypeIR, UintField } from '../grammar/ir.js';
import { ieiIndex, unknownIeLengthOctets } from '../grammar/reach.js';
import { getAt, pathText, reservedValues, SiteWalker, type Obj, type Path, type Site } from './sites.js';

export type FuzzMode = 'valid' | 'edge' | 'malformed';

export type Mutation =
  // edge: values the grammar allows on the wire but a receiver rarely sees
  | { op: 'reserved'; site: number; pick: number }
  | { op: 'shuffle'; site: number; seed: number }
  | { op: 'repeat'; site: number; ie: number; at: number }
  | { op: 'unknown_ie'; site: number; iei: number; len: number; at: number; fill: number }
  | { op: 'max_list'; site: number }
  | { op: 'long_bytes'; site: number; fill: number }
  // malformed, value level
  | { op: 'length'; site: number; delta: number }
  | { op: 'spare'; site: number; value: number }
  // malformed, byte level
  | { op: 'truncate'; at: number }
  | { op: 'flip'; bit: number }
  | { op: 'cut'; node: number; mandatory: boolean }
  | { op: 'byte'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: number[] };

/** A mutation as it was resolved: what changed where (JSON for the finding files). */
export interface AppliedMutation {
  op: Mutation['op'] | 'encode_error' | 'rejected' | 'havoc' | 'kept';
  at?: string;
  detail: string;
}

const VALUE_OPS = new Set<Mutation['op']>(['reserved', 'shuffle', 'repeat', 'unknown_ie', 'max_list', 'long_bytes', 'length', 'spare']);
export const isValueMutation = (m: Mutation) => VALUE_OPS.has(m.op);

const site = fc.nat({ max: 1 << 20 });
const octet = fc.integer({ min: 0, max: 255 });

export const edgeMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('reserved' as const), site, pick: fc.nat({ max: 1 << 16 }) }),
  fc.record({ op: fc.constant('shuffle' as const), site, seed: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), site, ie: fc.nat({ max: 64 }), at: fc.nat({ max: 64 }) }),
  fc.record({ op: fc.constant('unknown_ie' as const), site, iei: octet, len: fc.nat({ max: 16 }), at: fc.nat({ max: 64 }), fill: octet }),
  fc.record({ op: fc.constant('max_list' as const), site }),
  fc.record({ op: fc.constant('long_bytes' as const), site, fill: octet }),
);

const delta = fc.oneof(
  fc.constantFrom(1, -1, 2, -2, 8),
  fc.integer({ min: -300, max: 300 }).filter((d) => d !== 0),
);

export const malformedMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('length' as const), site, delta }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('spare' as const), site, value: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat({ max: 4096 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('flip' as const), bit: fc.nat({ max: 1 << 16 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('cut' as const), node: site, mandatory: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('byte' as const), at: fc.nat({ max: 4096 }), value: octet }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat({ max: 4096 }), bytes: fc.array(octet, { minLength: 1, maxLength: 4 }) }), weight: 1 },
);

/** Deterministic shuffle for `shuffle` (a small LCG seeded by the mutation). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** What a mutation needs from the caller: the type the value is of, and how to encode/dissect it. */
export interface Subject {
  type: TypeIR;
  encode(value: unknown): Uint8Array;
  /** Byte-aligned spans of the dissection of `bytes` (offset, length in octets), and those of mandatory IEs. */
  spans(bytes: Uint8Array): { all: Array<[number, number]>; mandatory: Array<[number, number]> };
}

export class Mutator {
  private walker: SiteWalker;
  private encoder: Encoder;

  constructor(readonly ir: GrammarIR) {
    this.walker = new SiteWalker(ir);
    this.encoder = new Encoder(ir);
  }

  /** Applies mutations to a valid value: value-level ones first (in order), then byte-level ones. */
  apply(subject: Subject, value: unknown, mutations: Mutation[]): { bytes: Uint8Array; value: unknown; applied: AppliedMutation[] } {
    const applied: AppliedMutation[] = [];
    let v = value;
    const valueOps = mutations.filter(isValueMutation);
    if (valueOps.length) {
      const mutated = structuredClone(value);
      for (const m of valueOps) {
        const a = this.valueOp(subject, mutated, m);
        if (a) applied.push(a);
      }
      v = mutated;
    }
    let bytes: Uint8Array;
    try {
      bytes = subject.encode(v);
    } catch (e) {
      // A mutation the encoder refuses (e.g. a list too long for its length octet): keep the valid value.
      if (v !== value) applied.push({ op: 'rejected', detail: `encoder refused the mutated value: ${(e as Error).message}` });
      v = value;
      try {
        bytes = subject.encode(value);
      } catch (e2) {
        return { bytes: new Uint8Array(0), value, applied: [{ op: 'encode_error', detail: (e2 as Error).message }] };
      }
    }
    let spans: ReturnType<Subject['spans']> | undefined;
    for (const m of mutations) {
      if (isValueMutation(m)) continue;
      if (m.op === 'cut' && !spans) spans = subject.spans(bytes);
      const r = this.byteOp(bytes, m, spans);
      bytes = r.bytes;
      applied.push(r.applied);
    }
    return { bytes, value: v, applied };
  }

  private byteOp(bytes: Uint8Array, m: Mutation, spans?: ReturnType<Subject['spans']>): { bytes: Uint8Array; applied: AppliedMutation } {
    const n = bytes.length;
    switch (m.op) {
      case 'truncate': {
        const at = n ? m.at % n : 0;
        return { bytes: bytes.slice(0, at), applied: { op: 'truncate', at: `octet ${at}`, detail: `cut to ${at} of ${n} octets` } };
      }
      case 'flip': {
        if (!n) return { bytes, applied: { op: 'flip', detail: 'empty input' } };
        const bit = m.bit % (n * 8);
        const out = bytes.slice();
        out[bit >> 3] ^= 0x80 >> (bit & 7);
        return {
          bytes: out,
          applied: { op: 'flip', at: `bit ${bit}`, detail: `octet ${bit >> 3} ${toHex(bytes.subarray(bit >> 3, (bit >> 3) + 1))} -> ${toHex(out.subarray(bit >> 3, (bit >> 3) + 1))}` },
        };
      }
      case 'byte': {
        if (!n) return { bytes, applied: { op: 'byte', detail: 'empty input' } };
        const at = m.at % n;
        const out = bytes.slice();
        out[at] = m.value;
        return { bytes: out, applied: { op: 'byte', at: `octet ${at}`, detail: `${toHex(bytes.subarray(at, at + 1))} -> ${toHex(out.subarray(at, at + 1))}` } };
      }
      case 'insert': {
        const at = m.at % (n + 1);
        const out = new Uint8Array(n + m.bytes.length);
        out.set(bytes.subarray(0, at));
        out.set(m.bytes, at);
        out.set(bytes.subarray(at), at + m.bytes.length);
        return { bytes: out, applied: { op: 'insert', at: `octet ${at}`, detail: toHex(Uint8Array.from(m.bytes)) } };
      }
      case 'cut': {
        const list = (m.mandatory && spans?.mandatory.length ? spans.mandatory : spans?.all) ?? [];
        if (!list.length) return { bytes, applied: { op: 'cut', detail: 'no byte-aligned element' } };
        const [off, len] = list[m.node % list.length];
        const a = Math.min(off, n);
        const b = Math.min(off + len, n);
        const out = new Uint8Array(n - (b - a));
        out.set(bytes.subarray(0, a));
        out.set(bytes.subarray(b), a);
        return { bytes: out, applied: { op: 'cut', at: `octets ${a}-${b - 1}`, detail: `${m.mandatory && spans?.mandatory.length ? 'mandatory IE' : 'element'} of ${b - a} octets removed` } };
      }
      default:
        return { bytes, applied: { op: m.op, detail: 'not a byte mutation' } };
    }
  }

  private pick<S extends Site>(sites: Site[], kind: S['kind'] | S['kind'][], index: number, ok: (s: S) => boolean = () => true): S | undefined {
    const kinds = Array.isArray(kind) ? kind : [kind];
    const c = sites.filter((s) => kinds.includes(s.kind) && ok(s as S)) as S[];
    return c.length ? c[index % c.length] : undefined;
  }

  /** One value-level mutation on `root` (mutated in place); undefined when the value has no site for it. */
  private valueOp(subject: Subject, root: unknown, m: Mutation): AppliedMutation | undefined {
    const sites = this.walker.sites(subject.type, root);
    const container = (s: Site) => getAt(root, s.path) as Obj & unknown[];
    switch (m.op) {
      case 'reserved': {
        const s = this.pick<Extract<Site, { kind: 'enum' }>>(sites, 'enum', m.site);
        if (!s) return { op: m.op, detail: 'no enum field' };
        const values = reservedValues(s.field);
        const v = values[m.pick % values.length];
        const c = container(s) as Record<string | number, unknown>;
        const from = c[s.key];
        c[s.key] = v;
        return { op: m.op, at: pathText(s.path, s.key), detail: `${s.field.id}: ${String(from)} -> ${v} (no label in ${s.field.enum?.name})` };
      }
      case 'shuffle':
      case 'repeat':
      case 'unknown_ie': {
        const s = this.pick<Extract<Site, { kind: 'l3' }>>(
          sites,
          'l3',
          m.site,
          (x) => m.op === 'unknown_ie' || this.optionalOrder(x.type, container(x)).filter((o) => !o.startsWith('#')).length >= (m.op === 'shuffle' ? 2 : 1),
        );
        if (!s) return { op: m.op, detail: m.op === 'shuffle' ? 'no message with two optional IEs' : m.op === 'repeat' ? 'no optional IE present' : 'no L3 message' };
        const msg = container(s);
        const order = this.optionalOrder(s.type, msg);
        if (m.op === 'shuffle') {
          const next = shuffled(order, m.seed);
          msg._order = next;
          return { op: m.op, at: pathText(s.path), detail: `optional IEs in the order ${next.join(', ')}` };
        }
        const extra = Array.isArray(msg._extra) ? [...(msg._extra as Array<{ iei: number; hex: string }>)] : [];
        let entry: { iei: number; hex: string };
        let what: string;
        if (m.op === 'repeat') {
          const ids = order.filter((o) => !o.startsWith('#'));
          const id = ids[m.ie % ids.length];
          const hex = this.ieBytes(s.type, msg, id);
          if (hex === undefined) return { op: m.op, at: pathText(s.path, id), detail: 'IE could not be encoded alone' };
          entry = { iei: parseInt(hex.slice(0, 2), 16), hex };
          what = `${id} repeated (${hex})`;
        } else {
          const free = freeIeis(s.type);
          const iei = free[m.iei % free.length];
          const len = m.len;
          const content = Array.from({ length: len }, (_, i) => (m.fill + i) & 0xff);
          const lengthOctets = unknownIeLengthOctets(iei);
          const body = [[], [len, ...content], [len >> 8, len & 0xff, ...content]][lengthOctets];
          entry = { iei, hex: toHex(Uint8Array.from([iei, ...body])) };
          what = `unknown IEI 0x${iei.toString(16).padStart(2, '0')} (${['type 1/2, one octet', 'TLV', 'TLV-E'][lengthOctets]}): ${entry.hex}`;
        }
        const at = m.at % (order.length + 1);
        msg._extra = [...extra, entry];
        msg._order = [...order.slice(0, at), `#${extra.length}`, ...order.slice(at)];
        return { op: m.op, at: pathText(s.path), detail: `${what} at position ${at}` };
      }
      case 'max_list': {
        const s = this.pick<Extract<Site, { kind: 'list' }>>(sites, 'list', m.site, (x) => ((container(x) as Obj)[x.key] as unknown[]).length > 0);
        if (!s) return { op: m.op, detail: 'no non-empty list' };
        const c = container(s) as Obj;
        const items = c[s.key] as unknown[];
        // The longest list the encoder accepts (its length or count field may be narrower than max_items).
        for (let count = s.max; count > items.length; count = Math.floor(count / 2)) {
          c[s.key] = Array.from({ length: count }, (_, i) => structuredClone(items[i % items.length]));
          if (this.encodes(subject, root)) return { op: m.op, at: pathText(s.path, s.key), detail: `${items.length} -> ${count} items` };
        }
        c[s.key] = items;
        return { op: m.op, at: pathText(s.path, s.key), detail: 'no longer list fits' };
      }
      case 'long_bytes': {
        const s = this.pick<Extract<Site, { kind: 'bytes' }>>(sites, 'bytes', m.site);
        if (!s) return { op: m.op, detail: 'no variable-length octet string' };
        const c = container(s) as Obj;
        const before = c[s.key] as string;
        for (let len = s.maxBytes; len > before.length / 2; len = Math.floor(len / 2)) {
          c[s.key] = toHex(Uint8Array.from({ length: len }, (_, i) => (m.fill + i) & 0xff));
          if (this.encodes(subject, root)) return { op: m.op, at: pathText(s.path, s.key), detail: `${before.length / 2} -> ${len} octets` };
        }
        c[s.key] = before;
        return { op: m.op, at: pathText(s.path, s.key), detail: 'no longer value fits' };
      }
      case 'length': {
        const s = this.pick<Extract<Site, { kind: 'derived' | 'ie_length' }>>(sites, ['derived', 'ie_length'], m.site);
        if (!s) return { op: m.op, detail: 'no length, count or flag' };
        const c = container(s) as Obj;
        if (s.kind === 'ie_length') {
          const bits = s.ie.lengthBits;
          const right = this.measure(s.ie.type!(), c);
          const wrong = wrongValue(right, m.delta, bits);
          c._length = wrong;
          return { op: m.op, at: pathText(s.path, '_length'), detail: `${s.ie.name} length ${right ?? '?'} -> ${wrong}` };
        }
        const right = this.derivedValue(s.field, s.fields, c);
        const isFlag = s.field.relation?.kind === 'present_of' || !s.field.relation;
        const wrong = isFlag ? (right ? 0 : 1) : wrongValue(right, m.delta, s.field.bits);
        c[s.key] = wrong;
        return { op: m.op, at: pathText(s.path, s.key), detail: `${s.field.id} (${s.field.relation?.kind ?? 'presence flag'}) ${right ?? '?'} -> ${wrong}` };
      }
      case 'spare': {
        const s = this.pick<Extract<Site, { kind: 'spare' }>>(sites, 'spare', m.site);
        if (!s) return { op: m.op, detail: 'no spare bits' };
        const span = 2 ** Math.min(typeof s.field.bits === 'number' ? s.field.bits : 1, 30);
        const v = (s.field.value + 1 + (m.value % Math.max(1, span - 1))) % span;
        (container(s) as Obj)[s.key] = v;
        return { op: m.op, at: pathText(s.path, s.key), detail: `spare bits ${s.field.value} -> ${v}` };
      }
      default:
        return undefined;
    }
  }

  private encodes(subject: Subject, root: unknown): boolean {
    try {
      subject.encode(root);
      return true;
    } catch {
      return false;
    }
  }

  /** The optional part of a message as the encoder will write it: ids and `#k` for extra IEs. */
  private optionalOrder(t: L3MessageType, msg: Obj): string[] {
    if (Array.isArray(msg._order)) return [...(msg._order as string[])];
    const extra = Array.isArray(msg._extra) ? msg._extra : [];
    return [...t.ies.filter((ie) => ie.iei !== undefined && ie.id in msg).map((ie) => ie.id), ...extra.map((_, k) => `#${k}`)];
  }

  /** The octets of one optional IE (IEI included): the message with it, less the message without any. */
  private ieBytes(t: L3MessageType, msg: Obj, id: string): string | undefined {
    const base: Obj = {};
    for (const [k, v] of Object.entries(msg)) if (!['_order', '_extra', '_trailing'].includes(k) && !t.ies.some((ie) => ie.iei !== undefined && ie.id === k)) base[k] = v;
    try {
      const without = this.encodeType(t, base);
      const withIe = this.encodeType(t, { ...base, [id]: msg[id] });
      return toHex(withIe.subarray(without.length));
    } catch {
      return undefined;
    }
  }

  private encodeType(t: TypeIR, v: unknown): Uint8Array {
    const w = new BitWriter();
    this.encoder.type(t, v, w, '');
    return w.finish();
  }

  /** Octets a value of `t` takes (for the length of an IE). */
  private measure(t: TypeIR, v: Obj): number | undefined {
    try {
      const rest: Obj = { ...v };
      delete rest._length;
      return this.encodeType(t, rest).length;
    } catch {
      return undefined;
    }
  }

  /** The value the encoder computes for a derived field of a struct. */
  private derivedValue(f: UintField, fields: FieldIR[], c: Obj): number | undefined {
    const rel = f.relation;
    if (f.flags) return f.flags.some((id) => id in c) ? 1 : 0;
    if (!rel) return 0;
    if (rel.kind === 'count_of') {
      const t = rel.targets.find((x) => Array.isArray(c[x]));
      return t === undefined ? undefined : (c[t] as unknown[]).length + rel.adjust;
    }
    const t = rel.targets.find((x) => x in c);
    const target = fields.find((g) => g.id === t);
    if (!target) return undefined;
    try {
      const w = new BitWriter();
      const alone: FieldIR = { ...target, presence: { kind: 'always' }, lengthFrom: undefined } as FieldIR;
      // Switch layouts need their selector: give the field the container's integer values as context.
      const ctx = fields.filter((g) => g.kind === 'uint' && typeof c[g.id] === 'number') as FieldIR[];
      const w0 = new BitWriter();
      this.encoder.fields(ctx, c, w0, '', new Map());
      this.encoder.fields([...ctx, alone], c, w, '', new Map());
      return measure(rel.unitBits, w, w0.pos, w.pos) + rel.adjust;
    } catch {
      return undefined;
    }
  }
}

/** A value other than `right` near it (by delta), inside the field's range. */
function wrongValue(right: number | undefined, delta: number, bits: number): number {
  const max = 2 ** bits - 1;
  if (right === undefined) return Math.abs(delta) % (max + 1);
  let v = Math.min(max, Math.max(0, right + delta));
  if (v === right) v = right > 0 ? right - 1 : Math.min(max, right + 1);
  return v;
}

const freeCache = new WeakMap<L3MessageType, number[]>();
/**
 * IEIs no optional IE of the message answers to, as the dissector matches them: a full octet, or
 * the high nibble of a type 1 IE (bit 8 set). TS 24.007 §11.2.4 then gives their layout by bits 8-5.
 */
export function freeIeis(t: L3MessageType): number[] {
  let out = freeCache.get(t);
  if (out) return out;
  const iei = ieiIndex(t.optional);
  out = [];
  for (let o = 0; o < 256; o++) if (iei[o] < 0) out.push(o);
  freeCache.set(t, out);
  return out;
}

export type { Path };

/**
 * The structure of a kept input as its dissection shows it, for mutating its octets directly
 * (coverage-guided runs mutate inputs they have kept, not values): the leaves (fields) by bit
 * range, which of them are lengths, and the byte-aligned elements (IEs and the fields at the top).
 */
export interface Shape {
  fields: Array<{ bit: number; bits: number; length: boolean }>;
  elements: Array<{ at: number; len: number; parent: number }>;
}

const LENGTH_FIELD = /(^|[._])(len|length)([._]|$)/;

export function shapeOf(root: TreeNode, size: number): Shape {
  const shape: Shape = { fields: [], elements: [] };
  const parents = new Map<TreeNode, number>();
  let id = 0;
  for (const n of walk(root)) {
    const parent = parents.get(n) ?? -1;
    for (const c of n.children) parents.set(c, id);
    id++;
    if (n === root || n.generated || (n.source !== undefined && n.source !== 'frame') || n.bitLength <= 0 || n.bitOffset + n.bitLength > size * 8) continue;
    if (!n.children.length) shape.fields.push({ bit: n.bitOffset, bits: n.bitLength, length: LENGTH_FIELD.test(n.filter) });
    if (n.bitOffset % 8 === 0 && n.bitLength % 8 === 0 && (n.children.length || parent === 0)) shape.elements.push({ at: n.bitOffset / 8, len: n.bitLength / 8, parent });
  }
  shape.fields.sort((a, b) => a.bit - b.bit);
  shape.elements.sort((a, b) => a.at - b.at);
  return shape;
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff];

function readBits(b: Uint8Array, bit: number, bits: number): number {
  let v = 0;
  for (let i = 0; i < bits; i++) v = v * 2 + ((b[(bit + i) >> 3] >> (7 - ((bit + i) & 7))) & 1);
  return v;
}

function writeBits(b: Uint8Array, bit: number, bits: number, v: number): void {
  for (let i = bits - 1, x = v; i >= 0; i--, x = Math.floor(x / 2)) {
    const at = bit + i;
    const mask = 0x80 >> (at & 7);
    b[at >> 3] = x % 2 ? b[at >> 3] | mask : b[at >> 3] & ~mask;
  }
}

const splice = (b: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array => {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
};

/** Inputs grow no longer than this through mutation. */
export const MAX_KEPT_LENGTH = 4096;

/**
 * One grammar-aware edit of a kept input: a field set to a new value (random, boundary or near the
 * old one), an octet of an element set, a length field off by a little or at its extremes, a bit span flipped inside a field,
 * an element deleted, repeated, swapped with its neighbour, or inserted from another kept input.
 * `rnd` is the caller's PRNG (so a run is reproducible from its seed); `constants` are octet values
 * the target compares with, tried first for new octets.
 */
export function mutateKept(
  bytes: Uint8Array,
  shape: Shape,
  rnd: () => number,
  donor?: { bytes: Uint8Array; shape: Shape },
  constants: number[] = [],
): { bytes: Uint8Array; detail: string } | undefined {
  const int = (n: number) => Math.floor(rnd() * n);
  /** A new octet: one the target compares with, a random one or a boundary. */
  const octet = () => (constants.length && int(2) ? constants[int(constants.length)] : int(4) ? int(256) : INTERESTING[int(INTERESTING.length)]);
  // Stacked edits mutate octets the shape no longer quite describes: only what still lies inside.
  const fields = shape.fields.filter((f) => f.bit + f.bits <= bytes.length * 8);
  const elements = shape.elements.filter((e) => e.at + e.len <= bytes.length);
  switch (int(9)) {
    case 7:
    case 8: {
      // Field value at octet level: one octet of an element (bit fields and all) set.
      if (!elements.length) return undefined;
      const e = elements[int(elements.length)];
      const at = e.at + int(e.len);
      const out = bytes.slice();
      out[at] = octet();
      return { bytes: out, detail: `octet ${at} of the element at ${e.at} = ${out[at]}` };
    }
    case 0:
    case 1: {
      // Field value. Wide fields (octet strings) get one octet of theirs set.
      if (!fields.length) return undefined;
      const f = fields[int(fields.length)];
      const out = bytes.slice();
      if (f.bits > 32) {
        const at = (f.bit >> 3) + int(f.bits >> 3);
        out[at] = octet();
        return { bytes: out, detail: `field at bit ${f.bit}: octet ${at} = ${out[at]}` };
      }
      const max = 2 ** f.bits - 1;
      const old = readBits(bytes, f.bit, f.bits);
      const choice = int(4);
      const v = choice === 0 ? Math.floor(rnd() * (max + 1)) : choice === 1 ? [0, max, max >> 1, (max >> 1) + 1][int(4)] : Math.min(max, Math.max(0, old + (int(2) ? 1 : -1) * (1 + int(4))));
      writeBits(out, f.bit, f.bits, v);
      return { bytes: out, detail: `field [${f.bit}, +${f.bits}) ${old} -> ${v}` };
    }
    case 2: {
      // Length field: near the right value, zero or the largest.
      const lengths = fields.filter((f) => f.length && f.bits <= 16);
      if (!lengths.length) return undefined;
      const f = lengths[int(lengths.length)];
      const max = 2 ** f.bits - 1;
      const old = readBits(bytes, f.bit, f.bits);
      const v = int(4) ? Math.min(max, Math.max(0, old + [1, -1, 2, -2, 8, -8][int(6)])) : int(2) ? 0 : max;
      const out = bytes.slice();
      writeBits(out, f.bit, f.bits, v);
      return { bytes: out, detail: `length [${f.bit}, +${f.bits}) ${old} -> ${v}` };
    }
    case 3: {
      // Bit span: 1 to 8 bits flipped inside one field.
      if (!fields.length) return undefined;
      const f = fields[int(fields.length)];
      const n = 1 + int(Math.min(8, f.bits));
      const at = f.bit + int(f.bits - n + 1);
      const out = bytes.slice();
      writeBits(out, at, n, readBits(bytes, at, n) ^ (2 ** n - 1));
      return { bytes: out, detail: `bits [${at}, +${n}) flipped` };
    }
    case 4: {
      // Element deleted or repeated.
      if (!elements.length) return undefined;
      const e = elements[int(elements.length)];
      if (int(2)) return { bytes: splice(bytes, e.at, e.len), detail: `element of ${e.len} octets at ${e.at} deleted` };
      if (bytes.length + e.len > MAX_KEPT_LENGTH) return undefined;
      const copies = 1 + int(3);
      const run = new Uint8Array(e.len * copies);
      for (let k = 0; k < copies; k++) run.set(bytes.subarray(e.at, e.at + e.len), k * e.len);
      return { bytes: splice(bytes, e.at + e.len, 0, run.subarray(0, Math.min(run.length, MAX_KEPT_LENGTH - bytes.length))), detail: `element of ${e.len} octets at ${e.at} repeated ${copies} times` };
    }
    case 5: {
      // Two neighbouring elements of one parent swapped.
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i + 1 < elements.length; i++) {
        const a = elements[i];
        const b = elements.find((x) => x.parent === a.parent && x.at === a.at + a.len);
        if (b) pairs.push([i, elements.indexOf(b)]);
      }
      if (!pairs.length) return undefined;
      const [i, j] = pairs[int(pairs.length)];
      const a = elements[i];
      const b = elements[j];
      const out = bytes.slice();
      out.set(bytes.subarray(b.at, b.at + b.len), a.at);
      out.set(bytes.subarray(a.at, a.at + a.len), a.at + b.len);
      return { bytes: out, detail: `elements at ${a.at} and ${b.at} swapped` };
    }
    case 6: {
      // Element inserted at an element boundary: one of another kept input's, or an unknown TLV IE.
      const bounds = [...new Set([bytes.length, ...elements.flatMap((e) => [e.at, e.at + e.len])])];
      const at = bounds[int(bounds.length)];
      let ie: Uint8Array;
      let what: string;
      if (donor?.shape.elements.length && int(2)) {
        const e = donor.shape.elements[int(donor.shape.elements.length)];
        ie = donor.bytes.subarray(e.at, e.at + e.len);
        what = `an element of ${e.len} octets from another input`;
      } else {
        const len = int(8);
        ie = Uint8Array.from([int(256), len, ...Array.from({ length: len }, () => int(256))]);
        what = `a TLV of ${len} octets`;
      }
      if (bytes.length + ie.length > MAX_KEPT_LENGTH) return undefined;
      return { bytes: splice(bytes, at, 0, ie), detail: `${what} inserted at ${at}` };
    }
  }
}
