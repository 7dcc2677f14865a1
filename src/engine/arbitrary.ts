/**
 * fast-check arbitraries derived from the grammar: values the encoder accepts and the decoder gives
 * back unchanged. Derived fields (lengths, counts, flags, constants) are never generated.
 */
import * as fc from 'fast-check';
import { CODEC_ARBITRARIES } from '../codecs/arbitraries.js';
import type { FieldIR, GrammarIR, IEIR, L3MessageType, TypeIR, UintField } from '../grammar/ir.js';
import { messagesOf } from '../grammar/reach.js';
import { BitWriter, toOctet } from './bits.js';
import { Encoder, lastConditional } from './encode.js';

type Obj = Record<string, unknown>;

export interface ArbitraryOptions {
  /** Longest byte string or list generated where the grammar sets no bound. */
  maxBytes?: number;
  maxItems?: number;
}

/** Messages nest (ESM in EMM, plain in protected); past this depth only plain L3 messages are generated. */
const MAX_DEPTH = 2;

const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

export class Arbitraries {
  private maxBytes: number;
  private maxItems: number;
  /** Measures generated values whose tail fields end inside an octet (completeTail). */
  private encoder: Encoder;

  constructor(
    readonly ir: GrammarIR,
    opts: ArbitraryOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 12;
    this.maxItems = opts.maxItems ?? 3;
    this.encoder = new Encoder(ir);
  }

  /** Values of one message by name, reached through its protocol's dispatch so the keys agree. */
  message(name: string, protocol = 'nas-eps'): fc.Arbitrary<unknown> {
    if (!this.ir.messages.has(name)) throw new Error(`unknown message "${name}"`);
    const p = this.ir.protocols.get(protocol);
    if (!p) throw new Error(`unknown protocol "${protocol}"`);
    return this.type(this.ir.types.get(p.root)!, 0, name);
  }

  protocol(protocol: string): fc.Arbitrary<unknown> {
    const p = this.ir.protocols.get(protocol);
    if (!p) throw new Error(`unknown protocol "${protocol}"`);
    return this.type(this.ir.types.get(p.root)!, 0);
  }

