/**
 * The compiled decoder: every grammar type becomes a closure, built once per grammar, that reads
 * values straight from the bytes, with no tree, labels, display strings or pointers. It is the
 * fast path of `decode()`: it covers well-formed messages and those with notes that leave the value
 * whole (spare bits, reserved values, IEs out of order, unverified MACs), and gives up (BAILED) on
 * anything else the dissector would report, so the caller dissects that message in full. On what it
 * covers, its values are the dissector's, key for key and in the same key order
 * (test/engine/compiled.test.ts runs both over the corpus and generated and mutated messages).
 *
 * Closures, not generated source: nothing is evaluated at run time, so the browser bundle works
 * under a strict Content-Security-Policy, and a grammar built at run time compiles the same way.
 */
import { CODECS } from '../codecs/index.js';
import { switchCases } from '../grammar/ir.js';
import type { BytesField, CodecField, FieldIR, GrammarIR, IEIR, L3MessageType, ListField, ProtectionIR, SpareField, StructType, TypeIR, UintField } from '../grammar/ir.js';
import { alternatives, ieField, ieiIndex, type Layout, layoutOf, relationOf, spanStart, startsRead, typesUnder } from '../grammar/reach.js';
import { BitReader, bitsAt, semiOctets, tailNeed, toOctet } from './bits.js';
import { extentBits, MAX_NESTING, semiOctetLength } from './dissect.js';
import { isEmpty, spareShow, textOf, textValue, toHex, uintShow } from './format.js';
import { hexOf } from './hex.js';
import {
  BAIL,
  bail,
  BROKEN,
  broken,
  Cursor,
  type Env,
  type FieldFn,
  type Frame,
  type ListLink,
  type Obj,
  read,
  readBytes,
  type TypeFn,
  type GeneratedTypes,
  type TypeLink,
  windowed,
} from './cursor.js';
import type { Direction, ProtectionRequest, ProtectionScheme } from './protection.js';
import type { TreeNode } from './tree.js';

/** What decode() gives when the message needs the full dissection. */
export const BAILED: unique symbol = Symbol('bailed');

/** The `-T fields` text of a leaf field, as the dissector's node shows it. */
function showOf(f: UintField | SpareField | BytesField): (v: unknown, bytes: Uint8Array, start: number, end: number) => string {
  if (f.kind === 'uint') return (v) => uintShow(f, typeof v === 'string' ? BigInt(v) : (v as number));
  if (f.kind === 'spare') return (v) => spareShow(f, v as number);
  const text = f.text;
  return (_v, bytes, start, end) => {
    const data = new BitReader(bytes, start, end).readBytes(end - start);
    return text ? textOf(data, text) : toHex(data);
  };
}

/** The value of the octet string in the next `bits`: hex, or text. */
export function octetsValue(c: Cursor, env: Env, bits: number, text: BytesField['text']): string | { _raw: string } {
  if (!text && ((c.pos | bits) & 7) === 0 && c.end - c.pos >= bits) {
    const from = c.pos >> 3;
    c.pos += bits;
    return env.captured ? OCTETS : hexOf(c.bytes, from, c.pos >> 3);
  }
  const data = readBytes(c, bits);
  // Collecting fields, the value is dropped: no rule looks into an octet string's value.
  if (env.captured) return OCTETS;
  return text ? textValue(data, text) : toHex(data);
}

/**
 * The bits a length relation gives the field at the cursor: `len` (undefined: hand over) less
 * `adjust`, in units of `unitBits`, less what the span's earlier targets took since `spanStart`
 * (Infinity: none of them is present).
 */
export function relatedBits(c: Cursor, len: number | undefined, adjust: number, unitBits: number, spanStart: number): number {
  if (len === undefined) bail();
  const taken = spanStart === Number.POSITIVE_INFINITY ? 0 : c.pos - spanStart;
  const bits = Math.max(0, extentBits(len! - adjust, unitBits) - taken);
  return bits > c.end - c.pos ? broken() : bits;
}

const NONE: never[] = [];

/** The value of an octet string while only fields are collected (fields()): never returned. */
const OCTETS = '';

/** When a field's value joins the struct's: always, never (the encoder derives it), or when it is not the expected one. */
export const KEEP = { always: 0, never: 1, unexpected: 2 } as const;

function keeping(f: FieldIR, consts: Map<string, number>): { keep: number; expected?: number } {
  if (f.kind === 'spare') return { keep: KEEP.unexpected, expected: f.value };
  if (f.kind !== 'uint' || !(f.relation || consts.has(f.id) || f.constValue !== undefined)) return { keep: KEEP.always };
  const expected = consts.get(f.id) ?? f.constValue;
  return expected === undefined ? { keep: KEEP.never } : { keep: KEEP.unexpected, expected };
}

