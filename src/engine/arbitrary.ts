/**
 * fast-check arbitraries derived from the grammar: values the encoder accepts and the decoder gives
 * back unchanged. Derived fields (lengths, counts, flags, constants) are never generated.
 */
import * as fc from 'fast-check';
import { CODEC_ARBITRARIES } from '../codecs/arbitraries.js';
import type { FieldIR, GrammarIR, IEIR, L3MessageType, StructType, TypeIR, UintField } from '../grammar/ir.js';
import { switchCase } from '../grammar/ir.js';
import { alternatives, messagesOf } from '../grammar/reach.js';
import { BitWriter, toOctet } from './bits.js';
import { Encoder, lastConditional } from './encode.js';
import { isEmpty } from './format.js';

type Obj = Record<string, unknown>;

export interface ArbitraryOptions {
  /** Longest byte string or list generated where the grammar sets no bound. */
  maxBytes?: number;
  maxItems?: number;
}

/** Messages nest (ESM in EMM, plain in protected); past this depth only plain L3 messages are generated. */
const MAX_DEPTH = 2;

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

  /** Arbitraries by type, then by depth and message: built once, as generating a value would otherwise build them again. */
  private made = new Map<TypeIR, Map<string, fc.Arbitrary<unknown>>>();

  type(t: TypeIR, depth: number, only?: string): fc.Arbitrary<unknown> {
    let byKey = this.made.get(t);
    if (!byKey) this.made.set(t, (byKey = new Map()));
    const key = only === undefined ? String(depth) : `${depth} ${only}`;
    let arb = byKey.get(key);
    if (!arb) byKey.set(key, (arb = this.build(t, depth, only)));
    return arb;
  }

  private build(t: TypeIR, depth: number, only?: string): fc.Arbitrary<unknown> {
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
        // A dispatch on an earlier IE's field is keyed in l3(); outside a message it takes its default.
        if (t.on) {
          if (!t.default) throw new Error(`${t.where}: a dispatch on an IE's field with no default is generated with its message only`);
          return this.type(t.default(), depth);
        }
        // One arbitrary per case type, with the dispatch value forced into the case's value.
        const byType = new Map<TypeIR, number[]>();
        for (const [k, c] of t.cases) byType.set(c(), [...(byType.get(c()) ?? []), k]);
        for (const [k, d] of t.byDirection) byType.set(d.dl(), [...(byType.get(d.dl()) ?? []), k]);
        // Unknown-message defaults only at the top: nested in a ciphered payload they read as ciphertext.
        if (t.default && t.peekBits <= 16 && depth === 0) {
          const others = Array.from({ length: 2 ** t.peekBits }, (_, k) => k).filter((k) => !t.cases.has(k));
          if (others.length) byType.set(t.default(), others);
        }
        let entries = [...byType.entries()].filter(([c]) => this.generatable(c));
        if (only) entries = entries.filter(([c]) => messagesOf(c).has(only));
        if (depth >= MAX_DEPTH) entries = entries.filter(([c]) => c.kind === 'l3').concat(entries.every(([c]) => c.kind !== 'l3') ? entries : []);
        return fc.oneof(
          ...entries.map(([c, keys]) => {
            // The case's arbitrary for each dispatch value, built on first use.
            const byKey = new Map<number, fc.Arbitrary<unknown>>();
            return fc.constantFrom(...keys).chain((k) => {
              let arb = byKey.get(k);
              if (arb) return arb;
              const forced = new Map<string, number>();
              const at = this.fieldAt(c, t.peekOffset, t.peekBits);
              if (at) forced.set(at, k);
              const inner = c.kind === 'dispatch' ? this.type(c, depth, only) : this.forced(c, forced, depth + 1);
              arb = t.key ? inner.map((v) => ({ ...(v as Obj), [t.key!]: k })) : inner;
              byKey.set(k, arb);
              return arb;
            });
          }),
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

  private known = new Map<TypeIR, boolean>();

  /**
   * Whether a type has values to generate: not a part the grammar leaves undecoded, nor a struct that
   * always holds one, nor a dispatch whose every case is one.
   */
  generatable(t: TypeIR): boolean {
    const seen = this.known.get(t);
    if (seen !== undefined) return seen;
    // Types refer to each other in cycles: a type being looked at counts as generatable.
    this.known.set(t, true);
    let ok = true;
    if (t.kind === 'struct') ok = !t.undecoded && t.fields.every((f) => f.presence.kind !== 'always' || this.fieldGeneratable(f));
    else if (t.kind === 'dispatch') ok = alternatives(t).some((c) => this.generatable(c()));
    this.known.set(t, ok);
    return ok;
  }

  private fieldGeneratable(f: FieldIR): boolean {
    if (f.kind === 'ref') return this.generatable(f.type());
    if (f.kind === 'switch') return [...f.cases.values(), ...(f.default ? [f.default] : [])].some((c) => this.generatable(c()));
    if (f.kind === 'list') return f.minItems === 0 || this.fieldGeneratable(f.item);
    return true;
  }

  /** Values of `f` that would make present a later field with nothing to generate (an undecoded part): never generated. */
  private banned(f: FieldIR, fields: FieldIR[]): number[] {
    return fields.flatMap((g) => (g.presence.kind === 'in' && g.presence.field === f.id && !this.fieldGeneratable(g) ? g.presence.values : []));
  }

  /** Fields in order, each seeing the values before it (for presence and switches). */
  private struct(fields: FieldIR[], init: Obj, forced: Map<string, number>, depth: number, consts: ReadonlyMap<string, number> = new Map()): fc.Arbitrary<Obj> {
    // Optional trailing fields: a prefix of them is present; what depends on one cut off is absent too.
    const tails = fields.filter((f) => f.presence.kind === 'tail');
    const init0 = { acc: { ...init }, tail: 0, cut: new Set<string>(), on: new Map<string, boolean>() };
    const start = tails.length ? fc.nat({ max: tails.length }).map((n) => ({ ...init0, tail: n })) : fc.constant(init0);
    // A flag that several fields share (a CSN.1 group {0 | 1 <a> <b>}) brings them all or none.
    const flagOf = new Map(fields.flatMap((f) => (f.kind === 'uint' && f.flags ? [[f.id, f.flags.length] as const] : [])));
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
        const group = p.kind === 'flag' && (flagOf.get(p.field) ?? 0) > 1;
        if (group && !st.on.has(p.field)) return fc.option(fc.constant(true), { nil: false }).chain((on) => step({ ...st, on: new Map([...st.on, [p.field, on]]) }));
        if (group && !st.on.get(p.field)) return absent();
        if (f.kind === 'spare' || (f.kind === 'uint' && (f.constValue !== undefined || consts.has(f.id)))) return fc.constant(st);
        if (f.kind === 'uint' && forced.has(f.id)) return fc.constant({ ...st, acc: { ...st.acc, [f.id]: forced.get(f.id) } });
        if (f.kind === 'uint' && this.derivable(f, fields, st.acc)) return fc.constant(st);
        // An optional part the grammar leaves undecoded is left out.
        if (p.kind === 'flag' && !this.fieldGeneratable(f)) return fc.constant(st);
        const banned = f.kind === 'uint' ? this.banned(f, fields) : [];
        const any = this.field(f, fields, st.acc, forced, depth);
        const fieldArb = banned.length ? any.filter((v) => !banned.includes(v as number)) : any;
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
    if (f.flags) return true;
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
        // Trailing octets are present only when there are some: never empty.
        const minLength = f.presence.kind === 'tail' ? 1 : 0;
        if (f.text === 'ascii') return fc.string({ unit: 'binary-ascii', minLength, maxLength: this.maxBytes });
        if (f.text === 'utf8') return fc.string({ unit: 'grapheme', minLength, maxLength: this.maxBytes });
        return hex(fc.uint8Array({ minLength, maxLength: this.maxBytes }));
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
        const next = switchCase(f, (id) => acc[id] as number | undefined);
        return next ? this.type(next(), depth) : fc.constant({ _raw: '' });
      }
    }
  }

  private l3(t: L3MessageType, depth: number): fc.Arbitrary<Obj> {
    const on = (ie: IEIR) => {
      const d = ie.type?.();
      return d?.kind === 'dispatch' ? d.on : undefined;
    };
    if (!t.ies.some(on)) return this.l3With(t, depth, new Map());
    // An IE picked by an earlier IE's field (`dispatch: {ie, field}`): the key comes first, half the
    // time one of the dispatch's cases, and the IE it is read from is generated with it.
    const pairs = new Map<string, { ie: string; field: string; keys: Set<number>; others: Set<number> }>();
    for (const ie of t.ies) {
      const d = ie.type?.();
      if (d?.kind !== 'dispatch' || !d.on) continue;
      const k = `${d.on.ie}.${d.on.field}`;
      const pair = pairs.get(k) ?? { ...d.on, keys: new Set<number>(), others: new Set<number>() };
      pairs.set(k, pair);
      for (const [key, c] of d.cases) if (this.generatable(c())) pair.keys.add(key);
      const keyType = t.ies.find((x) => x.id === d.on!.ie)!.type!() as StructType;
      const bits = (keyType.fields.find((f) => f.id === d.on!.field) as UintField).bits;
      if (d.default && this.generatable(d.default()) && bits <= 16) for (let v = 0; v < 2 ** bits; v++) if (!d.cases.has(v)) pair.others.add(v);
    }
    const choices = [...pairs.values()].map((p) => {
      const sets = [p.keys, p.others].filter((x) => x.size).map((x) => fc.constantFrom(...x));
      return fc.oneof(...sets).map((key) => [p, key] as const);
    });
    return fc.tuple(...choices).chain((picked) => {
      const keys = new Map<string, Map<string, number>>();
      for (const [p, key] of picked) keys.set(p.ie, (keys.get(p.ie) ?? new Map()).set(p.field, key));
      return this.l3With(t, depth, keys);
    });
  }

  /** A message whose IEs named in `keys` carry the given field values, and whose IEs keyed by them follow. */
  private l3With(t: L3MessageType, depth: number, keys: Map<string, Map<string, number>>): fc.Arbitrary<Obj> {
    const header = this.struct(t.header, { message: t.name }, new Map(), depth, t.set);
    const ies = t.ies.map((ie) => {
      const forced = keys.get(ie.id);
      if (forced) return this.forced(ie.type!(), forced, depth);
      const d = ie.type?.();
      if (d?.kind !== 'dispatch' || !d.on) return this.ie(ie, depth);
      const key = keys.get(d.on.ie)?.get(d.on.field);
      const next = (key === undefined ? undefined : d.cases.get(key)) ?? d.default;
      const value = next ? this.type(next(), depth) : fc.constant(undefined);
      return ie.iei === undefined ? value : fc.option(value, { nil: undefined, freq: 2 });
    });
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
