/**
 * The tolerant dissector: interprets the grammar IR over bytes, building a tree whose every node has
 * a filter name, bit range, value and display; errors become expert items and decoding resumes after
 * the enclosing window. Values are built with the tree (each node's value is its subtree's).
 */
import { CODECS } from '../codecs/index.js';
import type { DerivedIR, FieldIR, GrammarIR, IEIR, L3MessageType, ProtectionIR, TypeIR, UintField } from '../grammar/ir.js';
import { switchCase } from '../grammar/ir.js';
import { perKey } from '../grammar/memo.js';
import { ieField, ieiIndex, type Layout, layoutOf, relationOf, spanStart, startsRead, unknownIeLengthOctets } from '../grammar/reach.js';
import { BitReader, bitsAt, semiOctets, tailNeed, toOctet } from './bits.js';
import { bytesDisplay, hexDisplay, isEmpty, spareShow, textOf, textValue, toHex, uintTexts } from './format.js';
import type { DissectContext, ProtectionRequest, ProtectionScheme } from './protection.js';
import { childPointer } from './pointer.js';
import { closeBytesField, derivedNodes, infoDetail, type InfoPart, numberNode, openBytesField, renderNode } from './render.js';
import { need, Stop } from './stop.js';
import { expertItem, type ExpertItem } from './expert.js';
import { expertOf, findNode, treeNode, walk, type TreeNode } from './tree.js';

type Obj = Record<string, unknown>;

/**
 * A struct's decoding state, by field index: the values of its earlier integer fields (for
 * relations, switches and presence) and where its present fields started (for length spans).
 */
interface Scope {
  vals: Array<number | undefined>;
  starts: Array<number | undefined>;
  defs: FieldIR[];
  plan: ListPlan;
  spans?: Map<string, FieldSpan>;
  /** Where the struct starts (spare bits to an octet boundary count from it). */
  origin: number;
  /** The verdict of a protected payload, given once the struct's last field is read. */
  closing?: (truncated?: boolean) => void;
}

/** What the dissector works out once per field list (a struct's fields, a message's header), beside its layout. */
interface ListPlan {
  layout: Layout;
  /** Whether a field's start is needed (a length spans it, protection covers from it). */
  measured: boolean[];
  /** Whether a field is sized by a length in semi-octets. */
  semi: boolean[];
  /** Each field's JSON Pointer segment (`/id`). */
  segment: string[];
}

const plans = new WeakMap<FieldIR[], ListPlan>();

/** A list's plan, made once: the same list always comes with the same protection (its type's). */
function listPlan(fields: FieldIR[], protection?: ProtectionIR): ListPlan {
  let plan = plans.get(fields);
  if (!plan) {
    plan = {
      layout: layoutOf(fields),
      measured: startsRead(fields, protection),
      semi: fields.map((f) => !!semiOctetLength(f, fields)),
      segment: fields.map((f) => childPointer('', f.id)),
    };
    plans.set(fields, plan);
  }
  return plan;
}

/** The value of an earlier integer field of the struct, by id. */
function intOf(scope: Scope, id: string): number | undefined {
  const i = scope.plan.layout.index.get(id);
  return i === undefined ? undefined : scope.vals[i];
}

/** Where a present field of the struct started, by id. */
function startOf(scope: Scope, id: string): number | undefined {
  const i = scope.plan.layout.index.get(id);
  return i === undefined ? undefined : scope.starts[i];
}

/** Where a field was: its bits and the index of its node among its parent's children. */
interface FieldSpan {
  start: number;
  end: number;
  child: number;
}

export interface DissectResult {
  protocol: string;
  tree: TreeNode;
  value: unknown;
  /** Every expert item of the tree, in tree order. */
  expert: ExpertItem[];
  /** Bits the root consumed. */
  bitLength: number;
  /**
   * With watched value keys: whether a struct or message that can hold one was decoded (false: the
   * value holds none). Undefined when the dissector watches none.
   */
  watched?: boolean;
  /** Data sources: 'frame' and any deciphered payloads, by the name nodes carry in `source`. */
  sources: Map<string, Uint8Array>;
  /** Message names and causes for the Info column, in dissection order (src/output/info.ts). */
  info?: InfoPart[];
}

/** No constants: a struct's type sets none (a message's header has its own). */
const NONE: ReadonlyMap<string, number> = new Map();

const node = (filter: string, label: string, bitOffset: number, bitLength = 0, display = label): TreeNode => treeNode(filter, label, bitOffset, bitLength, display);

/** Without a scheme for it, a protected payload is unverified and a ciphered one stays ciphered. */
const NO_SCHEME: ProtectionScheme = { open: () => ({}), close: () => [] };

const isBitField = (bitOffset: number, bitLength: number) => bitOffset % 8 !== 0 || bitLength % 8 !== 0;

/**
 * Types nested deeper than this stop with an expert item (security headers inside security headers,
 * grouped AVPs inside grouped AVPs): real messages nest a few levels, and the bound keeps the stack safe.
 */
export const MAX_NESTING = 48;

export class Dissector {
  private ctx: DissectContext = {};
  private sources = new Map<string, Uint8Array>();
  /** Values of the messages being decoded, outermost first (protection schemes look at them). */
  private enclosing: Obj[] = [];
  private depth = 0;
  private info: InfoPart[] = [];
  /** Values kept by `keep:` in this message (what later siblings' derived fields depend on). */
  private kept = new Map<string, number>();
  private watched = false;
  /** Per struct or message type: whether one of its own fields (a message's header) is a watched key. */
  private watching = new WeakMap<TypeIR, boolean>();

  /** `watch`: value keys whose presence a later look at the value needs (the group key audit's). */
  constructor(
    readonly ir: GrammarIR,
    private readonly watch: ReadonlySet<string> = new Set(),
  ) {}