/**
 * The fields whose integer value (`vals`) or start (`starts`) a later field looks at: presence flags,
 * lengths and counts, switches, spans, MAC coverage. Only these are kept while the struct decodes.
 */
function tracked(layout: Layout, protection?: ProtectionIR): { vals: Set<number>; starts: Set<number> } {
  const vals = new Set<number>();
  const starts = new Set<number>();
  const at = (id: string | undefined) => (id === undefined ? -1 : (layout.index.get(id) ?? -1));
  const visit = (f: FieldIR) => {
    if (f.kind === 'uint' && f.decides) vals.add(at(f.id));
    if (f.lengthFrom) vals.add(at(f.lengthFrom));
    if (f.kind === 'switch') for (const id of [f.on, ...f.when.map((o) => o.field)]) vals.add(at(id));
    if (f.kind === 'list') visit(f.item);
  };
  layout.defs.forEach((f, i) => {
    visit(f);
    if (f.kind === 'uint' && f.relation) vals.add(i);
  });
  startsRead(layout.defs, protection).forEach((read, i) => read && starts.add(i));
  vals.delete(-1);
  starts.delete(-1);
  return { vals, starts };
}

/** One field of a struct's list, as the decoder steps through it. */
export interface Step {
  id: string;
  i: number;
  presence: 'always' | 'flag' | 'in' | 'tail';
  /** Tail fields: the bits that must remain for the field to be there. */
  need: number;
  /** Spare bits to an octet boundary: none when the field starts on one. */
  toOctet: boolean;
  /** The field a flag or `in` presence looks at (-1: none). */
  on: number;
  values: number[];
  /** The protected payload: its decoder puts it in the value itself. */
  payload: boolean;
  /** A later field looks at its integer value (`val`) or where it starts (`start`). */
  val: boolean;
  start: boolean;
  keep: number;
  /** Every step has the same properties (expected is undefined when none): one shape for the loop's loads. */
  expected: number | undefined;
  /** Sized by a length in semi-octets that the value may have to keep. */
  semi: boolean;
}

/** How a field list decodes, worked out once: by the closures below and by the generator of bundled-decoders.ts. */
export interface ListPlan {
  steps: Step[];
  /** Relations whose targets may all be absent: then the value keeps the length or count. */
  kept: Array<{ i: number; id: string; targets: string[] }>;
  /** Some field's value or start is kept while the struct decodes. */
  stateful: boolean;
  tails: boolean;
}

export function listPlan(defs: FieldIR[], consts: Map<string, number>, protection?: ProtectionIR): ListPlan {
  const layout = layoutOf(defs);
  const { vals, starts } = tracked(layout, protection);
  const steps = defs.map((f, i): Step => {
    const p = f.presence;
    const { keep, expected } = keeping(f, consts);
    return {
      id: f.id,
      i,
      presence: p.kind,
      need: tailNeed(f),
      toOctet: f.kind === 'spare' && f.bits === 'octet',
      on: layout.presentBy[i],
      values: p.kind === 'in' ? p.values : [],
      payload: !!protection && f.id === protection.payload,
      val: vals.has(i),
      start: starts.has(i),
      keep,
      expected,
      semi: !!semiOctetLength(f, defs),
    };
  });
  // A relation whose targets are all absent is not derivable: its value is kept.
  const kept = layout.sizing.map((i) => ({ i, id: defs[i].id, targets: (defs[i] as UintField).relation!.targets }));
  return { steps, kept, stateful: vals.size + starts.size > 0, tails: steps.some((s) => s.presence === 'tail') };
}

/**
 * After a list with tail fields: the last tail field read joins the value (as the dissector keeps it)
 * unless it or a later conditional field already did.
 */
export function lastTailJoins(plan: ListPlan, audited: boolean[], value: Obj, lastTail: number, lastTailValue: unknown): void {
  const { steps } = plan;
  if (lastTail < 0 || steps[lastTail].id in value || steps.some((s, k) => k > lastTail && s.presence !== 'always' && s.id in value)) return;
  if (audited[lastTail]) bail();
  value[steps[lastTail].id] = lastTailValue;
}

export interface CompileOptions {
  /** The schemes protected structs go to (keyless: they never decipher). */
  schemes: Readonly<Record<string, ProtectionScheme>>;
  /** Value keys whose presence calls for the full dissection (a capture-wide audit looks at them). */
  bailOn?: ReadonlySet<string>;
  /** Filter names whose `-T fields` text to collect while decoding; each must be capturable(). */
  capture?: ReadonlySet<string>;
  /** Functions generated ahead of time for this grammar's types (not used while capturing). */
  types?: GeneratedTypes;
}

