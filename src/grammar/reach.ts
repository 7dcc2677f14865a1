/**
 * Which messages a type leads to, and through which dispatch case: the one rule the encoder, the
 * arbitraries and the fuzz site walker pick a case by when a value names its message. Cases told
 * apart only by direction (TS 24.301's two Detach requests) count as cases like the others. Also the
 * fields whose start a later rule measures from, which the decoders track, and which optional IE an
 * IEI introduces.
 */
import { perKey } from './memo.js';
import { switchCases, type DispatchType, type FieldIR, type IEIR, type ProtectionIR, type Relation, type TypeIR, type UintField } from './ir.js';

/** A field list's layout: where each field is, and where a field present by another's value finds it. */
export interface Layout {
  index: ReadonlyMap<string, number>;
  defs: FieldIR[];
  /** For a field present by another's value (`flag`, `in`): that field's index, else -1. */
  presentBy: Int16Array;
  /**
   * The integer fields that give other fields' length or count. The encoder derives such a value from
   * its targets, so a decoder keeps it in the value when none of the targets is there.
   */
  sizing: number[];
}

/** A field list's layout, made once per list. */
export const layoutOf = perKey((defs: FieldIR[]): Layout => {
  const index = new Map(defs.map((f, i) => [f.id, i]));
  const presentBy = Int16Array.from(defs, (f) => (f.presence.kind === 'flag' || f.presence.kind === 'in' ? (index.get(f.presence.field) ?? -1) : -1));
  const sizing = defs.flatMap((f, i) => (f.kind === 'uint' && f.relation && f.relation.kind !== 'present_of' ? [i] : []));
  return { index, defs, presentBy, sizing };
});

export interface RelationAt {
  /** The index of the field that holds the length or count. */
  at: number;
  rel: Relation;
  /** The indices of the relation's targets (-1: not in the struct). */
  targets: number[];
}

const relations = new WeakMap<FieldIR, { layout: Layout; found: RelationAt }>();

/** The length or count relation `f` is sized by, in the layout of its list; worked out once per field (the dissector asks at every read). */
export function relationOf(f: FieldIR, layout: Layout): RelationAt {
  const known = relations.get(f);
  if (known?.layout === layout) return known.found;
  const at = layout.index.get(f.lengthFrom!);
  const rel = at === undefined ? undefined : (layout.defs[at] as UintField).relation;
  if (at === undefined || !rel) throw new Error(`${f.where}: no length relation "${f.lengthFrom}" in its struct`);
  const found = { at, rel, targets: rel.targets.map((t) => layout.index.get(t) ?? -1) };
  relations.set(f, { layout, found });
  return found;
}

/** Where the first present of a relation's targets started, from the starts by field index (Infinity: none is present). */
export function spanStart(starts: ReadonlyArray<number | undefined>, targets: number[]): number {
  let start = Number.POSITIVE_INFINITY;
  for (const t of targets) {
    const s = t < 0 ? undefined : starts[t];
    if (s !== undefined && s < start) start = s;
  }
  return start;
}

/** Every type a dispatch can continue with. */
export const alternatives = (t: DispatchType): Array<() => TypeIR> => [...t.cases.values(), ...[...t.byDirection.values()].flatMap((d) => [d.ul, d.dl]), ...(t.default ? [t.default] : [])];

/** The types a field continues with: what it refers to, switches to, lists or views. */
function typesOfField(f: FieldIR): TypeIR[] {
  if (f.kind === 'ref') return [f.type()];
  if (f.kind === 'switch') return switchCases(f).map((c) => c());
  if (f.kind === 'list') return typesOfField(f.item);
  if (f.kind === 'uint' && f.view) return [f.view()];
  return [];
}

/** `t` and every type `next` leads to from it (types refer to each other in cycles: each is visited once). */
function closure(t: TypeIR, next: (u: TypeIR) => TypeIR[]): Set<TypeIR> {
  const seen = new Set<TypeIR>();
  const stack = [t];
  while (stack.length) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    stack.push(...next(u));
  }
  return seen;
}

