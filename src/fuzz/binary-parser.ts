/**
 * An independent second decoder for the fixed-layout parts of the grammar, compiled with
 * binary-parser 2.3.0 (keichi/binary-parser): structs made only of integer, spare and fixed-size
 * octet fields whose bit runs fill whole octets (the NAS headers, fixed IEs), and the fixed prefix of
 * each message (header plus leading fixed V IEs, half-octet pairs included). It only decodes; the
 * test compares its values with the dissector's tree leaf by leaf (test/fuzz/binary-parser.test.ts).
 *
 * Safety: binary-parser splices option strings into the JavaScript it compiles with `new Function`.
 * Nothing from the grammar reaches it: variable names are generated (`f0`, `f1`, ...), lengths are
 * validated integers, and no string option (length, assert, formatter, alias) is ever used.
 */
import { createRequire } from 'node:module';
import { toHex } from '../engine/format.js';
import type { FieldIR, GrammarIR, L3MessageType, TypeIR } from '../grammar/ir.js';

// binary-parser 2.3.0's "exports" has no types for its ESM build; its CommonJS build carries them.
type ParserModule = typeof import('binary-parser', { with: { 'resolution-mode': 'require' }});

export interface FixedField {
  /** Path of the field in the value: IE id / field id. */
  id: string;
  filter: string;
  kind: 'uint' | 'spare' | 'bytes';
  /** Offset from the start of the layout. */
  bitOffset: number;
  bits: number;
}

export interface FixedLayout {
  name: string;
  fields: FixedField[];
  /** Whole octets the layout covers. */
  octets: number;
}

export interface CompiledLayout {
  layout: FixedLayout;
  /** Values by field id (integers as numbers, octets as hex) and the octets consumed; throws on short input. */
  parse(bytes: Uint8Array): { values: Map<string, number | string>; end: number };
}

/** The fields a layout can take: integers and spare bits up to 32 bits, octets of a fixed size, always present. */
function fixedField(f: FieldIR): { kind: FixedField['kind']; bits: number } | undefined {
  if (f.presence.kind !== 'always' || f.lengthFrom) return undefined;
  if ((f.kind === 'uint' || f.kind === 'spare') && typeof f.bits === 'number' && f.bits >= 1 && f.bits <= 32) return { kind: f.kind, bits: f.bits };
  if (f.kind === 'bytes' && typeof f.size === 'number' && f.size > 0 && f.size % 8 === 0) return { kind: 'bytes', bits: f.size };
  return undefined;
}

/**
 * The longest prefix of `fields` a layout can hold, from `at` bits; every bit run must close on an
 * octet boundary within 32 bits (binary-parser reads a run as one integer of at most 4 octets).
 */
function prefix(fields: FieldIR[], at: number, idPrefix: string): { fields: FixedField[]; end: number; complete: boolean } {
  const out: FixedField[] = [];
  let pos = at;
  let lastAligned = { count: 0, pos: at };
  for (const f of fields) {
    const ff = fixedField(f);
    if (!ff) return { fields: out.slice(0, lastAligned.count), end: lastAligned.pos, complete: false };
    if (ff.kind === 'bytes' && pos % 8 !== 0) return { fields: out.slice(0, lastAligned.count), end: lastAligned.pos, complete: false };
    if (pos - lastAligned.pos + ff.bits > 32 && ff.kind !== 'bytes') return { fields: out.slice(0, lastAligned.count), end: lastAligned.pos, complete: false };
    out.push({ id: idPrefix + f.id, filter: f.filter, kind: ff.kind, bitOffset: pos, bits: ff.bits });
    pos += ff.bits;
    if (pos % 8 === 0) lastAligned = { count: out.length, pos };
  }
  return { fields: out.slice(0, lastAligned.count), end: lastAligned.pos, complete: lastAligned.count === out.length };
}

/** A struct type's layout when all of it is fixed (a fixed IE, a header); undefined otherwise. */
export function structLayout(t: TypeIR): FixedLayout | undefined {
  if (t.kind !== 'struct' || t.protection) return undefined;
  const p = prefix(t.fields, 0, '');
  if (!p.complete || p.end === 0) return undefined;
  return { name: t.name, fields: p.fields, octets: p.end / 8 };
}

/**
 * The fixed prefix of a message: an L3 message's header, then its leading V IEs while their types
 * are fixed (a half-octet pair as one octet, the second IE in bits 8-5); a struct message's leading
 * fixed fields. Undefined when not even one octet is fixed.
 */