/**
 * Filters the compiled decoder can collect exactly as the tree shows them: those that name only
 * integer, spare and plain octet fields. A filter also naming an IE, a codec's leaf, a derived or
 * rendered field, padding or a verdict has nodes the decoder does not make.
 */
export function capturable(ir: GrammarIR): Set<string> {
  const ok = new Set<string>();
  const not = new Set<string>();
  const seen = new Set<FieldIR[]>();
  // The fields of view types: the decoder reads the integer, not the view's nodes.
  const viewed = new Set<TypeIR>();
  const viewFilters = (t: TypeIR) => {
    if (viewed.has(t)) return;
    viewed.add(t);
    if (t.kind === 'struct') for (const f of t.fields) viewField(f);
    if (t.kind === 'dispatch') for (const c of alternatives(t)) viewFilters(c());
  };
  const viewField = (f: FieldIR) => {
    not.add(f.filter);
    if (f.kind === 'list') viewField(f.item);
    if (f.kind === 'ref') viewFilters(f.type());
    if (f.kind === 'switch') for (const c of switchCases(f)) viewFilters(c());
  };
  const visitField = (f: FieldIR) => {
    if ((f.kind === 'uint' || f.kind === 'spare' || f.kind === 'bytes') && !f.render) ok.add(f.filter);
    else not.add(f.filter);
    if (f.kind === 'list') visitField(f.item);
    if (f.kind === 'codec') for (const l of Object.values(f.leaves)) not.add(l.filter);
    if (f.kind === 'uint' && f.view) viewFilters(f.view());
  };
  const visitFields = (fields: FieldIR[]) => {
    if (seen.has(fields)) return;
    seen.add(fields);
    fields.forEach(visitField);
  };
  for (const t of ir.types.values()) {
    if (t.kind !== 'l3') {
      for (const d of t.derived ?? []) not.add(d.filter);
      if (t.bytesField) not.add(t.bytesField.filter);
      if (t.elemId) not.add(t.elemId);
    }
    if (t.kind === 'struct') {
      visitFields(t.fields);
      if (t.padTo) not.add(t.padTo.filter);
      if (t.protection) not.add(t.protection.cipheredFilter);
    }
    if (t.kind === 'l3') {
      visitFields(t.header);
      for (const ie of t.ies) not.add(ie.filter);
      for (const leaf of ['elem_id', 'unknown_ie', 'ie_data']) not.add(`${t.ieFilterPrefix}.${leaf}`);
    }
  }
  for (const f of ['gsm_a.len', 'nas_eps.unknown_ie', '_ws.extraneous', ...not]) ok.delete(f);
  return ok;
}

/** Padding to a multiple of `bits` from the struct's `start`; bits that are not zero are kept. */
export function padding(c: Cursor, start: number, bits: number, value: Obj): void {
  const pad = (bits - ((c.pos - start) % bits)) % bits;
  const data = pad ? readBytes(c, pad) : undefined;
  if (data?.some((b) => b !== 0)) value._padding = toHex(data);
}

/** True when some node carries an expert item (a codec's leaves, a scheme's verdict). */
function flagged(nodes: TreeNode[], severe: boolean): boolean {
  for (const n of nodes) {
    for (const e of n.expert) if (!severe || e.severity === 'error') return true;
    if (n.children.length && flagged(n.children, severe)) return true;
  }
  return false;
}

export class CompiledDecoder {
  private types = new Map<TypeIR, { fn?: TypeFn }>();
  /** The root type's slot by protocol name. */
  private roots = new Map<string, { fn?: TypeFn }>();
  /** The generated functions once linked; false when this decoder cannot use them. */
  private generated?: Readonly<Record<string, TypeFn>> | false;
  private bailOn: ReadonlySet<string>;
  private onIes?: Set<string>;

  constructor(
    readonly ir: GrammarIR,
    private opts: CompileOptions,
  ) {
    this.bailOn = opts.bailOn ?? new Set();
  }

  /** The value the dissector would give the message, or BAILED. Never throws. */
  decode(bytes: Uint8Array, protocol: string, direction?: Direction): unknown {
    return this.run(bytes, protocol, direction);
  }

  /** The values of the captured filters, as the tree would give them (fieldValues), or BAILED. */
  fields(bytes: Uint8Array, protocol: string, direction?: Direction): Map<string, string[]> | typeof BAILED {
    const captured = new Map<string, string[]>();
    return this.run(bytes, protocol, direction, captured) === BAILED ? BAILED : captured;
  }

