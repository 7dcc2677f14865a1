/**
 * The encoder: value -> bytes by the same grammar IR. Derived fields (lengths, counts, presence
 * flags, constants, message keys) are computed unless the value gives them explicitly, which is how
 * malformed messages are built on purpose.
 */
import { CODECS } from '../codecs/index.js';
import type { FieldIR, GrammarIR, IEIR, L3MessageType, ProtectionIR, TypeIR } from '../grammar/ir.js';
import { switchCase } from '../grammar/ir.js';
import { perKey } from '../grammar/memo.js';
import { caseFor, ieField } from '../grammar/reach.js';
import { BitWriter, semiOctets, toOctet } from './bits.js';
import { bail, type Obj } from './cursor.js';
import { fromHex, textBytes } from './format.js';
import { childPointer, showPointer } from './pointer.js';

export class EncodeError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${showPointer(path)}: ${detail}`);
    this.name = 'EncodeError';
  }
}

/** 2^bits for each field width (0 to 64 bits): the first value that does not fit. */
const LIMIT = Array.from({ length: 65 }, (_, bits) => 2 ** bits);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const tailed = new WeakMap<FieldIR[], boolean>();

/** Index of the last field with a presence condition that the value has (-1 when none, or no tail fields). */
export function lastConditional(fields: FieldIR[], value: Obj): number {
  let has = tailed.get(fields);
  if (has === undefined) tailed.set(fields, (has = fields.some((f) => f.presence.kind === 'tail')));
  if (!has) return -1;
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].presence.kind !== 'always' && fields[i].id in value) return i;
  return -1;
}

function hexBytes(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string') throw new EncodeError(path, 'expected a hex string');
  try {
    return fromHex(v);
  } catch (e) {
    throw new EncodeError(path, (e as Error).message);
  }
}

/** Writes octets given as hex text: plain hex straight into the writer, any other form through hexBytes (an EncodeError at `path` for bad hex). */
export function writeHexText(w: BitWriter, v: unknown, path = ''): void {
  if (typeof v !== 'string' || !w.writeHex(v)) w.writeBytes(hexBytes(v, path));
}

/**
 * The sending side of a security scheme (a struct's `protection` block names the scheme): the
 * encoder writes the plain payload, has it ciphered in place when the grammar's `ciphered_if` holds,
 * then has the MAC computed over the octets it covers and writes it into the MAC field: one pass.
 */
export interface Sealer {
  /** The payload as sent, the same length as `plain`. */
  cipher(plain: Uint8Array): Uint8Array;
  /** The MAC field's octets for the covered octets. */
  mac(covered: Uint8Array): Uint8Array;
}

/** The length of the bits [start, end) written, in the relation's units (semi-octets: less a last 1111 filler). */
export function measure(unitBits: number, w: BitWriter, start: number, end: number): number {
  return unitBits === 4 ? semiOctets((pos, bits) => w.peek(pos, bits), start, end) : (end - start) / unitBits;
}

/** What a generated encoder keeps through one encode() call: the L3 messages being written, outermost first. */
export interface EncodeEnv {
  messages: Obj[];
}

/** A type written by code generated ahead of time (scripts/gen-encoders.ts); it throws to hand the value over. */
export type EncodeFn = (v: unknown, w: BitWriter, env: EncodeEnv) => void;

/** What writing a message's optional part does at each step. */
interface OrderSteps {
  /** An optional IE, by id: its IEI, then its value. */
  ie(id: string): void;
  /** The octets of an unknown IE (`_extra[k].hex`). */
  extra(hex: unknown, k: string): void;
  refuse(why: string): never;
}

/**
 * A message's optional IEs in the order its value gives them (`_order`; without one, the IEs it has
 * in the grammar's order `ids`, then its `_extra` octets), each handed to `steps`. An order naming
 * what the message does not have, or leaving out an IE the value has, is refused.
 */
export function inOrder(value: Obj, ids: readonly string[], label: string, steps: OrderSteps): void {
  const extra = Array.isArray(value._extra) ? (value._extra as Array<{ hex: unknown }>) : [];
  const order: unknown[] = Array.isArray(value._order) ? value._order : [...ids.filter((id) => id in value), ...extra.map((_, k) => `#${k}`)];
  for (const id of order) {
    if (typeof id !== 'string') steps.refuse(`expected IE names and #k, got ${JSON.stringify(id)}`);
    if (id.startsWith('#')) {
      const e = extra[Number(id.slice(1))];
      if (!e) steps.refuse(`no _extra entry ${id}`);
      steps.extra(e.hex, id.slice(1));
    } else if (ids.includes(id)) steps.ie(id);
    else steps.refuse(`"${id}" is not an optional IE of ${label}`);
  }
  for (const id of ids) if (id in value && !order.includes(id)) steps.refuse(`leaves out ${id}`);
}

