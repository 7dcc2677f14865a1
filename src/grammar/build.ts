/**
 * Builds the IR from grammar data (parsed YAML objects), validating as it goes.
 * Every error names the file and the path inside it.
 */
import { GrammarError } from './errors.js';
import type {
  Base,
  BytesField,
  CodecField,
  EnumIR,
  FieldBase,
  FieldIR,
  GrammarIR,
  IEFormat,
  IEIR,
  Presence,
  ProtectionIR,
  ProtocolIR,
  RefField,
  Relation,
  SpareField,
  SwitchField,
  SwitchOverride,
  TypeIR,
  UintField,
  ListField,
} from './ir.js';
import { CODEC_DESCRIPTORS, codecLeaves, paramProblem } from '../codecs/descriptors.js';
import { FILTER_NAME } from './names.js';
import { fieldRendering, renderedFtype, typeRendering } from './rendering.js';
import { canonicalFieldShapes } from './shapes.js';

export interface GrammarSource {
  file: string;
  data: unknown;
}

type Obj = Record<string, unknown>;

const FIELD_KEYS = new Set([
  'id',
  'label',
  'filter',
  'doc',
  'spec_ref',
  'bits',
  'spare',
  'bytes',
  'type',
  'codec',
  'list',
  'switch',
  'enum',
  'base',
  'const',
  'value',
  'length_of',
  'count_of',
  'present_of',
  'unit',
  'adjust',
  'present_if',
  'tail',
  'params',
  'cases',
  'default',
  'text',
  'tfs',
  'type_bits',
  'min_items',
  'max_items',
  'rest',
  'units',
  'render',
  'numbered',
  'view',
  'cases_when',
]);
const KINDS = ['bits', 'spare', 'bytes', 'type', 'codec', 'list', 'switch'] as const;
const IE_KEYS = new Set(['id', 'name', 'label', 'filter', 'iei', 'format', 'length', 'type', 'presence', 'clause', 'spec_ref', 'bytes_field']);
const FORMATS: IEFormat[] = ['V', 'LV', 'LV-E', 'T', 'TV', 'TLV', 'TLV-E'];

/** A message's IE table split into its imperative part (half-octet IEs paired, checkIes saw to it) and its optional part. */
function parts(ies: IEIR[]): { imperative: Array<[IEIR] | [IEIR, IEIR]>; optional: IEIR[] } {
  const imperative: Array<[IEIR] | [IEIR, IEIR]> = [];
  let i = 0;
  while (i < ies.length && ies[i].iei === undefined) {
    if (ies[i].half) imperative.push([ies[i], ies[i + 1]]);
    else imperative.push([ies[i]]);
    i += ies[i].half ? 2 : 1;
  }
  return { imperative, optional: ies.slice(i) };
}

/** The length field of each IE format (TS 24.007 §11.2.1.1): one octet for LV and TLV, two for the -E forms. */
const LENGTH_BITS: Record<IEFormat, 0 | 8 | 16> = { V: 0, T: 0, TV: 0, LV: 8, TLV: 8, 'LV-E': 16, 'TLV-E': 16 };
const ID = /^[a-z][a-z0-9_]*$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Numbers written as YAML ints or as "0x.." strings. */
export function parseNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|0b[01]+|\d+)$/.test(v)) return Number(v);
  return undefined;
}

/** What every field has, whatever its kind. */
type FieldMeta = Pick<FieldBase, 'id' | 'label' | 'filter' | 'presence' | 'where' | 'doc' | 'specRef'>;

/**
 * A field from what every field has and what its kind adds, assigned onto `meta` (a fresh object):
 * an object spread followed by more properties takes V8's slow path, and a grammar has thousands of fields.
 */
const fieldOf = <F extends FieldIR>(meta: FieldMeta, own: Omit<F, keyof FieldMeta>): F => Object.assign(meta, own) as F;

const words = (id: string) => id.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

class Builder {
  readonly ir: GrammarIR = {
    protocols: new Map(),
    types: new Map(),
    enums: new Map(),
    messages: new Map(),
    messageProtocols: new Map(),
    fields: new Map(),
  };
  private pendingTypes: Array<{ name: string; file: string; path: string }> = [];
  private rawTypes = new Map<string, { file: string; path: string; def: Obj; message: boolean; protocol: string }>();
  private protocolOfFile = new Map<string, string>();
  private codecFields: Array<{ f: CodecField; file: string; path: string; protocol: string }> = [];
  /** Code point assignments (`constants:`), referred to as "$name" by IEIs and message types. */
  private constants = new Map<string, unknown>();

  private resolve(v: unknown, file: string, path: string): unknown {
    if (typeof v !== 'string' || !v.startsWith('$')) return v;
    if (!this.constants.has(v.slice(1))) throw new GrammarError(file, path, `unknown constant "${v}"`);
    return this.constants.get(v.slice(1));
  }

  constructor(private sources: GrammarSource[]) {}

  build(): GrammarIR {
    for (const s of this.sources) this.collect(s);
    for (const [name, raw] of this.rawTypes) this.ir.types.set(name, this.buildType(name, raw));
    this.codecLeaves();
    for (const ref of this.pendingTypes) {
      if (!this.ir.types.has(ref.name)) throw new GrammarError(ref.file, ref.path, `unknown type "${ref.name}"`);
    }
    for (const p of this.ir.protocols.values()) {
      if (!this.ir.types.has(p.root)) throw new GrammarError(`protocol ${p.name}`, '/root', `unknown type "${p.root}"`);
    }
    this.checkIeDispatches();
    canonicalFieldShapes(this.ir);
    return this.ir;
  }