  private run(bytes: Uint8Array, protocol: string, direction?: Direction, captured?: Map<string, string[]>): unknown {
    let root = this.roots.get(protocol);
    if (!root) {
      const p = this.ir.protocols.get(protocol);
      if (!p) return BAILED;
      this.roots.set(protocol, (root = this.type(this.ir.types.get(p.root)!)));
    }
    const c = new Cursor(bytes, 0, bytes.length * 8);
    try {
      const value = root.fn!(c, { direction, depth: 0, enclosing: [], schemes: this.opts.schemes, captured, tentative: 0 });
      return c.pos === c.end ? value : BAILED;
    } catch (e) {
      if (e === BAIL || e === BROKEN) return BAILED;
      throw e;
    }
  }

  /** The compiled function of a type, made on first use (types refer to each other in cycles). */
  private type(t: TypeIR): { fn?: TypeFn } {
    let slot = this.types.get(t);
    if (slot) return slot;
    const made = this.generatedTypes()?.[t.name];
    slot = made ? { fn: made } : {};
    this.types.set(t, slot);
    if (made) return slot;
    let body: TypeFn;
    try {
      body = t.kind === 'struct' ? this.struct(t) : t.kind === 'dispatch' ? this.dispatch(t) : this.l3(t);
    } catch (e) {
      // A grammar this decoder cannot compile: the next call reports the same error.
      this.types.delete(t);
      throw e;
    }
    slot.fn = (c, env) => {
      if (env.depth >= MAX_NESTING) broken();
      env.depth++;
      const v = body(c, env);
      env.depth--;
      return v;
    };
    return slot;
  }

  private struct(t: StructType): TypeFn {
    // A part left undecoded: the dissector keeps the enclosing element's octets and notes it.
    if (t.undecoded) return bail;
    const fields = this.fieldList(t.fields, new Map(), t.protection);
    const { name, message, padTo } = t;
    return (c, env) => {
      const value: Obj = message ? { message: name } : {};
      const start = c.pos;
      if (message) env.enclosing.push(value);
      fields(c, env, value);
      if (message) env.enclosing.pop();
      if (padTo) padding(c, start, padTo.bits, value);
      return value;
    };
  }

  private dispatch(t: Extract<TypeIR, { kind: 'dispatch' }>): TypeFn {
    const { peekOffset, peekBits, key: valueKey, on } = t;
    const cases = new Map([...t.cases].map(([k, f]) => [k, this.lazy(f)]));
    const byDirection = new Map([...t.byDirection].map(([k, d]) => [k, { ul: this.lazy(d.ul), dl: this.lazy(d.dl) }]));
    // A default case is an unknown value the dissector flags, unless the grammar says it is quiet
    // (an unknown Diameter AVP decodes generically).
    const quiet = t.quietDefault && t.default ? this.lazy(t.default) : undefined;
    return (c, env) => {
      if (c.end - c.pos < peekOffset + peekBits) broken();
      const key = on ? (ieField(env.enclosing.at(-1), on) ?? -1) : bitsAt(c.bytes, c.pos + peekOffset, peekBits);
      const dir = env.direction;
      const next = (dir && byDirection.get(key)?.[dir]) || cases.get(key) || quiet || broken();
      const value = next()(c, env);
      if (valueKey && value && typeof value === 'object' && !(valueKey in value)) (value as Obj)[valueKey] = key;
      return value;
    };
  }

  /** A type thunk of the grammar, compiled on first call. */
  private lazy(thunk: () => TypeIR): () => TypeFn {
    let fn: TypeFn | undefined;
    return () => (fn ??= this.type(thunk()).fn!);
  }

  /**
   * A struct's field list. `consts` are values a message sets in a shared header; a field with a
   * relation or a fixed value stays out of the value (the encoder computes it).
   */
  private fieldList(defs: FieldIR[], consts: Map<string, number>, protection?: ProtectionIR): (c: Cursor, env: Env, value: Obj) => void {
    const layout = layoutOf(defs);
    const plan = listPlan(defs, consts, protection);
    const { steps, kept, stateful, tails } = plan;
    // Beside the plan's steps, by index: what the closures add to them.
    const decoders = defs.map((f) => this.stepDecoder(f, layout, protection));
    const audited = defs.map((f) => this.bailOn.has(f.id));
    const semis = steps.map((s, i) => (s.semi ? this.semiLength(defs[i], layout) : undefined));
    const n = defs.length;
    return (c, env, value) => {
      const fr: Frame = stateful ? { vals: new Array(n), starts: new Array(n), value, origin: c.pos } : { vals: NONE, starts: NONE, value, origin: c.pos };
      // Tail fields (as the dissector): the first that does not fit ends them; the last read may join the value.
      let cut = false;
      let lastTail = -1;
      let lastTailValue: unknown;
      for (let k = 0; k < steps.length; k++) {
        const s = steps[k];
        if (s.presence !== 'always') {
          if (s.presence === 'tail') {
            if (cut || c.end - c.pos < s.need) {
              cut = true;
              continue;
            }
          } else if (s.presence === 'flag' ? !fr.vals[s.on] : !s.values.includes(fr.vals[s.on] ?? -1)) continue;
        }
        if (s.toOctet && toOctet(fr.origin, c.pos) === 0) continue;
        if (s.start) fr.starts[s.i] = c.pos;
        const v = decoders[k](c, env, fr);
        if (s.payload) continue;
        if (s.val) fr.vals[s.i] = v as number;
        if (s.presence === 'tail') {
          lastTail = k;
          lastTailValue = v;
        }
        if (s.keep === KEEP.always || (s.keep === KEEP.unexpected && v !== s.expected)) {
          if (audited[k]) bail();
          value[s.id] = v;
        }
        semis[k]?.(c, fr, value);
      }
      if (tails) lastTailJoins(plan, audited, value, lastTail, lastTailValue);
      if (fr.closing) for (const k of fr.closing) k();
      for (const k of kept) if (fr.vals[k.i] !== undefined && !k.targets.some((t) => t in value)) value[k.id] = fr.vals[k.i];
    };
  }