  private watches(t: TypeIR): boolean {
    let w = this.watching.get(t);
    if (w === undefined) {
      const ids = t.kind === 'struct' ? t.fields : t.kind === 'l3' ? t.header : [];
      this.watching.set(t, (w = ids.some((f) => this.watch.has(f.id))));
    }
    return w;
  }

  dissect(bytes: Uint8Array, protocol: string, ctx: DissectContext = {}): DissectResult {
    this.ctx = ctx;
    this.sources = new Map([['frame', bytes]]);
    this.enclosing = [];
    this.depth = 0;
    this.info = [];
    this.kept = new Map();
    this.watched = false;
    const p = this.ir.protocols.get(protocol);
    const root = node(protocol, p?.label ?? protocol, 0, bytes.length * 8);
    if (!p) {
      root.expert.push(expertItem('unknown_message_type', `no grammar for protocol "${protocol}"`, '', 0, bytes.length * 8));
      return { protocol, tree: root, value: undefined, expert: root.expert, bitLength: 0, sources: this.sources, watched: this.watch.size ? false : undefined };
    }
    const r = new BitReader(bytes);
    let value: unknown;
    try {
      value = this.type(this.ir.types.get(p.root)!, r, root, '');
      if (r.remaining > 0) this.trailing(r, root, '', value);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      // The truncated leaf already spans the rest: no extraneous data after it.
      value = { _raw: toHex(bytes) };
      r.pos = r.end;
    }
    root.value = value;
    const expert = expertOf(root);
    return { protocol, tree: root, value, expert, bitLength: r.pos, sources: this.sources, info: this.info, watched: this.watch.size ? this.watched : undefined };
  }

  /** Padding to a multiple of `pad.bits` (from the struct's start); nonzero padding is kept in the value. */
  private padding(pad: { bits: number; filter: string }, used: number, r: BitReader, parent: TreeNode, value: Obj, path: string): void {
    const bits = (pad.bits - (used % pad.bits)) % pad.bits;
    if (!bits) return;
    need(r, bits, parent, pad.filter, 'Padding', path);
    const at = r.pos;
    const data = r.readBytes(bits);
    const n = { ...node(pad.filter, 'Padding', at, bits, bytesDisplay('Padding', data)), value: toHex(data), show: toHex(data) };
    if (data.some((b) => b !== 0)) {
      n.expert.push(expertItem('spare_not_zero', 'padding octets are not zero', path, at, bits));
      value._padding = toHex(data);
    }
    parent.children.push(n);
  }

  /** Octets after the last field: kept in the value so the message re-encodes byte-exactly. */
  private trailing(r: BitReader, parent: TreeNode, path: string, value: unknown): void {
    const at = r.pos;
    const bits = r.remaining;
    const data = r.readBytes(bits);
    const n = node('_ws.extraneous', 'Extraneous data', at, bits, bytesDisplay('Extraneous data', data));
    n.expert.push(expertItem('extraneous_data', `${bits / 8} octets after the end of the message`, path, at, bits));
    parent.children.push(n);
    if (value && typeof value === 'object') (value as Obj)._trailing = toHex(data);
  }

  /** Decodes a type at r's position into `parent` (the node of the field or IE holding it). */
  type(t: TypeIR, r: BitReader, parent: TreeNode, path: string): unknown {
    if (this.depth >= MAX_NESTING) {
      const item = expertItem('nesting_too_deep', `${t.label}: nested more than ${MAX_NESTING} levels deep`, path, r.pos, r.remaining);
      parent.expert.push(item);
      throw new Stop(item);
    }
    this.depth++;
    if (this.watch.size && t.kind !== 'dispatch' && !this.watched && this.watches(t)) this.watched = true;
    try {
      if (t.kind === 'l3' || !t.bytesField) return this.typeBody(t, r, parent, path);
      const holder = openBytesField(t, parent, r.pos);
      let end = r.end;
      try {
        const v = this.typeBody(t, r, holder, path);
        end = r.pos;
        return v;
      } finally {
        // Cut short (a Stop), it shows the octets of the element that keeps them, to its end.
        closeBytesField(holder, r.bytes, end);
      }
    } finally {
      this.depth--;
    }
  }