  /**
   * A dispatch on an earlier IE's field (`dispatch: {ie, field}`) is the type of IEs only, and every
   * message that has such an IE has the named IE before it, with that integer field.
   */
  private checkIeDispatches(): void {
    const onIe = (t: TypeIR | undefined) => t?.kind === 'dispatch' && t.on !== undefined;
    const where = (at: string) => {
      const [file, ...rest] = at.split(':');
      return [file, rest.join(':')] as const;
    };
    const refs = (fields: FieldIR[]): TypeIR[] =>
      fields.flatMap((f) => (f.kind === 'ref' ? [f.type()] : f.kind === 'switch' ? [...f.cases.values(), ...(f.default ? [f.default] : [])].map((c) => c()) : f.kind === 'list' ? refs([f.item]) : []));
    for (const t of this.ir.types.values()) {
      const used = t.kind === 'struct' ? refs(t.fields) : t.kind === 'dispatch' ? [...t.cases.values(), ...(t.default ? [t.default] : [])].map((c) => c()) : refs(t.header);
      const bad = used.find(onIe);
      if (bad) throw new GrammarError(...where(bad.where), `a dispatch on an IE's field is the type of an IE, not of a field or case of "${t.name}"`);
      if (t.kind !== 'l3') continue;
      t.ies.forEach((ie, i) => {
        const d = ie.type?.();
        if (d?.kind !== 'dispatch' || !d.on) return;
        const { ie: id, field } = d.on;
        const k = t.ies.findIndex((x) => x.id === id);
        const kt = t.ies[k]?.type?.();
        const ok = k >= 0 && k < i && kt?.kind === 'struct' && kt.fields.some((f) => f.id === field && f.kind === 'uint' && f.presence.kind === 'always');
        if (!ok) throw new GrammarError(...where(ie.where), `IE "${ie.id}" is picked by "${id}.${field}", which must be an integer field of an earlier IE of this message`);
      });
    }
  }

  private collect({ file, data }: GrammarSource): void {
    if (!isObj(data)) throw new GrammarError(file, '', 'a grammar file is a mapping');
    const allowed = new Set(['protocol', 'label', 'root', 'filter_prefix', 'doc', 'spec_ref', 'constants', 'enums', 'types', 'messages', 'generated']);
    for (const k of Object.keys(data)) if (!allowed.has(k)) throw new GrammarError(file, `/${k}`, 'unknown key');
    const protocol = data.protocol;
    if (typeof protocol !== 'string') throw new GrammarError(file, '/protocol', 'required: the protocol this file belongs to');
    this.protocolOfFile.set(file, protocol);
    if (data.generated !== undefined) this.generatedFields(data.generated, file, protocol);
    if (data.constants !== undefined) {
      if (!isObj(data.constants)) throw new GrammarError(file, '/constants', 'a mapping of names to values');
      for (const [k, v] of Object.entries(data.constants)) {
        if (this.constants.has(k)) throw new GrammarError(file, `/constants/${k}`, `constant "${k}" defined twice`);
        this.constants.set(k, v);
      }
    }
    if (data.root !== undefined) {
      if (typeof data.root !== 'string') throw new GrammarError(file, '/root', 'a type name');
      if (this.ir.protocols.has(protocol)) throw new GrammarError(file, '/root', `protocol ${protocol} already has a root`);
      const prefix = data.filter_prefix ?? protocol.replace(/-/g, '_');
      if (typeof prefix !== 'string') throw new GrammarError(file, '/filter_prefix', 'a string');
      const p: ProtocolIR = { name: protocol, label: String(data.label ?? protocol), root: data.root, filterPrefix: prefix };
      this.ir.protocols.set(protocol, p);
    }
    for (const [section, message] of [
      ['enums', false],
      ['types', false],
      ['messages', true],
    ] as const) {
      const sec = data[section];
      if (sec === undefined) continue;
      if (!isObj(sec)) throw new GrammarError(file, `/${section}`, 'a mapping');
      for (const [name, def] of Object.entries(sec)) {
        const path = `/${section}/${name}`;
        if (!ID.test(name)) throw new GrammarError(file, path, 'names are lower_snake_case');
        if (section === 'enums') {
          if (this.ir.enums.has(name)) throw new GrammarError(file, path, `enum "${name}" defined twice`);
          this.ir.enums.set(name, this.buildEnum(name, def, file, path));
          continue;
        }
        if (!isObj(def)) throw new GrammarError(file, path, 'a mapping');
        if (this.rawTypes.has(name)) throw new GrammarError(file, path, `type "${name}" defined twice`);
        this.rawTypes.set(name, { file, path, def, message, protocol });
        if (message) this.ir.messageProtocols.set(name, protocol);
      }
    }
  }

  /** Fields that security schemes compute (MAC status, ...): declared so the catalogue and filters know them. */
  private generatedFields(raw: unknown, file: string, protocol: string): void {
    if (!Array.isArray(raw)) throw new GrammarError(file, '/generated', 'a list of {filter, label, ftype}');
    raw.forEach((g, i) => {
      if (!isObj(g) || typeof g.filter !== 'string' || !FILTER_NAME.test(g.filter) || typeof g.label !== 'string' || typeof g.ftype !== 'string') {
        throw new GrammarError(file, `/generated/${i}`, 'expected {filter, label, ftype}');
      }
      if (this.ir.fields.has(g.filter)) throw new GrammarError(file, `/generated/${i}/filter`, `"${g.filter}" is already defined`);
      this.ir.fields.set(g.filter, { filter: g.filter, label: g.label, ftype: g.ftype, base: typeof g.base === 'string' ? g.base : '', protocol });
    });
  }

  private buildEnum(name: string, def: unknown, file: string, path: string): EnumIR {
    if (!isObj(def)) throw new GrammarError(file, path, 'an enum maps values to labels');
    const e: EnumIR = { name, values: new Map(), ranges: [] };
    for (const [k, v] of Object.entries(def)) {
      if (k === '_other') {
        e.other = String(v);
      } else if (k === '_ranges') {
        if (!Array.isArray(v)) throw new GrammarError(file, `${path}/_ranges`, 'a list of [lo, hi, label]');
        v.forEach((r, i) => {
          const lo = parseNumber(Array.isArray(r) ? r[0] : undefined);
          const hi = parseNumber(Array.isArray(r) ? r[1] : undefined);
          if (lo === undefined || hi === undefined || !Array.isArray(r) || typeof r[2] !== 'string' || hi < lo) {
            throw new GrammarError(file, `${path}/_ranges/${i}`, 'expected [lo, hi, label] with lo <= hi');
          }
          e.ranges.push([lo, hi, r[2]]);
        });
      } else {
        const n = parseNumber(k);
        if (n === undefined) throw new GrammarError(file, `${path}/${k}`, 'enum keys are integers (decimal or 0x hex)');
        if (typeof v !== 'string') throw new GrammarError(file, `${path}/${k}`, 'enum labels are strings');
        e.values.set(n, v);
      }
    }
    return e;
  }