  /** The generated functions, when they do what this decoder must: no fields collected, no other keys handed over. */
  private generatedTypes(): Readonly<Record<string, TypeFn>> | undefined {
    if (this.generated === undefined) {
      const g = this.opts.types;
      this.generated = !!g && !this.opts.capture && [...this.bailOn].every((k) => g.audited.has(k)) && g.make(this.typeLink());
    }
    return this.generated || undefined;
  }

  /** What the generated functions take from this compiler. */
  private typeLink(): TypeLink {
    return {
      list: (name) => {
        const t = this.ir.types.get(name)!;
        if (t.kind === 'dispatch') throw new Error(`${t.where}: a dispatch has no field list`);
        const [defs, consts, protection] = t.kind === 'l3' ? [t.header, t.set, undefined] : [t.fields, new Map<string, number>(), t.protection];
        return this.listLink(defs, listPlan(defs, consts, protection), protection);
      },
      audited: (id) => this.bailOn.has(id),
    };
  }

  /** What a generated function takes for one field list. */
  private listLink(defs: FieldIR[], plan: ListPlan, protection?: ProtectionIR): ListLink {
    const layout = layoutOf(defs);
    const audited = defs.map((f) => this.bailOn.has(f.id));
    return {
      tailJoins: (value, lastTail, lastTailValue) => lastTailJoins(plan, audited, value, lastTail, lastTailValue),
      field: (i) => this.stepDecoder(defs[i], layout, protection),
      semi: (i) => this.semiLength(defs[i], layout)!,
      audited: (i) => audited[i],
    };
  }

  /** A field of a list: the protected payload goes through its scheme. */
  private stepDecoder(f: FieldIR, layout: Layout, protection?: ProtectionIR): FieldFn {
    return protection && f.id === protection.payload ? this.payload(f, protection, layout) : this.field(f, layout);
  }

  private field(f: FieldIR, layout: Layout): FieldFn {
    const decode = this.fieldValue(f, layout);
    if (!this.opts.capture?.has(f.filter) || !(f.kind === 'uint' || f.kind === 'spare' || f.kind === 'bytes')) return decode;
    const show = showOf(f);
    const { filter } = f;
    return (c, env, fr) => {
      const at = c.pos;
      const v = decode(c, env, fr);
      if (!env.captured) return v;
      const list = env.captured.get(filter);
      const text = show(v, c.bytes, at, c.pos);
      if (list) list.push(text);
      else env.captured.set(filter, [text]);
      return v;
    };
  }

