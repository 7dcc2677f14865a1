/**
 * fast-check arbitraries derived from the grammar: values the encoder accepts and the decoder gives
 * back unchanged. Derived fields (lengths, counts, flags, constants) are never generated.
 */
import * as fc from 'fast-check';
import { CODEC_ARBITRARIES } from '../codecs/arbitraries.js';
import type { FieldIR, GrammarIR, IEIR, L3MessageType, TypeIR, UintField } from '../grammar/ir.js';
import { switchCase } from '../grammar/ir.js';
import { messagesOf } from '../grammar/reach.js';

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

  constructor(
    readonly ir: GrammarIR,
    opts: ArbitraryOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 12;
    this.maxItems = opts.maxItems ?? 3;
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
      const size = f.kind === 'uint' || f.kind === 'spare' ? f.bits : undefined;
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
    // Optional trailing fields: a prefix of them is present.
    const tails = fields.filter((f) => f.presence.kind === 'tail');
    const start = tails.length ? fc.nat({ max: tails.length }).map((n) => ({ acc: { ...init }, tail: n })) : fc.constant({ acc: { ...init }, tail: 0 });
    let arb: fc.Arbitrary<{ acc: Obj; tail: number }> = start;
    let tailIndex = 0;
    for (const f of fields) {
      const myTail = f.presence.kind === 'tail' ? tailIndex++ : -1;
      arb = arb.chain((st) => {
        const p = f.presence;
        const get = (id: string) => (st.acc[id] as number | undefined) ?? forced.get(id) ?? consts.get(id);
        if (p.kind === 'in' && !p.values.includes(get(p.field) ?? -1)) return fc.constant(st);
        if (p.kind === 'tail' && myTail >= st.tail) return fc.constant(st);
        if (f.kind === 'spare' || (f.kind === 'uint' && (f.constValue !== undefined || consts.has(f.id)))) return fc.constant(st);
        if (f.kind === 'uint' && forced.has(f.id)) return fc.constant({ ...st, acc: { ...st.acc, [f.id]: forced.get(f.id) } });
        if (f.kind === 'uint' && this.derivable(f, fields, st.acc)) return fc.constant(st);
        const fieldArb = this.field(f, fields, st.acc, forced, depth);
        const opt = p.kind === 'flag' ? fc.option(fieldArb, { nil: undefined }) : fieldArb;
        return opt.map((v) => (v === undefined ? st : { ...st, acc: { ...st.acc, [f.id]: v } }));
      });
    }
    return arb.map((st) => st.acc);
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