const dispatched = (u: TypeIR): TypeIR[] => (u.kind === 'dispatch' ? alternatives(u).map((c) => c()) : []);

/** Every type a value of `t` can hold, `t` included. */
export const typesUnder = (t: TypeIR): Set<TypeIR> =>
  closure(t, (u) => {
    if (u.kind === 'struct') return u.fields.flatMap(typesOfField);
    if (u.kind === 'l3') return [...u.header.flatMap(typesOfField), ...u.ies.flatMap((ie) => (ie.type ? [ie.type()] : []))];
    return dispatched(u);
  });

const reached = new WeakMap<TypeIR, ReadonlySet<string>>();

/** Message names a type can produce. */
export function messagesOf(t: TypeIR): ReadonlySet<string> {
  const known = reached.get(t);
  if (known) return known;
  const out = new Set<string>();
  for (const u of closure(t, dispatched)) if (u.kind === 'l3' || (u.kind === 'struct' && u.message)) out.add(u.name);
  reached.set(t, out);
  return out;
}

const cases = new WeakMap<DispatchType, Map<string, TypeIR | undefined>>();

/** The case of a dispatch that leads to the named message, if any. */
export function caseFor(t: DispatchType, message: string): TypeIR | undefined {
  let known = cases.get(t);
  if (!known) cases.set(t, (known = new Map()));
  if (known.has(message)) return known.get(message);
  const found = alternatives(t)
    .map((c) => c())
    .find((u) => messagesOf(u).has(message));
  known.set(message, found);
  return found;
}

/** The integer `field` of the IE `ie` in a message value: the key of a dispatch on an earlier IE (`dispatch: {ie, field}`). */
export function ieField(message: Readonly<Record<string, unknown>> | undefined, on: { ie: string; field: string }): number | undefined {
  const v = message?.[on.ie];
  const k = v && typeof v === 'object' ? (v as Record<string, unknown>)[on.field] : undefined;
  return typeof k === 'number' ? k : undefined;
}

const measured = new WeakMap<FieldIR[], boolean[]>();

/**
 * By index, the fields of a list whose start a later rule reads: the targets of a length (a span's
 * first target starts it), where MAC coverage starts, and the MAC. Worked out once per list (a list
 * belongs to one struct, so to one protection block).
 */
export function startsRead(fields: FieldIR[], protection?: ProtectionIR): boolean[] {
  let read = measured.get(fields);
  if (!read) {
    const ids = new Set(fields.flatMap((f) => (f.kind === 'uint' && f.relation?.kind === 'length_of' ? f.relation.targets : [])));
    if (protection) for (const id of [protection.coversFrom, protection.mac]) if (id) ids.add(id);
    measured.set(fields, (read = fields.map((f) => ids.has(f.id))));
  }
  return read;
}

/**
 * For each first octet of an IE, the index in a message's optional IEs of the one it introduces, or
 * -1: a full-octet IEI, or the high nibble of a type 1 IE (bit 8 set; TS 24.007 §11.2.4 gives other
 * octets to longer IEs). The one rule the decoders and the mutators match IEIs by, worked out once.
 */
export const ieiIndex = perKey(
  (optional: readonly IEIR[]): Int16Array => Int16Array.from({ length: 256 }, (_, octet) => optional.findIndex((ie) => (ie.half ? octet >= 0x80 && octet >> 4 === ie.iei : octet === ie.iei))),
);

/**
 * The length-field octets of an IE whose IEI no table of the message knows (TS 24.007 §11.2.4):
 * none with bit 8 set (a one-octet type 1 or 2 IE), 2 for 0111xxxx (TLV-E), else 1 (TLV).
 */
export const unknownIeLengthOctets = (iei: number): 0 | 1 | 2 => (iei & 0x80 ? 0 : (iei & 0x70) === 0x70 ? 2 : 1);