  private fieldValue(f: FieldIR, layout: Layout): FieldFn {
    switch (f.kind) {
      case 'uint': {
        const { bits } = f;
        if (bits > 52)
          return (c) => {
            if (c.end - c.pos < bits) broken();
            const r = new BitReader(c.bytes, c.pos, c.end);
            const v = r.readBig(bits);
            c.pos = r.pos;
            return v.toString();
          };
        return (c) => read(c, bits);
      }
      case 'spare': {
        const { bits } = f;
        if (bits === 'octet') return (c, _env, fr) => read(c, toOctet(fr.origin, c.pos));
        return (c) => read(c, bits);
      }
      case 'bytes': {
        const size = f.size;
        const related = size === 'related' ? this.related(f, layout) : undefined;
        const text = f.text;
        return (c, env, fr) => octetsValue(c, env, size === 'rest' ? c.end - c.pos : related ? related(c, fr) : (size as number), text);
      }
      case 'ref': {
        const inner = this.lazy(f.type);
        const related = f.lengthFrom ? this.related(f, layout) : undefined;
        const rest = f.rest;
        return (c, env, fr) => windowed(c, related ? related(c, fr) : rest ? c.end - c.pos : undefined, () => inner()(c, env));
      }
      case 'codec':
        return this.codec(f, layout);
      case 'list':
        return this.list(f, layout);
      case 'switch': {
        const on = layout.index.get(f.on)!;
        const cases = new Map([...f.cases].map(([k, t]) => [k, this.lazy(t)]));
        const when = f.when.map((o) => ({ at: layout.index.get(o.field)!, values: o.values, cases: new Map([...o.cases].map(([k, t]) => [k, this.lazy(t)])) }));
        const fallback = f.default && this.lazy(f.default);
        const related = f.lengthFrom ? this.related(f, layout) : undefined;
        const override = (key: number, fr: Frame) => {
          for (const o of when) {
            const v = fr.vals[o.at];
            const c = v !== undefined && o.values.includes(v) ? o.cases.get(key) : undefined;
            if (c) return c;
          }
          return undefined;
        };
        return (c, env, fr) => {
          const key = fr.vals[on];
          const next = (key !== undefined && ((when.length && override(key, fr)) || cases.get(key))) || fallback || bail();
          return windowed(c, related?.(c, fr), () => next()(c, env));
        };
      }
    }
  }

  private codec(f: CodecField, layout: Layout): FieldFn {
    const codec = CODECS.get(f.codec)!;
    const related = f.lengthFrom ? this.related(f, layout) : undefined;
    const { size, params, filter, label, leaves } = f;
    // Codecs write expert items into a node: a scratch one, emptied before each call and looked at only for them.
    const node: TreeNode = { filter, label, bitOffset: 0, bitLength: 0, display: '', children: [], expert: [] };
    const site = { filter, label, path: '', node, leaves, valueOnly: true };
    return (c, _env, fr) => {
      const bits = related ? related(c, fr) : size === 'rest' ? c.end - c.pos : typeof size === 'number' ? size : undefined;
      const end = bits === undefined ? c.end : Math.min(c.end, c.pos + bits);
      node.bitOffset = c.pos;
      // Emptied only when filled: setting an array's length is a runtime call.
      if (node.children.length) node.children.length = 0;
      if (node.expert.length) node.expert.length = 0;
      const r = new BitReader(c.bytes, c.pos, end);
      let v: unknown;
      try {
        v = codec.decode(r, params, site);
      } catch {
        broken();
      }
      if (flagged([node], false) || (bits !== undefined && r.pos < end)) bail();
      c.pos = r.pos;
      return v;
    };
  }

  private list(f: ListField, layout: Layout): FieldFn {
    const item = this.field(f.item, layout);
    const { bound, minItems, maxItems } = f;
    const related = bound === 'length' ? this.related(f, layout) : undefined;
    const count = bound === 'count' ? this.counter(f, layout) : undefined;
    return (c, env, fr) => {
      const items: unknown[] = [];
      const n = count?.(fr);
      windowed(c, related ? related(c, fr) : bound === 'rest' ? c.end - c.pos : undefined, () => {
        while (n !== undefined ? items.length < n : c.pos < c.end) {
          const at = c.pos;
          items.push(item(c, env, fr));
          if (n === undefined && c.pos === at) bail();
        }
      });
      if (items.length < minItems || (maxItems !== undefined && items.length > maxItems)) bail();
      return items;
    };
  }

  /**
   * For a field sized by a length in semi-octets: keeps the length in the value when the encoder would
   * compute another from the octets (the dissector's keepSemiOctetLength).
   */
  private semiLength(f: FieldIR, layout: Layout): ((c: Cursor, fr: Frame, value: Obj) => void) | undefined {
    const lf = f.lengthFrom ? semiOctetLength(f, layout.defs) : undefined;
    if (!lf) return undefined;
    const { at, rel, targets } = relationOf(f, layout);
    const { id } = lf;
    return (c, fr, value) => {
      const len = fr.vals[at];
      if (len === undefined) return;
      if (semiOctets((pos, bits) => bitsAt(c.bytes, pos, bits), spanStart(fr.starts, targets), c.pos) + rel.adjust !== len) value[id] = len;
    };
  }

  private counter(f: FieldIR, layout: Layout): (fr: Frame) => number {
    const { at, rel } = relationOf(f, layout);
    return (fr) => {
      const n = fr.vals[at];
      return n === undefined ? bail() : Math.max(0, n - rel.adjust);
    };
  }