/**
 * The generated code's optional part in the order its value gives: `writers` writes each IE (its
 * IEI first), by id, in the grammar's order. Throws where the Encoder refuses the value.
 */
export function writeOrdered(value: Obj, writers: ReadonlyMap<string, EncodeFn>, w: BitWriter, env: EncodeEnv): void {
  inOrder(value, [...writers.keys()], '', { ie: (id) => writers.get(id)!(value[id], w, env), extra: (hex) => writeHexText(w, hex), refuse: bail });
}

/**
 * Writes values with the generated code of `ir`'s types (`fns`, by type name): the octets, or
 * undefined when it hands the value over, one the grammar does not allow (the Encoder says why).
 */
export function generatedEncoder(ir: GrammarIR, fns: Readonly<Record<string, EncodeFn>>): (value: unknown, protocol: string) => Uint8Array | undefined {
  // One writer, kept from one value to the next.
  const w = new BitWriter();
  return (value, protocol) => {
    const root = ir.protocols.get(protocol)?.root;
    const fn = root === undefined ? undefined : fns[root];
    if (!fn) return undefined;
    w.reset();
    try {
      fn(value, w, { messages: [] });
    } catch {
      return undefined;
    }
    return w.finish();
  };
}

/** The ids of a message's optional IEs, in the grammar's order. */
const optionalIds = perKey((t: L3MessageType) => t.optional.map((ie) => ie.id));

export class Encoder {
  /** The sealers of the encode() call under way, by scheme name. */
  private sealers?: Readonly<Record<string, Sealer>>;
  /** The L3 messages being written, outermost first (a dispatch on an earlier IE looks at the innermost). */
  private messages: Obj[] = [];

  constructor(readonly ir: GrammarIR) {}

  encode(value: unknown, protocol: string, sealers?: Readonly<Record<string, Sealer>>): Uint8Array {
    const p = this.ir.protocols.get(protocol);
    if (!p) throw new EncodeError('', `no grammar for protocol "${protocol}"`);
    const w = new BitWriter();
    const outer = this.sealers;
    const messages = this.messages;
    this.sealers = sealers;
    this.messages = [];
    try {
      this.type(this.ir.types.get(p.root)!, value, w, '');
    } finally {
      this.sealers = outer;
      this.messages = messages;
    }
    return w.finish();
  }

  /** Ciphers the payload in place and writes the MAC, from the bit spans the fields took. */
  private seal(p: ProtectionIR, sealer: Sealer, value: Obj, w: BitWriter, spans: Map<string, [number, number]>, path: string): void {
    // Ciphering and MACs work on octets: the payload and the MAC field, and where coverage starts.
    const span = (id: string, whole = true) => {
      const s = spans.get(id);
      if (!s || s[0] % 8 || (whole && s[1] % 8)) throw new EncodeError(childPointer(path, id), 'a sealed field must be present and on octet boundaries');
      return s;
    };
    const [payloadStart, payloadEnd] = span(p.payload);
    const ciphered = p.cipheredIf === 'always' || (p.cipheredIf?.values.includes(value[p.cipheredIf.field] as number) ?? false);
    if (ciphered && typeof value._ciphered !== 'string') w.overwrite(payloadStart, sealer.cipher(w.octets(payloadStart, payloadEnd)));
    if (!p.mac) return;
    const [macStart, macEnd] = span(p.mac);
    // The MAC covers from `covers_from` to the end of the payload, or to the MAC when it follows.
    const mac = sealer.mac(w.octets(span(p.coversFrom, false)[0], Math.max(macStart, payloadEnd)));
    if (mac.length * 8 !== macEnd - macStart) throw new EncodeError(childPointer(path, p.mac), `a ${mac.length}-octet MAC for a ${(macEnd - macStart) / 8}-octet field`);
    w.overwrite(macStart, mac);
  }