  private typeBody(t: TypeIR, r: BitReader, parent: TreeNode, path: string): unknown {
    switch (t.kind) {
      case 'struct': {
        const value: Obj = t.message ? { message: t.name } : {};
        if (t.message) this.enclosing.push(value);
        // The name first, so that a cut message is still named; a security envelope has no name of its own.
        const named = t.message && (!t.protection || t.info) ? this.info.push({ message: t.label }) - 1 : -1;
        // A suffix keeps its place before what the type contains adds (a CP layer's text, then its RP layer's).
        const suffix = t.infoSuffix ? this.info.push({ suffix: '' }) - 1 : -1;
        const start = r.pos;
        let scope: Scope | undefined;
        const derived = t.derived && derivedParts(t.derived);
        const spans = derived?.at.length ? new Map<string, FieldSpan>() : undefined;
        try {
          if (t.undecoded) this.undecoded(t.label, t.undecoded, r, parent, path);
          scope = this.fields(t.fields, r, parent, value, path, NONE, t.protection, spans);
        } finally {
          if (t.message) this.enclosing.pop();
          // A type cut short still adds its text: the name of an LPP message whose body is not decoded.
          if (suffix >= 0 && this.info[suffix]) this.info[suffix] = { suffix: infoDetail(t.infoSuffix!, value, parent) ?? '' };
        }
        if (t.padTo) this.padding(t.padTo, r.pos - start, r, parent, value, path);
        // Derivations see every integer field, those the value leaves out (flags, constants) too.
        if (t.keep)
          for (const k of t.keep) {
            const v = intOf(scope!, k.field);
            if (v !== undefined) this.kept.set(k.name, v);
          }
        if (derived) {
          // The value's keys, and the integers it leaves out.
          const values: Obj = { ...value };
          for (let i = 0; i < t.fields.length; i++) {
            const v = scope!.vals[i];
            if (v !== undefined && !(t.fields[i].id in values)) values[t.fields[i].id] = v;
          }
          const ctx = { direction: this.linkDirection(), messages: this.enclosing, kept: this.kept };
          const widths = widthsOf(t.fields);
          parent.children.push(...derivedNodes(derived.whole, values, start, r.pos, ctx, widths));
          // One over fields' bits (the first present to the last) goes before the first one's node; the
          // last placed first, so that the indices hold.
          const placed = derived.at
            .flatMap((d) => {
              const over = (d.at ?? []).flatMap((id) => (spans!.has(id) ? [spans!.get(id)!] : []));
              return over.length ? [{ d, first: over[0], last: over[over.length - 1] }] : [];
            })
            .sort((a, b) => b.first.child - a.first.child);
          for (const { d, first, last } of placed) parent.children.splice(first.child, 0, ...derivedNodes([d], values, first.start, last.end, ctx, widths));
        }
        const detail = t.info && infoDetail(t.info, value, parent);
        // A message's Info text stands for its name; another type's is a detail after the name.
        if (detail && named >= 0) this.info[named] = { message: detail };
        else if (detail) this.info.push({ detail });
        return value;
      }
      case 'dispatch': {
        need(r, t.peekOffset + t.peekBits, parent, parent.filter, parent.label, path);
        const key = t.on ? (ieField(this.enclosing.at(-1), t.on) ?? -1) : r.peek(t.peekBits, t.peekOffset);
        const dir = this.ctx.direction;
        const next = (dir && t.byDirection.get(key)?.[dir]) || t.cases.get(key) || t.default;
        if (!next) {
          const n = node(parent.filter, parent.label, r.pos, r.remaining);
          const item = expertItem('unknown_message_type', `${t.label}: no case for ${key} (0x${key.toString(16)})`, path, r.pos, r.remaining);
          n.expert.push(item);
          parent.children.push(n);
          throw new Stop(item);
        }
        const inner = next();
        // The chosen case's value is the dispatch's own: no pointer segment.
        const value = this.type(inner, r, parent, path);
        if (t.default && !t.quietDefault && next === t.default && !t.cases.has(key)) {
          parent.expert.push(expertItem('unknown_message_type', `${t.label}: unknown value ${key} (0x${key.toString(16)})`, path, r.pos, 0));
        }
        if (t.key && value && typeof value === 'object' && !(t.key in (value as Obj))) (value as Obj)[t.key] = key;
        return value;
      }
      case 'l3':
        return this.l3(t, r, parent, path);
    }
  }

  /**
   * A part the grammar leaves undecoded: a node over the rest of the element with a note, then a Stop,
   * so that the element that holds it keeps its octets (an IE's value its `_raw`) and re-encodes as it came.
   */
  private undecoded(label: string, reason: string, r: BitReader, parent: TreeNode, path: string): never {
    const n = node(parent.filter, `${label} (not decoded)`, r.pos, r.remaining);
    const item = expertItem('not_decoded', `${label}: ${reason}; the enclosing element is kept as octets`, path, r.pos, r.remaining);
    n.expert.push(item);
    parent.children.push(n);
    throw new Stop(item);
  }

  /**
   * Decodes a struct's fields; `scope` collects earlier values for relations, switches and presence;
   * returns that state. `spans` gets the bits and node index of each present field.
   */
  fields(fields: FieldIR[], r: BitReader, parent: TreeNode, value: Obj, path: string, consts: ReadonlyMap<string, number>, protection?: ProtectionIR, spans?: Map<string, FieldSpan>): Scope {
    const scope: Scope = { vals: new Array(fields.length), starts: new Array(fields.length), defs: fields, plan: listPlan(fields, protection), spans, origin: r.pos, closing: undefined };
    try {
      this.fieldList(fields, r, parent, value, path, consts, scope, protection);
    } catch (e) {
      // A cut protected struct still gets its verdict: a scheme holding keys must not call it unverified.
      if (e instanceof Stop && protection) {
        if (scope.closing) scope.closing(true);
        else this.cutBeforePayload(protection, r, parent, value, path, scope);
      }
      throw e;
    }
    // The scheme's verdict comes once every field (a trailing MAC too) is decoded.
    scope.closing?.();
    // A relation whose targets are all absent is not derivable: keep its value.
    for (const i of scope.plan.layout.sizing) {
      const f = fields[i] as UintField;
      if (scope.vals[i] !== undefined && !f.relation!.targets.some((t) => t in value)) value[f.id] = scope.vals[i];
    }
    return scope;
  }