  /** Bits given by the length relation of `f`: a span's earlier targets already took their part. */
  private related(f: FieldIR, layout: Layout): (c: Cursor, fr: Frame) => number {
    const { at, rel, targets } = relationOf(f, layout);
    const { adjust, unitBits } = rel;
    return (c, fr) => relatedBits(c, fr.vals[at], adjust, unitBits, spanStart(fr.starts, targets));
  }

  /**
   * The payload of a protected struct, with the keyless scheme: it verifies nothing and deciphers
   * nothing, so a plain payload (or a ciphered one read as plain, null ciphering assumed) is decoded
   * and anything else stays ciphered octets. The scheme's verdict comes after the struct's last field.
   */
  private payload(f: FieldIR, p: ProtectionIR, layout: Layout): FieldFn {
    const decode = this.field(f, layout);
    const related = f.lengthFrom ? this.related(f, layout) : undefined;
    const coversFrom = layout.index.get(p.coversFrom) ?? -1;
    const macAt = p.mac ? (layout.index.get(p.mac) ?? -1) : -1;
    const next = layout.defs[layout.defs.indexOf(f) + 1];
    const macBits = next && next.id === p.mac && next.kind === 'uint' ? next.bits : undefined;
    const cipheredIf = p.cipheredIf;
    const opaque = f.kind === 'bytes';
    return (c, env, fr) => {
      const value = fr.value;
      const scheme = env.schemes[p.scheme];
      if (!scheme) bail();
      const ciphered = cipheredIf === 'always' || (cipheredIf?.values.includes(value[cipheredIf.field] as number) ?? false);
      const payloadBits = related ? related(c, fr) : c.end - c.pos;
      const payloadEnd = c.pos + payloadBits;
      const req: ProtectionRequest = {
        value,
        enclosing: env.enclosing.slice(),
        bytes: c.bytes,
        coverStart: (coversFrom >= 0 ? fr.starts[coversFrom] : undefined) ?? c.pos,
        coverEnd: payloadEnd,
        payloadStart: c.pos,
        payloadEnd,
        macField: macBits === undefined ? undefined : { start: payloadEnd, bits: macBits },
        end: c.end,
        // A scheme that looks into the payload before its verdict needs the full dissection.
        peek: bail,
        ciphered,
        direction: env.direction,
        path: '',
      };
      const opened = scheme.open(req);
      let payload: unknown;
      // Kept as ciphered octets: an octet string's value, or a struct's raw form.
      const keepCiphered = () => {
        const hex = octetsValue(c, env, payloadBits, undefined);
        value[f.id] = opaque ? hex : { _raw: hex };
      };
      if (!ciphered) payload = value[f.id] = decode(c, env, fr);
      else if (opened.assumed && opened.plaintext) {
        // Ciphertext taken as plain rarely decodes cleanly; when it does not, it stays ciphered.
        const undo = savepoint(c, env);
        env.tentative++;
        try {
          payload = value[f.id] = decode(c, env, fr);
        } catch (e) {
          if (e !== BROKEN) throw e;
          undo();
          keepCiphered();
        } finally {
          env.tentative--;
        }
      } else if (opened.plaintext) bail();
      else keepCiphered();
      if (scheme.quiet) return payload;
      (fr.closing ??= []).push(() => {
        const mac = macAt >= 0 ? fr.starts[macAt] : undefined;
        if (mac !== undefined && mac >= payloadEnd) req.coverEnd = mac;
        if (flagged(scheme.close(req, opened, payload), true)) broken();
      });
      return payload;
    };
  }

  private l3(t: L3MessageType): TypeFn {
    const header = this.fieldList(t.header, t.set);
    const mandatory = t.imperative.map(([ie, second]): ((c: Cursor, env: Env, value: Obj) => void) => {
      if (!second) return this.ie(ie);
      // The first IE of a pair takes bits 4-1: the second is read first.
      const [low, high] = [this.halfIe(ie), this.halfIe(second)];
      return (c, env, value) => {
        if (c.end - c.pos < 8) broken();
        high(c, env, value);
        low(c, env, value);
      };
    });
    const optional = t.optional.map((ie) => ({ ie, decode: this.ie(ie) }));
    const iei = ieiIndex(t.optional);
    const { name } = t;
    return (c, env) => {
      const value: Obj = { message: name };
      env.enclosing.push(value);
      header(c, env, value);
      for (const m of mandatory) m(c, env, value);
      // The non-imperative part: IEs by IEI, in table order; anything else is for the dissector to show.
      let last = -1;
      let shuffled = false;
      const order: string[] = [];
      while (c.end - c.pos >= 8) {
        const idx = iei[c.bytes[c.pos >> 3]];
        // Unknown or repeated: the dissector shows it and keeps its octets.
        if (idx < 0 || optional[idx].ie.id in value) bail();
        // Out of table order, or again (a mandatory IE left out of the value when empty).
        if (idx <= last) shuffled = true;
        last = Math.max(last, idx);
        optional[idx].decode(c, env, value);
        order.push(optional[idx].ie.id);
      }
      // Out of table order: the order is kept so that the message re-encodes as it came.
      if (shuffled) value._order = order;
      env.enclosing.pop();
      return value;
    };
  }