  type(t: TypeIR, depth: number, only?: string): fc.Arbitrary<unknown> {
    switch (t.kind) {
      case 'struct': {
        // A payload that is always ciphered decodes, without keys, to its raw octets.
        const p = t.protection;
        if (p?.cipheredIf === 'always') {
          return fc.uint8Array({ minLength: 1, maxLength: this.maxBytes }).map((b) => ({ [p.payload]: { _raw: Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') } }));
        }
        return this.struct(t.fields, t.message ? { message: t.name } : {}, new Map(), depth);
      }
      case 'l3':
        return this.l3(t, depth);
      case 'dispatch': {
        // One arbitrary per case type, with the dispatch value forced into the case's value.
        const byType = new Map<TypeIR, number[]>();
        for (const [k, c] of t.cases) byType.set(c(), [...(byType.get(c()) ?? []), k]);
        for (const [k, d] of t.byDirection) byType.set(d.dl(), [...(byType.get(d.dl()) ?? []), k]);
        // Unknown-message defaults only at the top: nested in a ciphered payload they read as ciphertext.
        if (t.default && t.peekBits <= 16 && depth === 0) {
          const others = Array.from({ length: 2 ** t.peekBits }, (_, k) => k).filter((k) => !t.cases.has(k));
          if (others.length) byType.set(t.default(), others);
        }
        let entries = [...byType.entries()];
        if (only) entries = entries.filter(([c]) => messagesOf(c).has(only));
        if (depth >= MAX_DEPTH) entries = entries.filter(([c]) => c.kind === 'l3').concat(entries.every(([c]) => c.kind !== 'l3') ? entries : []);
        return fc.oneof(
          ...entries.map(([c, keys]) =>
            fc.constantFrom(...keys).chain((k) => {
              const forced = new Map<string, number>();
              const at = this.fieldAt(c, t.peekOffset, t.peekBits);
              if (at) forced.set(at, k);
              const arb = c.kind === 'dispatch' ? this.type(c, depth, only) : this.forced(c, forced, depth + 1);
              return t.key ? arb.map((v) => ({ ...(v as Obj), [t.key!]: k })) : arb;
            }),
          ),
        );
      }
    }
  }

  /** The id of a struct's field that sits exactly at [offset, offset + bits), when leading fields have fixed sizes. */
  private fieldAt(t: TypeIR, offset: number, bits: number): string | undefined {
    if (t.kind !== 'struct') return undefined;
    let pos = 0;
    for (const f of t.fields) {
      const size = (f.kind === 'uint' || f.kind === 'spare') && typeof f.bits === 'number' ? f.bits : undefined;
      if (size === undefined) return undefined;
      if (pos === offset && size === bits && f.kind === 'uint') return f.id;
      pos += size;
    }
    return undefined;
  }

  private forced(t: TypeIR, forced: Map<string, number>, depth: number): fc.Arbitrary<unknown> {
    if (t.kind === 'struct') return this.struct(t.fields, t.message ? { message: t.name } : {}, forced, depth);
    return this.type(t, depth);
  }

  /** Fields in order, each seeing the values before it (for presence and switches). */
  private struct(fields: FieldIR[], init: Obj, forced: Map<string, number>, depth: number, consts: ReadonlyMap<string, number> = new Map()): fc.Arbitrary<Obj> {
    // Optional trailing fields: a prefix of them is present; what depends on one cut off is absent too.
    const tails = fields.filter((f) => f.presence.kind === 'tail');
    const init0 = { acc: { ...init }, tail: 0, cut: new Set<string>(), on: new Map<string, boolean>() };
    const start = tails.length ? fc.nat({ max: tails.length }).map((n) => ({ ...init0, tail: n })) : fc.constant(init0);
    // A flag that several fields share (a CSN.1 group {0 | 1 <a> <b>}) brings them all or none.
    const flagged = new Map<string, number>();
    for (const f of fields) if (f.presence.kind === 'flag') flagged.set(f.presence.field, (flagged.get(f.presence.field) ?? 0) + 1);
    let arb: fc.Arbitrary<typeof init0> = start;
    let tailIndex = 0;
    for (const f of fields) {
      const myTail = f.presence.kind === 'tail' ? tailIndex++ : -1;
      const step = (st: typeof init0): fc.Arbitrary<typeof init0> => {
        const p = f.presence;
        const get = (id: string) => (st.acc[id] as number | undefined) ?? forced.get(id) ?? consts.get(id);
        const absent = () => fc.constant({ ...st, cut: new Set([...st.cut, f.id]) });
        if (p.kind === 'in' && !p.values.includes(get(p.field) ?? -1)) return fc.constant(st);
        if ((p.kind === 'tail' && myTail >= st.tail) || ((p.kind === 'flag' || p.kind === 'in') && st.cut.has(p.field))) return absent();
        const group = p.kind === 'flag' && (flagged.get(p.field) ?? 0) > 1;
        if (group && !st.on.has(p.field)) return fc.option(fc.constant(true), { nil: false }).chain((on) => step({ ...st, on: new Map([...st.on, [p.field, on]]) }));
        if (group && !st.on.get(p.field)) return absent();
        if (f.kind === 'spare' || (f.kind === 'uint' && (f.constValue !== undefined || consts.has(f.id)))) return fc.constant(st);
        if (f.kind === 'uint' && forced.has(f.id)) return fc.constant({ ...st, acc: { ...st.acc, [f.id]: forced.get(f.id) } });
        if (f.kind === 'uint' && this.derivable(f, fields, st.acc)) return fc.constant(st);
        const fieldArb = this.field(f, fields, st.acc, forced, depth);
        const opt = p.kind === 'flag' && !group ? fc.option(fieldArb, { nil: undefined }) : fieldArb;
        return opt.map((v) => (v === undefined ? st : { ...st, acc: { ...st.acc, [f.id]: v } }));
      };
      arb = arb.chain(step);
    }
    const octetPad = fields.some((f) => f.kind === 'spare' && f.bits === 'octet');
    return arb.map((st) => (octetPad ? this.completeTail(fields, st.acc, consts) : st.acc));
  }

  /**
   * A CSN.1-like type ends with spare bits to an octet boundary, and the decoder, as tshark, reads tail
   * fields for as long as they fit (TS 24.008 §10.5.1.7: the value may be truncated after any component).
   * So where the generated fields stop short of an octet boundary, the fields that fit in the spare bits
   * are added with the value 0, as the decoder reads them from zero padding; the last of them is kept
   * even when the encoder would derive it (a presence flag), as the decoder keeps it. Integer tail
   * fields only: a nested type in a tail position is left as generated.
   */
  private completeTail(fields: FieldIR[], acc: Obj, consts: ReadonlyMap<string, number>): Obj {
    const out = { ...acc };
    const last = lastConditional(fields, out);
    const w = new BitWriter();
    this.encoder.fields(
      fields.filter((f) => !(f.kind === 'spare' && f.bits === 'octet')),
      out,
      w,
      '',
      new Map(consts),
    );
    let room = toOctet(0, w.pos);
    let lastTail = -1;
    fields.forEach((f, i) => {
      if (i <= last && f.presence.kind === 'tail') lastTail = i;
    });
    for (let i = last + 1; i < fields.length && room > 0; i++) {
      const g = fields[i];
      if (g.presence.kind !== 'tail') continue;
      if (g.kind !== 'uint' || g.bits > room) break;
      room -= g.bits;
      lastTail = i;
      if (!this.derivable(g, fields, out) && g.constValue === undefined && !consts.has(g.id)) out[g.id] = 0;
    }
    const t = fields[lastTail];
    if (t && !(t.id in out) && !fields.slice(lastTail + 1).some((g) => g.presence.kind !== 'always' && g.id in out)) out[t.id] = 0;
    return out;
  }

  /**
   * A relation field is left to the encoder when something it measures will be present;
   * a flag is always derived. Relations whose targets are absent (by presence) are generated.
   */
  private derivable(f: UintField, fields: FieldIR[], acc: Obj): boolean {
    if (fields.some((g) => g.presence.kind === 'flag' && g.presence.field === f.id)) return true;
    if (!f.relation) return false;
    if (f.relation.kind === 'present_of') return true;
    return f.relation.targets.some((t) => {
      const g = fields.find((x) => x.id === t)!;
      const p = g.presence;
      return p.kind !== 'in' || p.values.includes((acc[p.field] as number) ?? -1);
    });
  }

  private field(f: FieldIR, fields: FieldIR[], acc: Obj, forced: Map<string, number>, depth: number): fc.Arbitrary<unknown> {
    switch (f.kind) {
      case 'uint':
        if (f.enum && f.enum.other === undefined && f.enum.ranges.length === 0 && f.enum.values.size) return fc.constantFrom(...f.enum.values.keys());
        if (f.bits > 52) return fc.bigInt({ min: 0n, max: 2n ** BigInt(f.bits) - 1n }).map((b) => b.toString());
        return fc.integer({ min: 0, max: 2 ** f.bits - 1 });
      case 'spare':
        return fc.constant(f.value);
      case 'bytes': {
        const hex = (len: fc.Arbitrary<Uint8Array>) => len.map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));
        if (typeof f.size === 'number') return hex(fc.uint8Array({ minLength: f.size / 8, maxLength: f.size / 8 }));
        if (f.text === 'ascii') return fc.string({ unit: 'binary-ascii', maxLength: this.maxBytes });
        if (f.text === 'utf8') return fc.string({ unit: 'grapheme', maxLength: this.maxBytes });
        return hex(fc.uint8Array({ maxLength: this.maxBytes }));
      }
      case 'ref':
        return this.type(f.type(), depth);
      case 'codec':
        return CODEC_ARBITRARIES.get(f.codec)!(f.params);
      case 'list': {
        // A count stored as (items + adjust) needs at least -adjust items.
        const counter = fields.find((g): g is UintField => g.kind === 'uint' && g.relation?.kind === 'count_of' && g.relation.targets.includes(f.id));
        const min = Math.max(f.minItems, counter ? -counter.relation!.adjust : 0);
        return fc.array(this.field(f.item, fields, acc, forced, depth), { minLength: min, maxLength: Math.max(min, Math.min(f.maxItems ?? this.maxItems, this.maxItems)) });
      }
      case 'switch': {
        const key = acc[f.on] as number;
        const next = f.cases.get(key) ?? f.default;
        return next ? this.type(next(), depth) : fc.constant({ _raw: '' });
      }
    }
  }

  private l3(t: L3MessageType, depth: number): fc.Arbitrary<Obj> {
    const header = this.struct(t.header, { message: t.name }, new Map(), depth, t.set);
    const ies = t.ies.map((ie) => this.ie(ie, depth));
    return fc.tuple(header, ...ies).map(([h, ...vals]) => {
      const out: Obj = { ...h };
      t.ies.forEach((ie, i) => {
        const v = vals[i];
        if (v === undefined || (ie.presence === 'M' && isEmpty(v))) return;
        out[ie.id] = v;
      });
      return out;
    });
  }

  private ie(ie: IEIR, depth: number): fc.Arbitrary<unknown> {
    const value = ie.format === 'T' ? fc.constant(true) : this.type(ie.type!(), depth);
    return ie.iei === undefined ? value : fc.option(value, { nil: undefined, freq: 2 });
  }
}