  private typeRef(name: unknown, file: string, path: string): () => TypeIR {
    if (typeof name !== 'string') throw new GrammarError(file, path, 'a type name');
    this.pendingTypes.push({ name, file, path });
    // Looked up on first use (types refer to each other before all are built), then kept.
    let t: TypeIR | undefined;
    return () => (t ??= this.ir.types.get(name)!);
  }

  private buildType(name: string, raw: { file: string; path: string; def: Obj; message: boolean; protocol: string }): TypeIR {
    const { file, path, def } = raw;
    const where = `${file}:${path}`;
    const label = typeof def.label === 'string' ? def.label : words(name);
    const prefix = typeof def.filter === 'string' ? def.filter : `${this.prefixOf(raw.protocol)}.${name}`;
    const specRef = typeof def.spec_ref === 'string' ? def.spec_ref : undefined;
    const doc = typeof def.doc === 'string' ? def.doc : undefined;
    if (def.dispatch !== undefined) {
      const d = def.dispatch;
      if (!isObj(d)) throw new GrammarError(file, `${path}/dispatch`, 'expected {offset, bits} or {ie, field}');
      let on: { ie: string; field: string } | undefined;
      if (d.ie !== undefined || d.field !== undefined) {
        if (typeof d.ie !== 'string' || !ID.test(d.ie) || typeof d.field !== 'string' || !ID.test(d.field) || d.offset !== undefined || d.bits !== undefined || d.key !== undefined) {
          throw new GrammarError(file, `${path}/dispatch`, '{ie, field}: an earlier IE of the message and its integer field, without offset, bits or key');
        }
        on = { ie: d.ie, field: d.field };
      }
      const offset = parseNumber(d.offset) ?? 0;
      const bits = on ? 0 : parseNumber(d.bits);
      if (bits === undefined || (!on && (bits < 1 || bits > 32))) throw new GrammarError(file, `${path}/dispatch/bits`, '1 to 32 bits');
      const { cases, caseNames } = this.cases(def.cases ?? {}, file, `${path}/cases`);
      const byDirection = new Map<number, { ul: () => TypeIR; dl: () => TypeIR }>();
      if (def.cases_from !== undefined) this.casesFrom(def.cases_from, cases, caseNames, byDirection, file, `${path}/cases_from`);
      if (d.key !== undefined && (typeof d.key !== 'string' || !ID.test(d.key))) throw new GrammarError(file, `${path}/dispatch/key`, 'a value key, lower_snake_case');
      const t: TypeIR = {
        kind: 'dispatch',
        name,
        label,
        peekOffset: offset,
        peekBits: bits,
        on,
        key: d.key as string | undefined,
        cases,
        caseNames,
        byDirection,
        where,
        ...typeRendering(def, undefined, file, path, raw.protocol, this.ir),
      };
      if (def.default !== undefined) {
        t.default = this.typeRef(def.default, file, `${path}/default`);
        t.defaultName = String(def.default);
      }
      if (d.quiet_default !== undefined) {
        if (d.quiet_default !== true || def.default === undefined) throw new GrammarError(file, `${path}/dispatch/quiet_default`, 'true, with a default');
        t.quietDefault = true;
      }
      return t;
    }
    if (def.ies !== undefined) {
      if (!raw.message) throw new GrammarError(file, `${path}/ies`, 'IE tables belong in messages');
      const headerName = def.header;
      if (typeof headerName !== 'string' || !this.rawTypes.has(headerName)) {
        throw new GrammarError(file, `${path}/header`, 'an L3 message names its header type');
      }
      const hraw = this.rawTypes.get(headerName)!;
      const header = this.fields(hraw.def.fields, hraw.file, `${hraw.path}/fields`, this.prefixOf(hraw.protocol), hraw.protocol);
      const set = new Map<string, number>();
      if (def.set !== undefined) {
        if (!isObj(def.set)) throw new GrammarError(file, `${path}/set`, 'a mapping of header field ids to values');
        for (const [k, v] of Object.entries(def.set)) {
          const n = parseNumber(this.resolve(v, file, `${path}/set/${k}`));
          if (!header.some((f) => f.id === k) || n === undefined) throw new GrammarError(file, `${path}/set/${k}`, 'a header field and an integer');
          set.set(k, n);
        }
      }
      if (!Array.isArray(def.ies)) throw new GrammarError(file, `${path}/ies`, 'a list');
      const iePrefix = typeof def.ie_filter === 'string' ? def.ie_filter : this.prefixOf(raw.protocol);
      const ies = def.ies.map((ie, i) => this.ie(ie, file, `${path}/ies/${i}`, iePrefix));
      this.checkIes(ies, file, `${path}/ies`);
      const direction = def.direction as 'ul' | 'dl' | 'both' | undefined;
      if (direction !== undefined && !['ul', 'dl', 'both'].includes(direction)) throw new GrammarError(file, `${path}/direction`, 'ul, dl or both');
      const t: TypeIR = { kind: 'l3', name, label, message: true, header, set, ies, ...parts(ies), direction, specRef, doc, where, ieFilterPrefix: iePrefix };
      this.ir.messages.set(name, t);
      return t;
    }
    if (def.undecoded !== undefined) {
      if (typeof def.undecoded !== 'string' || !def.undecoded) throw new GrammarError(file, `${path}/undecoded`, 'the reason the grammar does not decode this part');
      if (def.fields !== undefined || raw.message) throw new GrammarError(file, `${path}/undecoded`, 'a part left undecoded has no fields and is no message');
      return { kind: 'struct', name, label, fields: [], undecoded: def.undecoded, specRef, doc, where, ...typeRendering(def, [], file, path, raw.protocol, this.ir) };
    }
    if (def.fields !== undefined) {
      const fields = this.fields(def.fields, file, `${path}/fields`, prefix, raw.protocol);
      const protection = def.protection === undefined ? undefined : this.protection(def.protection, fields, file, `${path}/protection`);
      const t: TypeIR = { kind: 'struct', name, label, fields, protection, message: raw.message, specRef, doc, where, ...typeRendering(def, fields, file, path, raw.protocol, this.ir) };
      if (def.pad_to !== undefined) {
        const octets = parseNumber(def.pad_to);
        if (octets === undefined || octets < 1 || octets > 16) throw new GrammarError(file, `${path}/pad_to`, 'a number of octets, 1-16');
        const filter = typeof def.pad_filter === 'string' ? def.pad_filter : `${this.prefixOf(raw.protocol)}.padding`;
        this.ir.fields.set(filter, { filter, label: 'Padding', ftype: 'FT_BYTES', base: '', protocol: raw.protocol });
        t.padTo = { bits: octets * 8, filter };
      }
      if (raw.message) this.ir.messages.set(name, t);
      return t;
    }
    throw new GrammarError(file, path, 'a type has fields, dispatch or (messages) ies');
  }