  type(t: TypeIR, value: unknown, w: BitWriter, path: string): void {
    if (isObj(value) && typeof value._raw === 'string') {
      writeHexText(w, value._raw, childPointer(path, '_raw'));
      return;
    }
    if (!isObj(value)) throw new EncodeError(path, `expected an object for ${t.label}`);
    switch (t.kind) {
      case 'struct': {
        if (t.undecoded) throw new EncodeError(path, `${t.label} is not decoded by the grammar (${t.undecoded}): give the enclosing element's octets as _raw`);
        const start = w.pos;
        const sealer = t.protection && this.sealers?.[t.protection.scheme];
        const spans = sealer ? new Map<string, [number, number]>() : undefined;
        // Only the outermost protected struct is sealed: one nested in its payload (a replayed NAS
        // message) is written as given, its MAC and ciphertext untouched and no keystream used twice.
        const sealers = this.sealers;
        if (sealer) this.sealers = undefined;
        try {
          this.fields(t.fields, value, w, path, new Map(), t.protection?.payload, spans);
        } finally {
          this.sealers = sealers;
        }
        if (sealer) this.seal(t.protection!, sealer, value, w, spans!, path);
        const pad = t.padTo ? (t.padTo.bits - ((w.pos - start) % t.padTo.bits)) % t.padTo.bits : 0;
        if (typeof value._padding === 'string') {
          const b = hexBytes(value._padding, childPointer(path, '_padding'));
          // Padding short of an octet (a PER encoding's) is written to its length, its octets' high bits.
          w.writeBytes(b, pad % 8 && b.length * 8 > pad ? pad : b.length * 8);
        } else if (pad) w.write(0, pad);
        break;
      }
      case 'dispatch': {
        let next: TypeIR | undefined;
        if (t.on) {
          const k = ieField(this.messages.at(-1), t.on);
          next = ((k === undefined ? undefined : t.cases.get(k)) ?? t.default)?.();
        } else if (t.key) {
          const k = value[t.key];
          if (typeof k !== 'number') throw new EncodeError(childPointer(path, t.key), `required: selects the ${t.label} layout`);
          next = (t.cases.get(k) ?? t.default)?.();
        } else {
          const name = value.message;
          if (typeof name !== 'string') throw new EncodeError(childPointer(path, 'message'), 'required: the message name');
          next = caseFor(t, name);
          if (!next) throw new EncodeError(childPointer(path, 'message'), `unknown message "${name}"`);
        }
        if (!next) throw new EncodeError(path, `no ${t.label} layout for this value`);
        this.type(next, value, w, path);
        return;
      }
      case 'l3':
        this.l3(t, value, w, path);
        break;
    }
    if (typeof value._trailing === 'string') writeHexText(w, value._trailing, childPointer(path, '_trailing'));
  }