  /**
   * Collecting fields, an IE that holds none of them is stepped over by its length, as tshark skips
   * what no filter asks for. What happens inside its window stays there in the dissector too, unless
   * a later rule reads its value (a dispatch on it, an audited key) or it holds a protected payload.
   */
  private skippable(ie: IEIR): boolean {
    const capture = this.opts.capture;
    if (!capture || !ie.type || this.bailOn.has(ie.id) || this.dispatchedOn().has(ie.id)) return false;
    const named = (fields: FieldIR[]): boolean => fields.some((f) => capture.has(f.filter) || this.bailOn.has(f.id) || (f.kind === 'list' && named([f.item])));
    for (const t of typesUnder(ie.type())) {
      if (t.kind === 'struct' && (t.protection || named(t.fields))) return false;
      if (t.kind === 'l3' && (named(t.header) || t.ies.some((i) => this.bailOn.has(i.id)))) return false;
    }
    return true;
  }

  /** The IEs whose values a dispatch reads (`dispatch: {ie, field}`). */
  private dispatchedOn(): Set<string> {
    this.onIes ??= new Set([...this.ir.types.values()].flatMap((t) => (t.kind === 'dispatch' && t.on ? [t.on.ie] : [])));
    return this.onIes;
  }

  private halfIe(ie: IEIR): (c: Cursor, env: Env, value: Obj) => void {
    const type = this.lazy(ie.type!);
    const { id } = ie;
    const audited = this.bailOn.has(id);
    return (c, env, value) => {
      const end = c.end;
      const at = c.pos;
      c.end = at + 4;
      const v = type()(c, env);
      c.end = end;
      c.pos = at + 4;
      if (!isEmpty(v)) {
        if (audited) bail();
        value[id] = v;
      }
    };
  }

  /** One IE of any format; its value joins the message value unless it is a mandatory empty one. */
  private ie(ie: IEIR): (c: Cursor, env: Env, value: Obj) => void {
    const type = ie.type ? this.lazy(ie.type) : undefined;
    const { id, format, half, minLen, maxLen, lengthBits: lenBits } = ie;
    const hasIei = ie.iei !== undefined;
    const keepEmpty = ie.presence !== 'M';
    const audited = this.bailOn.has(id);
    const skip = lenBits > 0 && this.skippable(ie);
    const set = (value: Obj, v: unknown) => {
      if (audited) bail();
      value[id] = v;
    };
    return (c, env, value) => {
      if (hasIei && half) {
        if (c.end - c.pos < 8) broken();
        c.pos += 4;
        if (format === 'T') {
          c.pos += 4;
          return set(value, true);
        }
        const end = c.end;
        const at = c.pos;
        c.end = at + 4;
        const v = type!()(c, env);
        c.end = end;
        c.pos = at + 4;
        return set(value, v);
      }
      if (hasIei) read(c, 8);
      if (format === 'T') return set(value, true);
      let bits: number | undefined;
      if (lenBits) {
        const len = read(c, lenBits);
        if (skip && env.captured && !env.tentative) {
          // Whatever the dissector finds inside (a length out of range, octets cut short) stays there: it takes the octets there are.
          c.pos = Math.min(c.end, c.pos + len * 8);
          return set(value, OCTETS);
        }
        const total = len + lenBits / 8 + (hasIei ? 1 : 0);
        if (len * 8 > c.end - c.pos) broken();
        if (total < minLen || (maxLen !== undefined && total > maxLen)) bail();
        bits = len * 8;
      }
      const v = windowed(c, bits, () => type!()(c, env));
      if (keepEmpty || !isEmpty(v)) set(value, v);
    };
  }
}

/** Undoes what decoding did to the cursor and the message state since the call. */
function savepoint(c: Cursor, env: Env): () => void {
  const { pos, end } = c;
  const { depth } = env;
  const enclosing = env.enclosing.length;
  const captured = env.captured && new Map([...env.captured].map(([k, v]) => [k, v.length]));
  return () => {
    c.pos = pos;
    c.end = end;
    env.depth = depth;
    env.enclosing.length = enclosing;
    if (!captured) return;
    for (const [k, list] of env.captured!) {
      const n = captured.get(k) ?? 0;
      if (n) list.length = n;
      else env.captured!.delete(k);
    }
  };
}