export function messagePrefixLayout(t: TypeIR): FixedLayout | undefined {
  if (t.kind === 'struct') {
    const p = prefix(t.fields, 0, '');
    return p.end ? { name: t.name, fields: p.fields, octets: p.end / 8 } : undefined;
  }
  if (t.kind !== 'l3') return undefined;
  const head = prefix(t.header, 0, '');
  if (!head.complete) return head.end ? { name: t.name, fields: head.fields, octets: head.end / 8 } : undefined;
  const fields = [...head.fields];
  let pos = head.end;
  for (const [first, second] of (t as L3MessageType).imperative) {
    // The first IE of a half-octet pair takes bits 4-1: the second comes first on the wire.
    const pair = second ? [second, first] : [first];
    if (pair.some((ie) => ie.format !== 'V' || ie.type?.().kind !== 'struct')) break;
    const parts = pair.map((ie) => ({ ie, t: ie.type!() }));
    const got: FixedField[] = [];
    let at = pos;
    let ok = true;
    for (const { ie, t: it } of parts) {
      const itFields = (it as { fields: FieldIR[] }).fields;
      const expected = ie.half ? 4 : undefined;
      // A half-octet IE ends at 4 bits, not on an octet boundary: its fields are taken as they are.
      const whole = ie.half ? undefined : prefix(itFields, at, `${ie.id}/`);
      const fieldsOf = ie.half ? halfFields(itFields, at, `${ie.id}/`) : whole!.complete ? whole!.fields : undefined;
      const size = fieldsOf?.reduce((s, f) => s + f.bits, 0);
      if (!fieldsOf || (expected !== undefined && size !== expected) || size === 0) {
        ok = false;
        break;
      }
      got.push(...fieldsOf);
      at += size!;
    }
    if (!ok || at % 8 !== 0) break;
    fields.push(...got);
    pos = at;
  }
  return { name: t.name, fields, octets: pos / 8 };
}

function halfFields(fields: FieldIR[], at: number, idPrefix: string): FixedField[] | undefined {
  const out: FixedField[] = [];
  let pos = at;
  for (const f of fields) {
    const ff = fixedField(f);
    if (!ff || ff.kind === 'bytes') return undefined;
    out.push({ id: idPrefix + f.id, filter: f.filter, kind: ff.kind, bitOffset: pos, bits: ff.bits });
    pos += ff.bits;
  }
  return out;
}

const { Parser } = createRequire(import.meta.url)('binary-parser') as ParserModule;
type Parser = InstanceType<ParserModule['Parser']>;

const BIT_METHODS = Array.from({ length: 33 }, (_, n) => `bit${n}`);

/** Compiles a layout: generated names only, integer options only, big-endian, a closing saveOffset. */
export function compileLayout(layout: FixedLayout): CompiledLayout {
  let p = new Parser().endianness('big');
  let runBits = 0;
  layout.fields.forEach((f, i) => {
    const name = `f${i}`;
    if (!Number.isInteger(f.bits) || f.bits < 1) throw new Error(`bad width ${f.bits}`);
    if (f.kind === 'bytes') {
      p = p.buffer(name, { length: f.bits / 8 });
      return;
    }
    if (runBits === 0 && f.bitOffset % 8 === 0 && (f.bits === 8 || f.bits === 16 || f.bits === 32)) {
      p = f.bits === 8 ? p.uint8(name) : f.bits === 16 ? p.uint16be(name) : p.uint32be(name);
      return;
    }
    const method = BIT_METHODS[f.bits] as `bit${1}`;
    p = (p[method] as (n: string) => Parser).call(p, name);
    runBits += f.bits;
    // A zero seek closes the bit run at the octet boundary (binary-parser groups adjacent bit fields).
    if (runBits % 8 === 0) {
      p = p.seek(0);
      runBits = 0;
    }
  });
  p = p.saveOffset('end');
  const parser = p;
  return {
    layout,
    parse(bytes) {
      const r = parser.parse(bytes) as Record<string, unknown>;
      const values = new Map<string, number | string>();
      layout.fields.forEach((f, i) => {
        const v = r[`f${i}`];
        values.set(f.id, v instanceof Uint8Array ? toHex(v) : (v as number));
      });
      return { values, end: r.end as number };
    },
  };
}

/** Every fixed struct type and every message prefix of a grammar, compiled. */
export function compileGrammar(ir: GrammarIR): { types: Map<string, CompiledLayout>; messages: Map<string, CompiledLayout> } {
  const types = new Map<string, CompiledLayout>();
  for (const [name, t] of ir.types) {
    const l = structLayout(t);
    if (l) types.set(name, compileLayout(l));
  }
  const messages = new Map<string, CompiledLayout>();
  for (const [name, t] of ir.messages) {
    const l = messagePrefixLayout(t);
    if (l?.octets) messages.set(name, compileLayout(l));
  }
  return { types, messages };
}
