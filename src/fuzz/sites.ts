/**
 * Sites of a value: the places in a generated value (walked along the grammar IR the way the encoder
 * walks it) where an edge or malformed mutation can act: enum fields, spare bits, derived fields
 * (lengths, counts, flags), IE lengths, lists, variable byte strings and L3 messages (optional IEs).
 * Mutations pick a site by index, so fast-check can shrink the value and the mutation separately.
 */
import type { BytesField, FieldIR, GrammarIR, IEIR, L3MessageType, ListField, SpareField, TypeIR, UintField } from '../grammar/ir.js';
import { switchCase } from '../grammar/ir.js';
import { caseFor, ieField } from '../grammar/reach.js';
import { enumLabel } from '../engine/format.js';
import { lastConditional } from '../engine/encode.js';

export type Obj = Record<string, unknown>;
/** Keys from the root value to a container object or array. */
export type Path = Array<string | number>;

export type Site =
  | { kind: 'enum'; path: Path; key: string | number; field: UintField }
  | { kind: 'spare'; path: Path; key: string; field: SpareField }
  /** A length_of / count_of / present_of field or a presence flag: left to the encoder unless overridden. */
  | { kind: 'derived'; path: Path; key: string; field: UintField; fields: FieldIR[] }
  /** The length octet(s) of an LV, LV-E, TLV or TLV-E IE: `_length` in the IE's value object. */
  | { kind: 'ie_length'; path: Path; key: '_length'; ie: IEIR }
  | { kind: 'list'; path: Path; key: string; field: ListField; max: number }
  | { kind: 'bytes'; path: Path; key: string; field: BytesField; maxBytes: number }
  | { kind: 'l3'; path: Path; type: L3MessageType };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

export const pathText = (path: Path, key?: string | number): string => '/' + [...path, ...(key === undefined ? [] : [key])].join('/');

const reservedCache = new WeakMap<UintField, number[]>();
/** Values of an enum field the grammar has no label for (reserved); a few when the field is wide. */
export function reservedValues(f: UintField): number[] {
  let out = reservedCache.get(f);
  if (out) return out;
  out = [];
  const e = f.enum;
  if (e && f.bits <= 52) {
    const max = 2 ** f.bits - 1;
    if (f.bits <= 12) {
      for (let v = 0; v <= max; v++) if (enumLabel(e, v) === undefined) out.push(v);
    } else {
      for (const v of [max, max - 1, 0, 1, 2 ** (f.bits - 1)]) if (enumLabel(e, v) === undefined && !out.includes(v)) out.push(v);
    }
    // An enum with an `_other` label has no reserved value: its unlisted values are still edge values.
    if (!out.length && e.other !== undefined && f.bits <= 12) for (let v = 0; v <= max; v++) if (!e.values.has(v)) out.push(v);
  }
  reservedCache.set(f, out);
  return out;
}

/** Fields whose value picks a layout (switch selectors, `present_if: {field, in}`): changing them re-shapes the value. */
function selectors(fields: FieldIR[]): Set<string> {
  const s = new Set<string>();
  for (const f of fields) {
    if (f.kind === 'switch') for (const id of [f.on, ...f.when.map((o) => o.field)]) s.add(id);
    if (f.presence.kind === 'in') s.add(f.presence.field);
    if (f.kind === 'list' && f.item.kind === 'switch') s.add(f.item.on);
  }
  return s;
}

const LIST_CAP = 24;
const BYTES_CAP = 64;

export class SiteWalker {
  constructor(readonly ir: GrammarIR) {}

  /** Every site of a value of type `t` (a protocol root, a message or an IE type). */
  sites(t: TypeIR, value: unknown): Site[] {
    const out: Site[] = [];
    this.type(t, value, [], out, 0);
    return out;
  }