  private fieldList(fields: FieldIR[], r: BitReader, parent: TreeNode, value: Obj, path: string, consts: ReadonlyMap<string, number>, scope: Scope, protection: ProtectionIR | undefined): void {
    const { vals, starts } = scope;
    const { layout, measured, semi, segment } = scope.plan;
    const { presentBy } = layout;
    // Tail fields: once one does not fit in what remains, the type ends there (a truncated CSN.1 string).
    let cut = false;
    let lastTail = -1;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const p = f.presence;
      if (p.kind === 'flag' && !(presentBy[i] >= 0 && vals[presentBy[i]])) continue;
      if (p.kind === 'in' && !p.values.includes((presentBy[i] >= 0 ? vals[presentBy[i]] : undefined) ?? -1)) continue;
      if (p.kind === 'tail' && (cut || r.remaining < tailNeed(f))) {
        cut = true;
        continue;
      }
      if (f.kind === 'spare' && f.bits === 'octet' && toOctet(scope.origin, r.pos) === 0) continue;
      if (p.kind === 'tail') lastTail = i;
      const start = r.pos;
      if (measured[i]) starts[i] = start;
      if (protection && f.id === protection.payload) {
        scope.closing = this.protectedPayload(f, protection, r, parent, value, path, scope);
        continue;
      }
      const fpath = path + segment[i];
      const at = parent.children.length;
      const c = consts.size ? consts.get(f.id) : undefined;
      const v = this.field(f, r, parent, fpath, scope, c);
      scope.spans?.set(f.id, { start, end: r.pos, child: at });
      if (f.render) renderNode(f.render, parent.children[at], r.bytes);
      if (f.kind === 'uint' && typeof v === 'number') vals[i] = v;
      if (f.kind === 'spare') {
        if (v !== f.value) value[f.id] = v;
      } else if (f.kind === 'uint' && (f.relation || c !== undefined || f.constValue !== undefined)) {
        const k = c ?? f.constValue;
        if (k !== undefined && v !== k) value[f.id] = v;
      } else {
        value[f.id] = v;
      }
      if (semi[i]) this.keepSemiOctetLength(f, r, scope, value);
    }
    // The last tail field read is kept when nothing after it is in the value (a presence flag the
    // encoder would derive): the encoder writes the tail fields up to it, so the value ends where the data did.
    const last = lastTail >= 0 ? fields[lastTail] : undefined;
    if (last && !(last.id in value) && vals[lastTail] !== undefined && !fields.slice(lastTail + 1).some((g) => g.presence.kind !== 'always' && g.id in value)) value[last.id] = vals[lastTail];
  }

  /**
   * A length in semi-octets that the encoder would not compute from the octets it measured (an odd
   * count without a 1111 filler, an alphanumeric address) stays in the value, so that it re-encodes.
   */
  private keepSemiOctetLength(f: FieldIR, r: BitReader, scope: Scope, value: Obj): void {
    const { at, rel, targets } = relationOf(f, scope.plan.layout);
    const len = scope.vals[at];
    if (len === undefined) return;
    if (semiOctets((pos, bits) => bitsAt(r.bytes, pos, bits), spanStart(scope.starts, targets), r.pos) + rel.adjust !== len) value[scope.defs[at].id] = len;
  }

  /** A protected struct cut before its payload: the scheme judges what there is. */
  private cutBeforePayload(p: ProtectionIR, r: BitReader, parent: TreeNode, value: Obj, path: string, scope: Scope): void {
    const at = Math.min(r.pos, r.end);
    const scheme = this.ctx.schemes?.[p.scheme] ?? NO_SCHEME;
    const req: ProtectionRequest = {
      value,
      enclosing: [...this.enclosing],
      bytes: r.bytes,
      coverStart: startOf(scope, p.coversFrom) ?? at,
      coverEnd: at,
      payloadStart: at,
      payloadEnd: at,
      ciphered: false,
      end: r.end,
      truncated: true,
      peek: () => undefined,
      direction: this.ctx.direction,
      receiver: this.ctx.receiver,
      path,
    };
    parent.children.push(...scheme.close(req, {}, undefined));
  }

  private field(f: FieldIR, r: BitReader, parent: TreeNode, path: string, scope: Scope, constValue?: number): unknown {
    const start = r.pos;
    switch (f.kind) {
      case 'uint': {
        need(r, f.bits, parent, f.filter, f.label, path);
        const v = f.bits > 52 ? r.readBig(f.bits) : r.read(f.bits);
        const texts = uintTexts(f, v);
        const n = node(f.filter, f.label, start, f.bits, texts.display);
        n.value = typeof v === 'bigint' ? v.toString() : v;
        n.show = texts.show;
        n.bitField = isBitField(start, f.bits);
        const c = constValue ?? f.constValue;
        if (c !== undefined && v !== c) n.expert.push(expertItem('const_mismatch', `${f.label}: ${v}, expected ${c}`, path, start, f.bits));
        if (texts.reserved) {
          n.expert.push(expertItem('reserved_value', `${f.label}: reserved value ${v}`, path, start, f.bits));
        }
        if (f.view) this.view(f.view(), new BitReader(r.bytes, start, r.pos), n, path);
        parent.children.push(n);
        return typeof v === 'bigint' ? v.toString() : v;
      }
      case 'spare': {
        const bits = f.bits === 'octet' ? toOctet(scope.origin ?? 0, start) : f.bits;
        need(r, bits, parent, f.filter, f.label, path);
        const v = r.read(bits);
        const n = node(f.filter, f.label, start, bits, `${f.label}: ${v}`);
        n.value = v;
        n.show = spareShow(f, v);
        n.bitField = isBitField(start, bits);
        if (v !== f.value) n.expert.push(expertItem('spare_not_zero', `spare bits are ${v}, expected ${f.value}`, path, start, bits));
        parent.children.push(n);
        return v;
      }
      case 'bytes': {
        const bits = f.size === 'rest' ? r.remaining : f.size === 'related' ? this.related(f, r, scope, parent, path) : f.size;
        need(r, bits, parent, f.filter, f.label, path);
        const data = r.readBytes(bits);
        // The text or hex made once: the value, the -T fields text and the tree text share it.
        const show = f.text ? textOf(data, f.text) : toHex(data);
        const n = node(f.filter, f.label, start, bits, f.text ? `${f.label}: ${show}` : hexDisplay(f.label, show));
        n.value = f.text === 'utf8' ? textValue(data, f.text) : show;
        n.show = show;
        parent.children.push(n);
        return n.value;
      }
      case 'ref': {
        const t = f.type();
        const n = node(f.filter, f.label, start, 0, f.label === t.label ? f.label : `${t.label} - ${f.label}`);
        parent.children.push(n);
        const bits = f.lengthFrom ? this.related(f, r, scope, parent, path) : f.rest ? r.remaining : undefined;
        try {
          const v = this.windowed(r, bits, n, path, (w) => this.type(t, w, n, path));
          n.bitLength = r.pos - start;
          n.value = v;
          if (f.asNumber && n.bitLength > 0 && n.bitLength <= 32) {
            const num = bitsAt(r.bytes, start, n.bitLength);
            n.show = f.asNumber.base === 'hex' ? `0x${num.toString(16).padStart(f.asNumber.typeBits / 4, '0')}` : String(num);
            n.display = `${f.label}: ${n.show}`;
            n.bitField = isBitField(start, n.bitLength);
          }
          return v;
        } catch (e) {
          // Cut short: the node still spans what it holds (the leaf that stopped it included).
          if (e instanceof Stop) n.bitLength = Math.max(r.pos, ...n.children.map((c) => c.bitOffset + c.bitLength)) - start;
          throw e;
        }
      }
      case 'codec': {
        const codec = CODECS.get(f.codec)!;
        const n = node(f.filter, f.label, start);
        parent.children.push(n);
        const bits = f.lengthFrom ? this.related(f, r, scope, parent, path) : f.size === 'rest' ? r.remaining : typeof f.size === 'number' ? f.size : undefined;
        const v = this.windowed(r, bits, n, path, (w) => codec.decode(w, f.params, { filter: f.filter, label: f.label, path, node: n, leaves: f.leaves }));
        n.bitLength = r.pos - start;
        n.value = v;
        n.show = codec.show(v, f.params);
        n.display = `${f.label}: ${n.show}`;
        return v;
      }
      case 'list': {
        const n = node(f.filter, f.label, start);
        parent.children.push(n);
        const items: unknown[] = [];
        const count = f.bound === 'count' ? this.counted(f, scope) : undefined;
        const bits = f.bound === 'length' ? this.related(f, r, scope, parent, path) : f.bound === 'rest' ? r.remaining : undefined;
        this.windowed(r, bits, n, path, (w) => {
          const more = () => (count !== undefined ? items.length < count : w.remaining > 0);
          while (more()) {
            const at = n.children.length;
            items.push(this.field(f.item, w, n, childPointer(path, items.length), scope));
            if (f.item.render) renderNode(f.item.render, n.children[at], w.bytes);
            if (f.item.numbered) numberNode(n.children[at], items.length - 1);
          }
          return items;
        });
        n.bitLength = r.pos - start;
        n.value = items;
        n.display = `${f.label} (${items.length} item${items.length === 1 ? '' : 's'})`;
        if (items.length < f.minItems || (f.maxItems !== undefined && items.length > f.maxItems)) {
          n.expert.push(expertItem('list_count_out_of_range', `${f.label}: ${items.length} items`, path, start, n.bitLength));
        }
        return items;
      }
      case 'switch': {
        const key = intOf(scope, f.on)!;
        const next = switchCase(f, (id) => intOf(scope, id));
        const n = node(f.filter, f.label, start);
        parent.children.push(n);
        const bits = f.lengthFrom ? this.related(f, r, scope, parent, path) : undefined;
        if (!next) {
          const data = r.readBytes(bits ?? r.remaining);
          n.bitLength = r.pos - start;
          n.display = bytesDisplay(f.label, data);
          n.expert.push(expertItem('reserved_value', `${f.label}: no layout for ${f.on} = ${key}`, path, start, n.bitLength));
          n.value = { _raw: toHex(data) };
          return n.value;
        }
        const v = this.windowed(r, bits, n, path, (w) => this.type(next(), w, n, path));
        n.bitLength = r.pos - start;
        n.value = v;
        return v;
      }
    }
  }

  /** An integer field's bits shown again as the fields of its view type, under its node; the value they make is dropped. */
  private view(t: TypeIR, r: BitReader, n: TreeNode, path: string): void {
    const info = this.info.length;
    try {
      this.type(t, r, n, path);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    this.info.length = info;
  }

  /** The direction of the outermost enclosing message that has one (what Wireshark's link direction follows). */
  private linkDirection(): 'ul' | 'dl' | undefined {
    for (const v of this.enclosing) {
      const t = this.ir.messages.get(String(v.message));
      if (t?.kind === 'l3' && (t.direction === 'ul' || t.direction === 'dl')) return t.direction;
    }
    return this.ctx.direction;
  }

  private counted(f: FieldIR, scope: Scope): number {
    const { at, rel } = relationOf(f, scope.plan.layout);
    return Math.max(0, scope.vals[at]! - rel.adjust);
  }

  /**
   * The payload of a protected struct: the scheme may decipher it (the plain message is then
   * dissected as its own data source) and adds its generated nodes after the payload.
   */
  private protectedPayload(f: FieldIR, p: ProtectionIR, r: BitReader, parent: TreeNode, value: Obj, path: string, scope: Scope): (truncated?: boolean) => void {
    const coverStart = startOf(scope, p.coversFrom) ?? r.pos;
    const scheme = this.ctx.schemes?.[p.scheme] ?? NO_SCHEME;
    const ciphered = p.cipheredIf === 'always' || (p.cipheredIf?.values.includes(value[p.cipheredIf.field] as number) ?? false);
    const payloadBits = f.lengthFrom ? this.related(f, r, scope, parent, path) : r.remaining;
    const payloadEnd = r.pos + payloadBits;
    const fpath = childPointer(path, f.id);
    const whole = wholePayload(f);
    const next = scope.defs[scope.defs.indexOf(f) + 1];
    const macField = next && next.id === p.mac && next.kind === 'uint' ? { start: payloadEnd, bits: next.bits } : undefined;
    const plainBytes = r.bytes.subarray(r.pos >> 3, payloadEnd >> 3);
    const peek = () => {
      const d = new Dissector(this.ir);
      d.ctx = { direction: this.ctx.direction };
      d.depth = this.depth;
      try {
        return d.field(whole, new BitReader(plainBytes), node(f.filter, f.label, 0), fpath, scope);
      } catch (e) {
        if (e instanceof Stop) return undefined;
        throw e;
      }
    };
    const req: ProtectionRequest = {
      value,
      enclosing: [...this.enclosing],
      bytes: r.bytes,
      coverStart,
      coverEnd: payloadEnd,
      payloadStart: r.pos,
      payloadEnd,
      macField,
      end: r.end,
      peek,
      ciphered,
      direction: this.ctx.direction,
      receiver: this.ctx.receiver,
      path,
    };
    const opened = scheme.open(req);
    // Bytes that stay ciphered: a bytes field keeps them as its value, a typed one as raw octets.
    const opaque = (data: Uint8Array) => (f.kind === 'bytes' ? toHex(data) : { _raw: toHex(data) });
    const cipheredLeaf = () => {
      const at = r.pos;
      const data = r.readBytes(payloadBits);
      parent.children.push({ ...node(p.cipheredFilter, p.cipheredLabel, at, data.length * 8, bytesDisplay(p.cipheredLabel, data)), value: toHex(data), show: toHex(data) });
      return data;
    };
    let payload: unknown;
    if (!ciphered || (opened.assumed && opened.plaintext)) {
      // Plain, or ciphered with null ciphering assumed: keep the attempt only if it decodes cleanly.
      const at = r.pos;
      const [before, infoBefore] = [parent.children.length, this.info.length];
      let clean = true;
      try {
        payload = this.field(f, r, parent, fpath, scope);
        // Ciphertext taken as plain rarely decodes without an error or an unknown message type.
        clean = !ciphered || !parent.children.slice(before).some((n) => findNode(n, (m) => m.expert.some((e) => e.severity === 'error' || e.id === 'unknown_message_type')));
      } catch (e) {
        if (!(e instanceof Stop) || !ciphered) throw e;
        clean = false;
      }
      if (clean) value[f.id] = payload;
      else {
        parent.children.length = before;
        this.info.length = infoBefore;
        r.pos = at;
        value[f.id] = opaque(cipheredLeaf());
        payload = undefined;
      }
    } else if (opened.plaintext) {
      const wire = cipheredLeaf();
      const name = this.sources.has('deciphered') ? `deciphered#${this.sources.size}` : 'deciphered';
      this.sources.set(name, opened.plaintext);
      const holder = node(f.filter, `Deciphered ${f.label}`, 0, opened.plaintext.length * 8);
      holder.source = name;
      try {
        payload = this.field(whole, new BitReader(opened.plaintext), holder, fpath, scope);
      } catch (e) {
        if (!(e instanceof Stop)) throw e;
        payload = undefined;
      }
      for (const n of walk(holder)) n.source = name;
      const inner = holder.children[0];
      if (inner) inner.display = `${inner.display} [deciphered]`;
      parent.children.push(...holder.children);
      value[f.id] = payload ?? { _raw: toHex(opened.plaintext) };
      value._ciphered = toHex(wire);
    } else {
      value[f.id] = opaque(cipheredLeaf());
    }
    return (truncated) => {
      const mac = p.mac ? startOf(scope, p.mac) : undefined;
      if (mac !== undefined && mac >= req.payloadEnd) req.coverEnd = mac;
      req.truncated = truncated;
      parent.children.push(...scheme.close(req, opened, payload));
    };
  }

  /** Bits given by the length relation of `f`; checks them against what is left. */
  private related(f: FieldIR, r: BitReader, scope: Scope, parent: TreeNode, path: string): number {
    const { at, rel, targets } = relationOf(f, scope.plan.layout);
    const len = scope.vals[at]!;
    // A span: the fields before the last target already took their part of the length.
    const from = spanStart(scope.starts, targets);
    const taken = Number.isFinite(from) ? r.pos - from : 0;
    const bits = Math.max(0, extentBits(len - rel.adjust, rel.unitBits) - taken);
    // Past the end of the data: truncation. Past the end of an enclosing element only: a bad length.
    if (bits > r.remaining && r.end === r.bytes.length * 8) need(r, bits, parent, f.filter, f.label, path);
    if (bits > r.remaining) {
      const item = expertItem('length_exceeds_window', `${f.label}: length ${len} exceeds the ${r.remaining} bits left`, path, r.pos, bits);
      parent.expert.push(item);
      return r.remaining;
    }
    return bits;
  }

  /** Runs `body` on a window of `bits` (or on r itself); an error inside stays inside and r moves past it. */
  private windowed<T>(r: BitReader, bits: number | undefined, n: TreeNode, path: string, body: (w: BitReader) => T): T | { _raw: string } {
    const start = r.pos;
    const w = bits === undefined ? r : r.window(bits);
    try {
      const v = body(w);
      if (bits !== undefined) {
        if (w.remaining > 0) this.trailing(w, n, path, v);
        r.pos = w.end;
      }
      return v;
    } catch (e) {
      if (!(e instanceof Stop) || bits === undefined) throw e;
      r.pos = start;
      const raw = r.readBytes(bits);
      return { _raw: toHex(raw) };
    }
  }

  private l3(t: L3MessageType, r: BitReader, parent: TreeNode, path: string): Obj {
    const value: Obj = { message: t.name };
    this.enclosing.push(value);
    this.info.push({ message: t.label });
    try {
      this.l3Body(t, r, parent, value, path);
    } finally {
      this.enclosing.pop();
    }
    return value;
  }

  private l3Body(t: L3MessageType, r: BitReader, parent: TreeNode, value: Obj, path: string): void {
    this.fields(t.header, r, parent, value, path, t.set);
    for (const [ie, second] of t.imperative) {
      if (second) {
        need(r, 8, parent, ie.filter, `${ie.name}, ${second.name}`, childPointer(path, ie.id));
        // The first IE of a pair takes bits 4-1: the second is read first.
        this.halfIe(second, r, parent, value, path);
        this.halfIe(ie, r, parent, value, path);
      } else this.ie(ie, r, parent, value, path, t);
    }
    this.optionalPart(t, t.optional, r, parent, value, path);
  }

  private halfIe(ie: IEIR, r: BitReader, parent: TreeNode, value: Obj, path: string): void {
    if (this.watch.has(ie.id)) this.watched = true;
    const t = ie.type!();
    const n = node(ie.filter, ie.label, r.pos, 4, ie.label === t.label ? ie.label : `${t.label} - ${ie.label}`);
    parent.children.push(n);
    const v = this.type(t, r.window(4), n, childPointer(path, ie.id));
    r.pos += 4;
    n.value = v;
    if (!isEmpty(v)) value[ie.id] = v;
  }

  /** One IE of any format at r; errors inside the IE stay in it. */
  private ie(ie: IEIR, r: BitReader, parent: TreeNode, value: Obj, path: string, msg: L3MessageType): void {
    if (this.watch.has(ie.id)) this.watched = true;
    const start = r.pos;
    const { t, segment, display, elemId } = iePlan(ie, msg);
    const ipath = path + segment;
    const n = node(ie.filter, ie.label, start, 0, display);
    parent.children.push(n);
    const hasIei = ie.iei !== undefined;
    const lenBytes = ie.lengthBits / 8;
    try {
      if (hasIei && ie.half) {
        need(r, 8, n, elemId, 'Element ID', ipath);
        const iei = r.read(4);
        const leaf = node(elemId, 'Element ID', start, 4, `Element ID: 0x${iei.toString(16)}-`);
        leaf.value = iei;
        leaf.show = octetTexts(iei).show;
        leaf.bitField = true;
        n.children.push(leaf);
        const v = ie.format === 'T' ? true : this.type(t!, r.window(4), n, ipath);
        r.pos += 4;
        n.bitLength = 8;
        n.value = v;
        value[ie.id] = v;
        return;
      }
      if (hasIei) {
        need(r, 8, n, elemId, 'Element ID', ipath);
        const iei = r.read(8);
        const texts = octetTexts(iei);
        const leaf = node(elemId, 'Element ID', start, 8, texts.display);
        leaf.value = iei;
        leaf.show = texts.show;
        n.children.push(leaf);
      }
      if (ie.format === 'T') {
        n.bitLength = 8;
        n.value = true;
        value[ie.id] = true;
        return;
      }
      let bits: number | undefined;
      if (lenBytes) {
        const lstart = r.pos;
        need(r, lenBytes * 8, n, 'gsm_a.len', 'Length', ipath);
        const len = r.read(lenBytes * 8);
        const leaf = node('gsm_a.len', 'Length', lstart, lenBytes * 8, len < 256 ? (LENGTH_TEXTS[len] ??= `Length: ${len}`) : `Length: ${len}`);
        leaf.value = len;
        leaf.show = String(len);
        n.children.push(leaf);
        const total = len + lenBytes + (hasIei ? 1 : 0);
        if (total < ie.minLen || (ie.maxLen !== undefined && total > ie.maxLen)) {
          n.expert.push(expertItem('length_out_of_range', `${ie.name}: ${total} octets, the table allows ${ie.minLen}-${ie.maxLen ?? 'n'}`, ipath, lstart, lenBytes * 8));
        }
        bits = len * 8;
        if (bits > r.remaining) {
          const item = expertItem('truncated', `${ie.name}: length ${len} but ${Math.floor(r.remaining / 8)} octets left`, ipath, start, r.pos - start + bits);
          n.expert.push(item);
          n.bitLength = r.pos - start + bits;
          const raw = r.readBytes(r.remaining);
          n.children.push({ ...node(`${msg.ieFilterPrefix}.ie_data`, 'IE data', lstart + lenBytes * 8, raw.length * 8, bytesDisplay('IE data', raw)), value: toHex(raw), show: toHex(raw) });
          value[ie.id] = { _raw: toHex(raw), _length: len };
          return;
        }
      }
      const holder = ie.bytesField ? openBytesField(ie, n, r.pos) : n;
      const v = this.windowed(r, bits, holder, ipath, (w) => this.type(t!, w, holder, ipath));
      if (holder !== n) closeBytesField(holder, r.bytes, r.pos);
      n.bitLength = r.pos - start;
      n.value = v;
      if (!(ie.presence === 'M' && isEmpty(v))) value[ie.id] = v;
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      n.bitLength = Math.max(n.bitLength, r.pos - start);
      throw e;
    }
  }

  /** The non-imperative part: IEs matched by IEI in any order, unknown ones skipped and kept. */
  private optionalPart(t: L3MessageType, ies: IEIR[], r: BitReader, parent: TreeNode, value: Obj, path: string): void {
    const order: string[] = [];
    const extra: Array<{ iei: number; hex: string }> = [];
    let lastIndex = -1;
    // The canonical order is the table's, with skipped IEs last: kept as `_order` only when it differs.
    let canonical = true;
    const iei = ieiIndex(ies);
    while (r.remaining >= 8) {
      const start = r.pos;
      const octet = r.peek(8);
      const idx = iei[octet];
      const ie = ies[idx];
      if (ie && !(ie.id in value)) {
        if (idx < lastIndex) parent.expert.push(expertItem('ie_out_of_order', `${ie.name} comes after an IE that follows it in the table`, childPointer(path, ie.id), start, 8));
        // Out of table order, after a skipped IE, or again (a mandatory IE left out of the value when empty).
        if (idx <= lastIndex || extra.length) canonical = false;
        lastIndex = Math.max(lastIndex, idx);
        this.ie(ie, r, parent, value, path, t);
        order.push(ie.id);
        continue;
      }
      let n: TreeNode;
      if (ie) {
        // Repeated: decoded by its own format (a TV IE has no length to skip by), shown, then ignored.
        n = node(ie.filter, `${ie.name} (repeated)`, start);
        this.ie(ie, r, n, {}, path, t);
        n.children = n.children[0]?.children ?? [];
        n.bitLength = r.pos - start;
        n.expert.push(expertItem('ie_repeated', `${ie.name} occurs again; ignored`, childPointer(path, ie.id), start, n.bitLength));
      } else {
        // Unknown: skipped by the TS 24.007 §11.2.4 rules.
        const bits = this.skipLength(r, parent, path);
        n = node(`${t.ieFilterPrefix}.unknown_ie`, `Unknown IE 0x${octet.toString(16).padStart(2, '0')}`, start, bits);
        const data = r.readBytes(bits);
        n.display = bytesDisplay(n.label, data);
        n.value = n.show = toHex(data);
        n.expert.push(expertItem('unknown_iei', `unknown IEI 0x${octet.toString(16).padStart(2, '0')} skipped`, path, start, bits));
      }
      parent.children.push(n);
      order.push(`#${extra.length}`);
      extra.push({ iei: octet, hex: toHex(r.bytes.subarray(start >> 3, r.pos >> 3)) });
    }
    if (extra.length) value._extra = extra;
    if (!canonical) value._order = order;
  }

  /** Length in bits of an unknown IE at r: one octet (bit 8 set), TLV-E (0111xxxx) or TLV. */
  private skipLength(r: BitReader, parent: TreeNode, path: string): number {
    const lenBytes = unknownIeLengthOctets(r.peek(8));
    if (!lenBytes) return 8;
    need(r, 8 + lenBytes * 8, parent, 'nas_eps.unknown_ie', 'Unknown IE', path);
    const bits = 8 + lenBytes * 8 + r.peek(lenBytes * 8, 8) * 8;
    need(r, bits, parent, 'nas_eps.unknown_ie', 'Unknown IE', path);
    return bits;
  }
}