  /**
   * `protectedPayload` names the field a security scheme ciphers: `_ciphered` in the value replaces it
   * on the wire. `spans` collects the bit span each written field took (for sealing).
   */
  fields(fields: FieldIR[], value: Obj, w: BitWriter, path: string, consts: Map<string, number>, protectedPayload?: string, spans?: Map<string, [number, number]>): void {
    const scope = new Map<string, number>();
    // Length fields written as placeholders, patched once the span they measure has been written.
    const patches = new Map<string, { at: number; f: FieldIR & { kind: 'uint' }; from?: number }>();
    const origin = w.pos;
    // Tail fields are written up to the last conditional field the value has: a type cut short ends
    // after a field, never in a gap (its presence flags computed as usual).
    const lastGiven = lastConditional(fields, value);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const p = f.presence;
      if (p.kind === 'flag' && !scope.get(p.field)) continue;
      if (p.kind === 'in' && !p.values.includes(scope.get(p.field) ?? -1)) continue;
      if (p.kind === 'tail' && i > lastGiven) continue;
      if (f.kind === 'spare' && f.bits === 'octet' && toOctet(origin, w.pos) === 0) continue;
      const start = w.pos;
      if (patches.size) for (const p of patches.values()) if (p.from === undefined && p.f.relation!.targets.includes(f.id)) p.from = start;
      const ciphered = f.id === protectedPayload && typeof value._ciphered === 'string';
      if (ciphered) writeHexText(w, value._ciphered as string, childPointer(path, '_ciphered'));
      else
        switch (f.kind) {
          case 'uint': {
            let v = value[f.id];
            if (v === undefined) {
              v = consts.get(f.id) ?? f.constValue ?? this.derived(f, value);
              if (v === undefined && f.relation?.kind === 'length_of') {
                patches.set(f.id, { at: w.pos, f });
                v = 0;
              }
            }
            if (typeof v === 'string' && /^\d+$/.test(v) && f.bits > 52) {
              w.writeBig(BigInt(v), f.bits);
              break;
            }
            if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= LIMIT[f.bits]) {
              throw new EncodeError(childPointer(path, f.id), v === undefined ? 'required' : `expected an integer in 0..${2 ** f.bits - 1}, got ${JSON.stringify(v)}`);
            }
            w.write(v, f.bits);
            scope.set(f.id, v);
            break;
          }
          case 'spare': {
            const bits = f.bits === 'octet' ? toOctet(origin, w.pos) : f.bits;
            const v = value[f.id] ?? f.value;
            if (typeof v !== 'number' || v < 0 || v >= 2 ** bits) throw new EncodeError(childPointer(path, f.id), 'a spare override is an integer that fits');
            w.write(v, bits);
            break;
          }
          default:
            if (!(f.id in value)) throw new EncodeError(childPointer(path, f.id), 'required');
            this.field(f, value[f.id], w, childPointer(path, f.id), scope);
        }
      spans?.set(f.id, [start, w.pos]);
      if (f.lengthFrom && patches.has(f.lengthFrom)) {
        const { at, f: lf, from } = patches.get(f.lengthFrom)!;
        const rel = lf.relation!;
        const n = measure(rel.unitBits, w, from ?? start, w.pos) + rel.adjust;
        if (!Number.isInteger(n) || n < 0 || n >= 2 ** lf.bits) throw new EncodeError(childPointer(path, f.id), `its length ${n} does not fit ${lf.id}`);
        w.patch(at, n, lf.bits);
        scope.set(lf.id, n);
      }
    }
  }

  /** A count or presence flag computed from the value; lengths are patched after the target is written. */
  private derived(f: FieldIR & { kind: 'uint' }, value: Obj): number | undefined {
    const rel = f.relation;
    if (rel?.kind === 'count_of') {
      const target = rel.targets.find((t) => Array.isArray(value[t]));
      return target === undefined ? undefined : (value[target] as unknown[]).length + rel.adjust;
    }
    if (rel?.kind === 'length_of') return undefined;
    if (f.flags) return f.flags.some((id) => id in value) ? 1 : 0;
    return undefined;
  }

  private field(f: FieldIR, v: unknown, w: BitWriter, path: string, scope: Map<string, number>): void {
    switch (f.kind) {
      case 'uint': {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= LIMIT[f.bits]) throw new EncodeError(path, `expected an integer in 0..${LIMIT[f.bits] - 1}`);
        w.write(v, f.bits);
        return;
      }
      case 'spare':
        // A list item: always of a fixed width (spare bits to an octet boundary are a struct field).
        w.write(typeof v === 'number' ? v : f.value, typeof f.bits === 'number' ? f.bits : 0);
        return;
      case 'bytes': {
        const raw = isObj(v) && typeof v._raw === 'string' ? v._raw : undefined;
        const b = raw !== undefined ? hexBytes(raw, path) : f.text && typeof v === 'string' ? textBytes(v, f.text) : hexBytes(v, path);
        if (typeof f.size === 'number' && b.length * 8 !== f.size) throw new EncodeError(path, `expected ${f.size / 8} octets, got ${b.length}`);
        w.writeBytes(b);
        return;
      }
      case 'ref':
        this.type(f.type(), v, w, path);
        return;
      case 'codec':
        if (isObj(v) && typeof v._raw === 'string') writeHexText(w, v._raw, path);
        else {
          try {
            CODECS.get(f.codec)!.encode(w, v, f.params);
          } catch (e) {
            throw new EncodeError(path, (e as Error).message);
          }
        }
        return;
      case 'list':
        if (!Array.isArray(v)) throw new EncodeError(path, 'expected a list');
        v.forEach((item, i) => this.field(f.item, item, w, childPointer(path, i), scope));
        return;
      case 'switch': {
        const next = switchCase(f, (id) => scope.get(id));
        if (isObj(v) && typeof v._raw === 'string') writeHexText(w, v._raw, path);
        else if (!next) throw new EncodeError(path, `no layout for ${f.on} = ${scope.get(f.on)}`);
        else this.type(next(), v, w, path);
      }
    }
  }

  private l3(t: L3MessageType, value: Obj, w: BitWriter, path: string): void {
    this.messages.push(value);
    try {
      this.l3Body(t, value, w, path);
    } finally {
      this.messages.pop();
    }
  }

  private l3Body(t: L3MessageType, value: Obj, w: BitWriter, path: string): void {
    this.fields(t.header, value, w, path, t.set);
    for (const [ie, second] of t.imperative) {
      if (second) {
        // The first IE of a half-octet pair takes bits 4-1, so the second is written first.
        this.halfValue(second, value, w, path);
        this.halfValue(ie, value, w, path);
      } else this.ieBody(ie, value[ie.id] ?? {}, w, childPointer(path, ie.id));
    }
    const ids = optionalIds(t);
    inOrder(value, ids, t.label, {
      ie: (id) => {
        const ie = t.optional[ids.indexOf(id)];
        if (ie.half) {
          w.write(ie.iei!, 4);
          if (ie.format === 'T') w.write(0, 4);
          else this.nibble(ie, value[ie.id], w, childPointer(path, ie.id));
          return;
        }
        w.write(ie.iei!, 8);
        if (ie.format !== 'T') this.ieBody(ie, value[ie.id], w, childPointer(path, ie.id));
      },
      extra: (hex, k) => writeHexText(w, hex, childPointer(childPointer(path, '_extra'), k)),
      refuse: (why) => {
        throw new EncodeError(childPointer(path, '_order'), why);
      },
    });
  }

  private halfValue(ie: IEIR, value: Obj, w: BitWriter, path: string): void {
    this.nibble(ie, value[ie.id] ?? {}, w, childPointer(path, ie.id));
  }

  private nibble(ie: IEIR, v: unknown, w: BitWriter, path: string): void {
    const start = w.pos;
    this.type(ie.type!(), v, w, path);
    if (w.pos - start !== 4) throw new EncodeError(path, `a half-octet IE value takes 4 bits, this took ${w.pos - start}`);
  }

  /** An IE's length (for LV, LV-E, TLV, TLV-E) and value; `_length` in the value overrides the length. */
  private ieBody(ie: IEIR, v: unknown, w: BitWriter, path: string): void {
    const lenBits = ie.lengthBits;
    const at = w.pos;
    if (lenBits) w.write(0, lenBits);
    const start = w.pos;
    this.type(ie.type!(), v, w, path);
    if (!lenBits) return;
    const explicit = isObj(v) ? v._length : undefined;
    const len = typeof explicit === 'number' ? explicit : (w.pos - start) / 8;
    if (!Number.isInteger(len) || len >= 2 ** lenBits) throw new EncodeError(path, `length ${len} does not fit the ${ie.format} length field`);
    w.patch(at, len, lenBits);
  }
}