  private protection(raw: unknown, fields: FieldIR[], file: string, path: string): ProtectionIR {
    if (!isObj(raw) || typeof raw.scheme !== 'string') throw new GrammarError(file, path, 'expected {scheme, payload, covers_from, mac, ciphered_field, ciphered_if?}');
    const has = (id: unknown, key: string) => {
      if (typeof id !== 'string' || !fields.some((f) => f.id === id)) throw new GrammarError(file, `${path}/${key}`, 'a field of this struct');
      return id;
    };
    const c = raw.ciphered_field;
    if (!isObj(c) || typeof c.filter !== 'string' || !FILTER_NAME.test(c.filter) || typeof c.label !== 'string') {
      throw new GrammarError(file, `${path}/ciphered_field`, 'expected {filter, label} for payload bytes that stay ciphered');
    }
    const p: ProtectionIR = {
      scheme: raw.scheme,
      payload: has(raw.payload, 'payload'),
      coversFrom: has(raw.covers_from, 'covers_from'),
      mac: raw.mac === undefined ? undefined : has(raw.mac, 'mac'),
      cipheredFilter: c.filter,
      cipheredLabel: c.label,
    };
    this.ir.fields.set(c.filter, { filter: c.filter, label: c.label, ftype: 'FT_BYTES', base: '', protocol: this.protocolOfFile.get(file) ?? '' });
    if (raw.ciphered_if === 'always') p.cipheredIf = 'always';
    else if (raw.ciphered_if !== undefined) {
      const ci = raw.ciphered_if;
      if (!isObj(ci) || !Array.isArray(ci.in)) throw new GrammarError(file, `${path}/ciphered_if`, 'expected {field, in: [values]} or always');
      p.cipheredIf = { field: has(ci.field, 'ciphered_if/field'), values: ci.in.map((v) => parseNumber(v) ?? -1) };
    }
    return p;
  }

  /** Adds a case for every L3 message with the given header, keyed by the value it sets for `field`. */
  private casesFrom(
    raw: unknown,
    cases: Map<number, () => TypeIR>,
    caseNames: Map<number, string>,
    byDirection: Map<number, { ul: () => TypeIR; dl: () => TypeIR }>,
    file: string,
    path: string,
  ): void {
    if (!isObj(raw) || typeof raw.header !== 'string' || typeof raw.field !== 'string') throw new GrammarError(file, path, 'expected {header, field}');
    for (const [name, m] of this.rawTypes) {
      if (m.def.header !== raw.header) continue;
      const key = parseNumber(isObj(m.def.set) ? this.resolve(m.def.set[raw.field], m.file, `${m.path}/set/${raw.field}`) : undefined);
      if (key === undefined) throw new GrammarError(m.file, `${m.path}/set/${raw.field}`, `required: the ${raw.field} that selects this message`);
      if (cases.has(key)) {
        // Two messages may share a key when one goes up and the other down: the direction picks.
        const other = this.rawTypes.get(caseNames.get(key)!)!;
        const dirs = [other.def.direction, m.def.direction];
        if (byDirection.has(key) || !dirs.includes('ul') || !dirs.includes('dl')) {
          throw new GrammarError(m.file, `${m.path}/set/${raw.field}`, `${raw.field} ${key} is already "${caseNames.get(key)}" (only an ul and a dl message may share it)`);
        }
        const mine = this.typeRef(name, m.file, m.path);
        const theirs = cases.get(key)!;
        byDirection.set(key, m.def.direction === 'ul' ? { ul: mine, dl: theirs } : { ul: theirs, dl: mine });
        // Without a direction the uplink one is read.
        if (m.def.direction === 'ul') {
          cases.set(key, mine);
          caseNames.set(key, name);
        }
        continue;
      }
      cases.set(key, this.typeRef(name, m.file, m.path));
      caseNames.set(key, name);
      // The key field's enum names every message that sets it (new message types included).
      const hdr = this.rawTypes.get(raw.header)?.def.fields;
      const enumName = Array.isArray(hdr) ? (hdr.find((f) => isObj(f) && f.id === raw.field) as Obj | undefined)?.enum : undefined;
      const e = typeof enumName === 'string' ? this.ir.enums.get(enumName) : undefined;
      if (e && !e.values.has(key)) e.values.set(key, typeof m.def.label === 'string' ? m.def.label : words(name));
    }
  }

  private prefixOf(protocol: string): string {
    return this.ir.protocols.get(protocol)?.filterPrefix ?? protocol.replace(/-/g, '_');
  }

  private cases(raw: unknown, file: string, path: string) {
    if (!isObj(raw)) throw new GrammarError(file, path, 'a mapping of values to type names');
    const cases = new Map<number, () => TypeIR>();
    const caseNames = new Map<number, string>();
    for (const [k, v] of Object.entries(raw)) {
      // A key is a value, or an inclusive range "lo-hi" of values that share a layout.
      const values = valueRange(k);
      if (!values) throw new GrammarError(file, `${path}/${k}`, 'case keys are integers or ranges "lo-hi" of at most 65536 values');
      const type = this.typeRef(v, file, `${path}/${k}`);
      for (const n of values) {
        cases.set(n, type);
        caseNames.set(n, String(v));
      }
    }
    return { cases, caseNames };
  }