/** What the dissector shows of an IE, worked out once: each IE belongs to one message, whose prefix its Element ID filter takes. */
interface IePlan {
  t: TypeIR | undefined;
  /** Its JSON Pointer segment (`/id`). */
  segment: string;
  /** Its node's text: the type's label, then the IE's when they differ. */
  display: string;
  /** The filter of its Element ID. */
  elemId: string;
}

const iePlans = new WeakMap<IEIR, IePlan>();

function iePlan(ie: IEIR, msg: L3MessageType): IePlan {
  let plan = iePlans.get(ie);
  if (!plan) {
    const t = ie.type?.();
    plan = {
      t,
      segment: childPointer('', ie.id),
      display: t && t.label !== ie.label ? `${t.label} - ${ie.label}` : ie.label,
      elemId: (t && t.kind !== 'l3' && t.elemId) || `${msg.ieFilterPrefix}.elem_id`,
    };
    iePlans.set(ie, plan);
  }
  return plan;
}

/** An Element ID's tree and `-T fields` texts, by octet value, made once each. */
const IEI_TEXTS: Array<{ display: string; show: string }> = [];
function octetTexts(iei: number): { display: string; show: string } {
  return (IEI_TEXTS[iei] ??= { display: `Element ID: 0x${iei.toString(16).padStart(2, '0')}`, show: `0x${iei.toString(16).padStart(2, '0')}` });
}