  /** `message`: the value of the message whose IE `v` is (a dispatch on an earlier IE reads its key there). */
  private type(t: TypeIR, v: unknown, path: Path, out: Site[], depth: number, message?: Obj): void {
    if (!isObj(v) || typeof v._raw === 'string' || depth > 8) return;
    switch (t.kind) {
      case 'struct':
        this.fields(t.fields, v, path, out, new Map(), depth);
        return;
      case 'dispatch': {
        let next: TypeIR | undefined;
        if (t.on) {
          const k = ieField(message, t.on);
          next = ((k === undefined ? undefined : t.cases.get(k)) ?? t.default)?.();
        } else if (t.key) {
          const k = v[t.key];
          next = typeof k === 'number' ? (t.cases.get(k) ?? t.default)?.() : undefined;
        } else if (typeof v.message === 'string') {
          next = caseFor(t, v.message);
        }
        if (next) this.type(next, v, path, out, depth);
        return;
      }
      case 'l3':
        out.push({ kind: 'l3', path, type: t });
        this.fields(t.header, v, path, out, t.set, depth);
        for (const ie of t.ies) {
          if (!(ie.id in v) || ie.format === 'T') continue;
          const iv = v[ie.id];
          if (isObj(iv) && ie.lengthBits) out.push({ kind: 'ie_length', path: [...path, ie.id], key: '_length', ie });
          this.type(ie.type!(), iv, [...path, ie.id], out, depth + 1, v);
        }
    }
  }

  private fields(fields: FieldIR[], v: Obj, path: Path, out: Site[], consts: ReadonlyMap<string, number>, depth: number): void {
    const scope = new Map<string, number>();
    const sel = selectors(fields);
    const lastGiven = lastConditional(fields, v);
    for (const [i, f] of fields.entries()) {
      const p = f.presence;
      if (p.kind === 'flag' && !(f.id in v)) continue;
      if (p.kind === 'in' && !p.values.includes(scope.get(p.field) ?? -1)) continue;
      if (p.kind === 'tail' && i > lastGiven) continue;
      const val = v[f.id];
      switch (f.kind) {
        case 'uint': {
          const n = typeof val === 'number' ? val : (consts.get(f.id) ?? f.constValue);
          if (n !== undefined) scope.set(f.id, n);
          if (f.relation || f.flags) out.push({ kind: 'derived', path, key: f.id, field: f, fields });
          else if (f.enum && typeof val === 'number' && !sel.has(f.id) && reservedValues(f).length) out.push({ kind: 'enum', path, key: f.id, field: f });
          break;
        }
        case 'spare':
          // Spare bits to an octet boundary vary in width: nothing to set them to that surely fits.
          if (typeof f.bits === 'number') out.push({ kind: 'spare', path, key: f.id, field: f });
          break;
        case 'bytes':
          if (typeof f.size !== 'number' && typeof val === 'string') out.push({ kind: 'bytes', path, key: f.id, field: f, maxBytes: this.maxBytes(f, fields) });
          break;
        case 'ref':
          this.type(f.type(), val, [...path, f.id], out, depth + 1);
          break;
        case 'list':
          if (!Array.isArray(val)) break;
          out.push({ kind: 'list', path, key: f.id, field: f, max: this.maxItems(f, fields) });
          val.forEach((item, i) => {
            const ip = [...path, f.id];
            if (f.item.kind === 'ref') this.type(f.item.type(), item, [...ip, i], out, depth + 1);
            else if (f.item.kind === 'uint' && f.item.enum && typeof item === 'number' && reservedValues(f.item).length) out.push({ kind: 'enum', path: ip, key: i, field: f.item });
          });
          break;
        case 'switch': {
          const next = switchCase(f, (id) => scope.get(id));
          if (next) this.type(next(), val, [...path, f.id], out, depth + 1);
          break;
        }
        case 'codec':
          break;
      }
    }
  }

  private lengthField(f: FieldIR, fields: FieldIR[]): UintField | undefined {
    return fields.find((g): g is UintField => g.kind === 'uint' && g.id === f.lengthFrom);
  }

  private maxBytes(f: BytesField, fields: FieldIR[]): number {
    const lf = this.lengthField(f, fields);
    if (!lf?.relation) return BYTES_CAP;
    const units = 2 ** Math.min(lf.bits, 30) - 1 - lf.relation.adjust;
    return Math.max(0, Math.min(BYTES_CAP * 4, Math.floor((units * lf.relation.unitBits) / 8)));
  }

  private maxItems(f: ListField, fields: FieldIR[]): number {
    if (f.maxItems !== undefined) return Math.min(f.maxItems, LIST_CAP);
    const lf = this.lengthField(f, fields);
    if (lf?.relation?.kind === 'count_of') return Math.min(LIST_CAP, 2 ** Math.min(lf.bits, 16) - 1 - lf.relation.adjust);
    return 8;
  }
}