  /** `cases_when: [{field, in: [values], cases}]` of a switch field: cases that win while `field` has one of the values. */
  private casesWhen(raw: unknown, file: string, path: string): SwitchOverride[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) throw new GrammarError(file, path, 'a list of {field, in, cases}');
    return raw.map((o, k) => {
      if (!isObj(o) || typeof o.field !== 'string' || !Array.isArray(o.in) || o.in.some((v) => typeof v !== 'number') || !isObj(o.cases)) {
        throw new GrammarError(file, `${path}/${k}`, 'expected {field, in: [values], cases}');
      }
      for (const key of Object.keys(o)) if (!['field', 'in', 'cases'].includes(key)) throw new GrammarError(file, `${path}/${k}/${key}`, 'unknown key');
      return { field: o.field, values: o.in as number[], ...this.cases(o.cases, file, `${path}/${k}/cases`) };
    });
  }

  private fields(raw: unknown, file: string, path: string, prefix: string, protocol: string): FieldIR[] {
    if (raw === undefined) throw new GrammarError(file, path, 'required');
    if (!Array.isArray(raw)) throw new GrammarError(file, path, 'fields are a list');
    // Bit offset of each field from the struct's start, while every field before it has a fixed size.
    let offset: number | undefined = 0;
    const out = raw.map((f, i) => {
      const field = this.field(f, file, `${path}/${i}`, prefix, offset, protocol);
      const bits = field.presence.kind === 'always' ? fixedBits(field) : undefined;
      offset = offset === undefined || bits === undefined ? undefined : offset + bits;
      return field;
    });
    const ids = new Set<string>();
    out.forEach((f, i) => {
      if (ids.has(f.id)) throw new GrammarError(file, `${path}/${i}/id`, `duplicate id "${f.id}"`);
      ids.add(f.id);
    });
    // Resolve relations: each names later fields of the same struct.
    out.forEach((f, i) => {
      if (f.kind !== 'uint' || !f.relation) return;
      const rel = f.relation;
      for (const name of rel.targets) {
        const j = out.findIndex((g) => g.id === name);
        const where = `${path}/${i}/${rel.kind}`;
        if (j <= i) throw new GrammarError(file, where, `"${name}" must be a later field of this struct`);
        const target = out[j];
        if (rel.kind === 'length_of') {
          // In a span only the last target is sized by the length; the ones before it have their own
          // sizes, but for octets without one (bytes: var): the length sizes them too, as alternatives
          // to the last that their presence conditions keep apart (digits or a text).
          if (name !== rel.targets[rel.targets.length - 1]) {
            if ((target.kind === 'bytes' || target.kind === 'codec') && target.size === 'related') target.lengthFrom = f.id;
            continue;
          }
          const ok = target.kind === 'ref' || target.kind === 'codec' || target.kind === 'list' || target.kind === 'switch' || (target.kind === 'bytes' && target.size === 'related');
          if (!ok) throw new GrammarError(file, where, 'a length_of target is bytes without a size, a type, a codec, a switch or a list');
          if (target.kind === 'list') target.bound = 'length';
        } else if (rel.kind === 'count_of') {
          if (target.kind !== 'list') throw new GrammarError(file, where, 'a count_of target is a list');
          target.bound = 'count';
        } else if (target.presence.kind !== 'flag' || target.presence.field !== f.id) {
          throw new GrammarError(file, `${path}/${j}/present_if`, `expected present_if: ${f.id}`);
        }
        if (rel.kind !== 'present_of') target.lengthFrom = f.id;
      }
    });
    out.forEach((f, i) => {
      if (f.kind === 'bytes' && f.size === 'related' && !f.lengthFrom) {
        throw new GrammarError(file, `${path}/${i}`, 'bytes without a size need a length_of field before them (or bytes: rest)');
      }
      const p = f.presence;
      if (p.kind === 'flag' || p.kind === 'in') {
        const j = out.findIndex((g) => g.id === p.field);
        const flag = out[j];
        if (j < 0 || j >= i || flag.kind !== 'uint') throw new GrammarError(file, `${path}/${i}/present_if`, `"${p.field}" must be an earlier integer field`);
        flag.decides = true;
        if (p.kind === 'flag') flag.flags = [...(flag.flags ?? []), f.id];
        // A presence flag is derived: the encoder sets it from the value, the decoder leaves it out.
        if (p.kind === 'flag' && !flag.relation) flag.relation = { kind: 'present_of', targets: [f.id], unitBits: 1, adjust: 0 };
        else if (p.kind === 'flag' && flag.relation?.kind === 'present_of') flag.relation.targets.push(f.id);
      }
      if (f.kind === 'switch') {
        const j = out.findIndex((g) => g.id === f.on);
        if (j < 0 || j >= i || out[j].kind !== 'uint') throw new GrammarError(file, `${path}/${i}/switch`, `"${f.on}" must be an earlier integer field`);
        f.when.forEach((o, k) => {
          const m = out.findIndex((g) => g.id === o.field);
          if (m < 0 || m >= i || out[m].kind !== 'uint') throw new GrammarError(file, `${path}/${i}/cases_when/${k}/field`, `"${o.field}" must be an earlier integer field`);
        });
      }
    });
    return out;
  }

  /** `offset`: the field's bit offset in its struct, when the fields before it have fixed sizes. */
  private field(raw: unknown, file: string, path: string, prefix: string, offset: number | undefined, protocol: string): FieldIR {
    if (!isObj(raw)) throw new GrammarError(file, path, 'a field is a mapping');
    for (const k of Object.keys(raw)) if (!FIELD_KEYS.has(k)) throw new GrammarError(file, `${path}/${k}`, 'unknown key');
    // `bytes` is the kind on its own, and the size of a codec or list; `type` names a list's items.
    const primary = KINDS.filter((k) => k !== 'bytes' && raw[k] !== undefined && !(k === 'type' && raw.list !== undefined));
    const kinds = primary.length ? primary : raw.bytes !== undefined ? ['bytes' as const] : [];
    if (kinds.length !== 1 || (raw.bytes !== undefined && !['codec', 'list', 'bytes'].includes(kinds[0]))) {
      throw new GrammarError(
        file,
        path,
        `a field has exactly one of ${KINDS.join(', ')} (bytes may size a codec or list) (found ${
          Object.keys(raw)
            .filter((k) => (KINDS as readonly string[]).includes(k))
            .join(', ') || 'none'
        })`,
      );
    }
    const kind = kinds[0];
    const id = kind === 'spare' ? this.spareId(raw.id, offset, file, path) : raw.id;
    if (typeof id !== 'string' || !(ID.test(id) || kind === 'spare')) throw new GrammarError(file, `${path}/id`, 'required, lower_snake_case');
    const filter = typeof raw.filter === 'string' ? raw.filter : kind === 'spare' ? `${prefix.split('.')[0]}.spare_bits` : `${prefix}.${id}`;
    if (!FILTER_NAME.test(filter)) throw new GrammarError(file, `${path}/filter`, `"${filter}" is not a filter name (proto.field, [a-z0-9_])`);
    const label = typeof raw.label === 'string' ? raw.label : kind === 'spare' ? 'Spare bit(s)' : words(id);
    const presence = this.presence(raw, file, path);
    const meta: FieldMeta = { id, label, filter, presence, where: `${file}:${path}`, doc: raw.doc as string | undefined, specRef: raw.spec_ref as string | undefined };
    const sizeOf = (v: unknown, key: string): number | 'rest' | 'related' => {
      if (v === 'rest') return 'rest';
      if (v === undefined || v === 'var') return 'related';
      const n = parseNumber(v);
      if (n === undefined || n < 0) throw new GrammarError(file, `${path}/${key}`, 'a number of octets, "rest" or "var"');
      return n * 8;
    };
    let f: FieldIR;
    switch (kind) {
      case 'bits': {
        const bits = parseNumber(raw.bits);
        if (bits === undefined || bits < 1 || bits > 64) throw new GrammarError(file, `${path}/bits`, '1 to 64');
        let en: EnumIR | undefined;
        if (raw.enum !== undefined) {
          if (typeof raw.enum === 'string') {
            en = this.ir.enums.get(raw.enum);
            if (!en) throw new GrammarError(file, `${path}/enum`, `unknown enum "${raw.enum}"`);
          } else {
            en = this.buildEnum(`${id}`, raw.enum, file, `${path}/enum`);
          }
        }
        const base = raw.base ?? 'dec';
        if (base !== 'dec' && base !== 'hex') throw new GrammarError(file, `${path}/base`, 'dec or hex');
        const typeBits = parseNumber(raw.type_bits) ?? [8, 16, 24, 32, 64].find((w) => w >= bits)!;
        let relation: Relation | undefined;
        for (const rk of ['length_of', 'count_of', 'present_of'] as const) {
          if (raw[rk] === undefined) continue;
          if (relation) throw new GrammarError(file, `${path}/${rk}`, 'one relation per field');
          const unit = raw.unit ?? 'octets';
          const unitBits = unit === 'octets' ? 8 : unit === 'bits' ? 1 : unit === 'semi_octets' && rk === 'length_of' ? 4 : NaN;
          if (Number.isNaN(unitBits)) throw new GrammarError(file, `${path}/unit`, 'octets, bits or (a length) semi_octets');
          const targets = Array.isArray(raw[rk]) ? (raw[rk] as unknown[]).map(String) : [String(raw[rk])];
          relation = { kind: rk, targets, unitBits, adjust: parseNumber(raw.adjust) ?? 0 };
        }
        const constValue = raw.const === undefined ? undefined : parseNumber(raw.const);
        if (raw.const !== undefined && constValue === undefined) throw new GrammarError(file, `${path}/const`, 'an integer');
        let tfs: [string, string] | undefined;
        if (raw.tfs !== undefined) {
          if (!Array.isArray(raw.tfs) || raw.tfs.length !== 2) throw new GrammarError(file, `${path}/tfs`, '[true label, false label]');
          tfs = [String(raw.tfs[0]), String(raw.tfs[1])];
        }
        f = fieldOf<UintField>(meta, { kind: 'uint', bits, enum: en, base, typeBits, relation, constValue, tfs, unit: raw.units as string | undefined });
        if (raw.view !== undefined) {
          f.view = this.typeRef(raw.view, file, `${path}/view`);
          f.viewName = String(raw.view);
        }
        break;
      }
      case 'spare': {
        const bits = raw.spare === 'octet' ? 'octet' : parseNumber(raw.spare);
        if (bits === undefined || (bits !== 'octet' && (bits < 1 || bits > 64))) throw new GrammarError(file, `${path}/spare`, '1 to 64 bits, or octet (to the next octet boundary)');
        const base = raw.base ?? 'hex';
        if (base !== 'dec' && base !== 'hex') throw new GrammarError(file, `${path}/base`, 'dec or hex');
        f = fieldOf<SpareField>(meta, { kind: 'spare', bits, value: parseNumber(raw.value) ?? 0, base });
        break;
      }
      case 'bytes': {
        const text = raw.text as 'ascii' | 'utf8' | undefined;
        if (text !== undefined && text !== 'ascii' && text !== 'utf8') throw new GrammarError(file, `${path}/text`, 'ascii or utf8');
        f = fieldOf<BytesField>(meta, { kind: 'bytes', size: sizeOf(raw.bytes, 'bytes'), text });
        break;
      }
      case 'type':
        f = fieldOf<RefField>(meta, { kind: 'ref', type: this.typeRef(raw.type, file, `${path}/type`), typeName: String(raw.type), rest: raw.rest === true });
        break;
      case 'codec': {
        const d = typeof raw.codec === 'string' ? CODEC_DESCRIPTORS.get(raw.codec) : undefined;
        if (!d) throw new GrammarError(file, `${path}/codec`, `unknown codec "${String(raw.codec)}" (known: ${[...CODEC_DESCRIPTORS.keys()].join(', ')})`);
        const params = raw.params ?? {};
        if (!isObj(params)) throw new GrammarError(file, `${path}/params`, 'a mapping');
        for (const k of Object.keys(params))
          if (!(k in d.params)) throw new GrammarError(file, `${path}/params/${k}`, `codec ${d.name} has no parameter "${k}" (it has ${Object.keys(d.params).join(', ')})`);
        for (const [k, spec] of Object.entries(d.params)) {
          if (params[k] === undefined) {
            if (spec.required) throw new GrammarError(file, `${path}/params/${k}`, `required by codec ${d.name}: ${spec.doc}`);
            continue;
          }
          const problem = paramProblem(spec, params[k]);
          if (problem) throw new GrammarError(file, `${path}/params/${k}`, `${problem}: ${spec.doc}`);
        }
        f = fieldOf<CodecField>(meta, { kind: 'codec', codec: d.name, params, leaves: codecLeaves(d, filter, params), size: raw.bytes === undefined ? 'own' : sizeOf(raw.bytes, 'bytes') });
        break;
      }
      case 'list': {
        const itemRaw = isObj(raw.list) ? { id: 'item', ...raw.list } : { id: 'item', type: raw.list };
        const item = this.field(itemRaw, file, `${path}/list`, `${prefix}`, undefined, protocol);
        if (item.kind === 'spare' && item.bits === 'octet') throw new GrammarError(file, `${path}/list/spare`, 'spare bits to an octet boundary are a field of a struct, not a list item');
        // 'rest' until a count_of or length_of relation on an earlier field says otherwise.
        f = fieldOf<ListField>(meta, { kind: 'list', item, bound: 'rest', minItems: parseNumber(raw.min_items) ?? 0, maxItems: parseNumber(raw.max_items) });
        break;
      }
      case 'switch': {
        const { cases, caseNames } = this.cases(raw.cases, file, `${path}/cases`);
        f = fieldOf<SwitchField>(meta, { kind: 'switch', on: String(raw.switch), cases, caseNames, when: this.casesWhen(raw.cases_when, file, `${path}/cases_when`) });
        if (raw.default !== undefined) {
          f.default = this.typeRef(raw.default, file, `${path}/default`);
          f.defaultName = String(raw.default);
        }
        break;
      }
    }
    if (raw.view !== undefined && f.kind !== 'uint') throw new GrammarError(file, `${path}/view`, 'a view shows the bits of an integer field (bits: N)');
    if (raw.tail === true) f.presence = { kind: 'tail' };
    if (f.kind === 'ref' && (raw.render === 'hex' || raw.render === 'dec')) {
      const typeBits = parseNumber(raw.type_bits) ?? 8;
      if (![8, 16, 24, 32].includes(typeBits)) throw new GrammarError(file, `${path}/type_bits`, '8, 16, 24 or 32');
      f.asNumber = { base: raw.render as Base, typeBits };
    } else f.render = fieldRendering(raw.render, file, path);
    if (raw.numbered !== undefined) {
      if (raw.numbered !== true || id !== 'item' || f.kind !== 'ref') throw new GrammarError(file, `${path}/numbered`, 'true, on the item of a list of a type');
      f.numbered = true;
    }
    this.register(f, file, path, protocol);
    return f;
  }

  /**
   * The value key of spare bits (set only when they differ from the specified value): `_spare_at_N`
   * from their bit offset N in the struct, or `_spare_<id>` from an explicit id. Never from the
   * field's index, so adding a field elsewhere does not rename them.
   */
  private spareId(id: unknown, offset: number | undefined, file: string, path: string): string {
    if (id !== undefined) {
      if (typeof id !== 'string' || !ID.test(id) || /^at_\d+$/.test(id)) throw new GrammarError(file, `${path}/id`, 'lower_snake_case, not at_N');
      return `_spare_${id}`;
    }
    if (offset === undefined) throw new GrammarError(file, `${path}/id`, 'required for spare bits after a field of variable size or presence (their offset is not fixed)');
    return `_spare_at_${offset}`;
  }

  private presence(raw: Obj, file: string, path: string): Presence {
    const p = raw.present_if;
    if (p === undefined) return { kind: 'always' };
    if (typeof p === 'string') return { kind: 'flag', field: p };
    if (isObj(p) && typeof p.field === 'string' && Array.isArray(p.in)) {
      const values = p.in.map((v) => valueRange(v));
      if (values.some((v) => v === undefined)) throw new GrammarError(file, `${path}/present_if/in`, 'integers or ranges "lo-hi" of at most 65536 values');
      return { kind: 'in', field: p.field, values: (values as number[][]).flat() };
    }
    throw new GrammarError(file, `${path}/present_if`, 'a flag field id, or {field, in: [values]}');
  }

  /** The field catalogue: a filter name keeps one label and type wherever it is used. */
  private register(f: FieldIR, file: string, path: string, protocol: string): void {
    const ftype =
      renderedFtype(f.render) ??
      (f.kind === 'uint'
        ? f.tfs
          ? 'FT_BOOLEAN'
          : `FT_UINT${f.typeBits}`
        : f.kind === 'bytes' || f.kind === 'codec'
          ? 'FT_BYTES'
          : f.kind === 'spare' || f.numbered
            ? 'FT_UINT8'
            : f.kind === 'ref' && f.asNumber
              ? `FT_UINT${f.asNumber.typeBits}`
              : 'FT_NONE');
    const numberBase = f.kind === 'uint' ? f.base : f.kind === 'ref' ? (f.asNumber?.base ?? (f.numbered ? 'dec' : undefined)) : undefined;
    const base = numberBase === undefined ? '' : numberBase === 'hex' ? 'BASE_HEX' : 'BASE_DEC';
    const prev = this.ir.fields.get(f.filter);
    // A codec field's type is its codec's (an IMSI's digits are text): another use of the name may give it.
    if (prev && f.kind !== 'spare' && (prev.label !== f.label || (prev.ftype !== ftype && f.kind !== 'codec'))) {
      throw new GrammarError(file, `${path}/filter`, `"${f.filter}" is already "${prev.label}" (${prev.ftype}); a filter name keeps one meaning`);
    }
    if (!prev) this.ir.fields.set(f.filter, { filter: f.filter, label: f.label, ftype, base, protocol });
    if (f.kind === 'codec') this.codecFields.push({ f, file, path, protocol });
  }

  /**
   * Codec leaves join the catalogue once every grammar field is in it: a leaf named like a grammar
   * field takes its label (one filter name, one meaning), and must have its type.
   */
  private codecLeaves(): void {
    for (const { f, file, path, protocol } of this.codecFields) {
      for (const l of Object.values(f.leaves)) {
        const known = this.ir.fields.get(l.filter);
        if (known && known.ftype !== l.ftype) {
          throw new GrammarError(file, `${path}/params`, `codec ${f.codec} names its ${l.key} "${l.filter}", which is already "${known.label}" (${known.ftype}, not ${l.ftype})`);
        }
        if (known) l.label = known.label;
        else this.ir.fields.set(l.filter, { filter: l.filter, label: l.label, ftype: l.ftype, base: l.base, protocol });
      }
    }
  }

  private ie(raw: unknown, file: string, path: string, prefix: string): IEIR {
    if (!isObj(raw)) throw new GrammarError(file, path, 'an IE row is a mapping');
    for (const k of Object.keys(raw)) if (!IE_KEYS.has(k)) throw new GrammarError(file, `${path}/${k}`, 'unknown key');
    const id = raw.id;
    if (typeof id !== 'string' || !ID.test(id)) throw new GrammarError(file, `${path}/id`, 'required, lower_snake_case');
    const format = raw.format as IEFormat;
    if (!FORMATS.includes(format)) throw new GrammarError(file, `${path}/format`, `one of ${FORMATS.join(', ')}`);
    const lenText = raw.length === undefined ? undefined : String(raw.length);
    const m = lenText?.match(/^(1\/2|\d+)(?:-(\d+|n))?$/);
    if (!m) throw new GrammarError(file, `${path}/length`, 'the spec length column, e.g. 1/2, 1, 7-97 or 5-n');
    const half = m[1] === '1/2';
    const minLen = half ? 0.5 : Number(m[1]);
    const maxLen = m[2] === undefined ? minLen : m[2] === 'n' ? undefined : Number(m[2]);
    let iei: number | undefined;
    const ieiText = this.resolve(raw.iei, file, `${path}/iei`);
    const halfTV = format === 'TV' && minLen === 1 && maxLen === 1 && typeof ieiText === 'string' && /^[0-9A-F]-$/.test(ieiText);
    if (format !== 'V' && format !== 'LV' && format !== 'LV-E') {
      if (typeof ieiText !== 'string') throw new GrammarError(file, `${path}/iei`, 'write the IEI as a quoted hex string, e.g. "50" or "F-"');
      if (halfTV) iei = parseInt(ieiText[0], 16);
      else if (/^[0-9A-F]{2}$/.test(ieiText)) iei = parseInt(ieiText, 16);
      else throw new GrammarError(file, `${path}/iei`, 'two upper-case hex digits, or "X-" for a type 1 IE');
    } else if (raw.iei !== undefined && raw.iei !== '') {
      throw new GrammarError(file, `${path}/iei`, `a ${format} IE has no IEI`);
    }
    const presence = (raw.presence ?? (iei === undefined ? 'M' : 'O')) as 'M' | 'O' | 'C';
    if (!['M', 'O', 'C'].includes(presence)) throw new GrammarError(file, `${path}/presence`, 'M, O or C');
    const name = typeof raw.name === 'string' ? raw.name : words(id);
    const ie: IEIR = {
      id,
      name,
      label: typeof raw.label === 'string' ? raw.label : name,
      filter: typeof raw.filter === 'string' ? raw.filter : `${prefix}.ie.${id}`,
      format,
      lengthBits: LENGTH_BITS[format],
      iei,
      half: half || halfTV,
      presence,
      minLen: half ? 1 : minLen,
      maxLen: half ? 1 : maxLen,
      specRef: typeof raw.clause === 'string' ? `TS 24.301 §${raw.clause}` : typeof raw.spec_ref === 'string' ? raw.spec_ref : undefined,
      where: `${file}:${path}`,
      bytesField: typeRendering({ bytes_field: raw.bytes_field }, undefined, file, path, this.protocolOfFile.get(file) ?? '', this.ir).bytesField,
    };
    if (format !== 'T') {
      if (raw.type === undefined) throw new GrammarError(file, `${path}/type`, `a ${format} IE names its value type`);
      ie.type = this.typeRef(raw.type, file, `${path}/type`);
      ie.typeName = String(raw.type);
    }
    return ie;
  }

  private checkIes(ies: IEIR[], file: string, path: string): void {
    let optional = false;
    let halfRun = 0;
    const seen = new Set<number>();
    const ids = new Set<string>();
    ies.forEach((ie, i) => {
      // The message's value holds each IE under its id: two IEs with one id would be one key.
      if (ids.has(ie.id)) throw new GrammarError(file, `${path}/${i}/id`, `IE id "${ie.id}" used twice in this message`);
      ids.add(ie.id);
      const imperative = ie.iei === undefined;
      if (imperative && optional) throw new GrammarError(file, `${path}/${i}`, 'imperative (V, LV, LV-E) IEs precede the optional part');
      if (!imperative) {
        optional = true;
        const key = ie.half ? 0x100 | ie.iei! : ie.iei!;
        if (seen.has(key)) throw new GrammarError(file, `${path}/${i}/iei`, 'IEI used twice in this message');
        seen.add(key);
      }
      if (imperative && ie.half) halfRun++;
      else {
        if (halfRun % 2) throw new GrammarError(file, `${path}/${i - 1}`, 'half-octet V IEs come in pairs that fill an octet');
        halfRun = 0;
      }
    });
    if (halfRun % 2) throw new GrammarError(file, `${path}/${ies.length - 1}`, 'half-octet V IEs come in pairs that fill an octet');
  }
}

/** An integer, or the values of an inclusive range "lo-hi" (at most 65536 of them); undefined otherwise. */
function valueRange(raw: unknown): number[] | undefined {
  const [lo, hi] = typeof raw === 'string' && raw.includes('-') ? raw.split('-').map((x) => parseNumber(x.trim())) : [parseNumber(raw), parseNumber(raw)];
  if (lo === undefined || hi === undefined || hi < lo || hi - lo >= 1 << 16) return undefined;
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The bits a field always takes, or undefined when its size varies. */
function fixedBits(f: FieldIR): number | undefined {
  switch (f.kind) {
    case 'uint':
    case 'spare':
      return typeof f.bits === 'number' ? f.bits : undefined;
    case 'bytes':
    case 'codec':
      return typeof f.size === 'number' ? f.size : undefined;
    default:
      return undefined;
  }
}

export function buildGrammar(sources: GrammarSource[]): GrammarIR {
  return new Builder(sources).build();
}