/** Length texts of one-octet lengths, made once each. */
const LENGTH_TEXTS: string[] = [];

/** The bits a length of `units` gives its target: semi-octets round up to whole octets (TS 23.040 §9.1.2.5). */
export const extentBits = (units: number, unitBits: number): number => (unitBits === 4 ? Math.ceil((units * unitBits) / 8) * 8 : units * unitBits);

/** A payload field as it reads deciphered bytes: they are the whole payload, so it takes them all. */
const wholePayload = perKey((f: FieldIR): FieldIR => (f.kind === 'bytes' ? { ...f, size: 'rest', lengthFrom: undefined } : f.kind === 'ref' ? { ...f, rest: true, lengthFrom: undefined } : f));

/** The length field in semi-octets that sizes `f`, if that is what sizes it. */
export function semiOctetLength(f: FieldIR, fields: FieldIR[]): UintField | undefined {
  const at = f.lengthFrom === undefined ? undefined : layoutOf(fields).index.get(f.lengthFrom);
  const lf = at === undefined ? undefined : fields[at];
  return lf?.kind === 'uint' && lf.relation?.unitBits === 4 ? lf : undefined;
}

const widths = new WeakMap<FieldIR[], Map<string, number>>();

/** A struct's derived fields over the whole struct, and those over named fields (`at:`), split once per type. */
const derivedParts = perKey((derived: DerivedIR[]) => ({ whole: derived.filter((d) => !d.at), at: derived.filter((d) => d.at) }));

/** The bit widths of a struct's integer and spare fields, by id. */
function widthsOf(fields: FieldIR[]): Map<string, number> {
  let m = widths.get(fields);
  if (!m) {
    m = new Map(fields.flatMap((f) => ((f.kind === 'uint' || f.kind === 'spare') && typeof f.bits === 'number' ? [[f.id, f.bits] as const] : [])));
    widths.set(fields, m);
  }
  return m;
}
