/**
 * Writes src/types/messages.ts: TypeScript types for every message, IE and struct of the grammars,
 * as the decoder gives values and the encoder takes them.
 *
 * - one interface per message (with `message: '<name>'`, the discriminant) and per struct type;
 * - a dispatch is a union of its cases (a keyed dispatch adds its key to each case);
 * - uint fields are numbers (wider than 52 bits: decimal strings), bytes are hex strings (text
 *   fields: the text), codec fields their codec's value, lists arrays, switches unions;
 * - optional IEs, conditional fields and spare bits are optional, and so are derived fields
 *   (lengths, counts, presence flags, constants): the encoder computes them when they are absent;
 * - per protocol, the union of the messages its root can hold; `MessageValue` is all of them.
 *
 * Deterministic (types in grammar order, names checked for collisions). test/library/generated.test.ts
 * regenerates it in memory and fails when the committed file differs.
 * Run: npm run generate (or npx tsx scripts/gen-types.ts)
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadGrammarDir } from '../src/grammar/load.js';
import { switchCases } from '../src/grammar/ir.js';
import type { DispatchType, FieldIR, GrammarIR, IEIR, L3MessageType, TypeIR } from '../src/grammar/ir.js';

export const TYPES_FILE = new URL('../src/types/messages.ts', import.meta.url);

/** TypeScript types of the values of the codec fields (src/codecs). */
const CODEC_TYPES: Record<string, string> = {
  bcd_identity: 'string',
  bcd_digits: 'string',
  plmn: 'Plmn',
  imsi_group_id: 'string',
};

/** Names the generated file declares itself; a grammar type may not take them. */
const RESERVED = new Set(['Raw', 'Plmn', 'ExtraIE', 'StructExtras', 'MessageExtras', 'MessageValue', 'MessageName', 'ProtocolMessages', 'ProtocolName', 'MessageByName']);

/** A dispatch's cases, with both layouts of keys that only the message direction tells apart. */
function dispatchCases(t: DispatchType): Array<[number, () => TypeIR]> {
  const byDirection = (t as DispatchType & { byDirection?: Map<number, { ul: () => TypeIR; dl: () => TypeIR }> }).byDirection;
  const both = [...(byDirection ?? [])].flatMap(
    ([k, d]): Array<[number, () => TypeIR]> => [
      [k, d.ul],
      [k, d.dl],
    ],
  );
  return [...t.cases, ...both];
}

const pascal = (name: string) => name.replace(/(^|[_-])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const quote = (s: string) => JSON.stringify(s);
const propName = (id: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(id) ? id : quote(id));

function docComment(lines: Array<string | undefined>, indent: string): string {
  const text = lines.filter((l): l is string => !!l).map((l) => l.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim());
  if (!text.length) return '';
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

class Generator {
  private names = new Map<TypeIR, string>();
  private reach = new Map<TypeIR, Set<string>>();

  constructor(private readonly ir: GrammarIR) {
    const taken = new Map<string, string>();
    for (const [name, t] of ir.types) {
      const ts = pascal(name);
      if (RESERVED.has(ts)) throw new Error(`grammar type "${name}" would be named ${ts}, which the generated file reserves`);
      const other = taken.get(ts);
      if (other) throw new Error(`grammar types "${other}" and "${name}" would both be named ${ts}`);
      taken.set(ts, name);
      this.names.set(t, ts);
    }
  }

  private nameOf(t: TypeIR): string {
    const n = this.names.get(t);
    if (!n) throw new Error(`type "${t.name}" is not in the grammar's type table`);
    return n;
  }

  /** Message names a type can be at the top (through dispatches only), as the encoder picks cases. */
  private messagesOf(t: TypeIR): Set<string> {
    let set = this.reach.get(t);
    if (set) return set;
    set = new Set();
    this.reach.set(t, set);
    if (t.kind === 'l3' || (t.kind === 'struct' && t.message)) set.add(t.name);
    if (t.kind === 'dispatch') for (const c of [...dispatchCases(t).map(([, c]) => c), ...(t.default ? [t.default] : [])]) for (const m of this.messagesOf(c())) set.add(m);
    return set;
  }

  /** A type with a property that must be given; an IE of a type without one may be left out. */
  private hasRequired(t: TypeIR, seen = new Set<TypeIR>()): boolean {
    if (t.kind !== 'struct') return true; // messages carry `message`, keyed dispatches their key
    if (t.message) return true;
    if (seen.has(t)) return false;
    seen.add(t);
    return t.fields.some((f) => !this.optional(f, t.fields, new Map()));
  }

  /** Derived or conditional: the decoder may leave it out and the encoder computes or skips it. */
  private optional(f: FieldIR, fields: FieldIR[], consts: ReadonlyMap<string, number>): boolean {
    if (f.presence.kind !== 'always' || f.kind === 'spare') return true;
    if (f.kind !== 'uint') return false;
    if (f.relation || f.constValue !== undefined || consts.has(f.id)) return true;
    return fields.some((g) => g.presence.kind === 'flag' && g.presence.field === f.id);
  }

  /** The TypeScript type of one field's value. */
  private fieldType(f: FieldIR): string {
    switch (f.kind) {
      case 'uint':
        return f.bits > 52 ? 'string' : 'number';
      case 'spare':
        return 'number';
      case 'bytes':
        return 'string';
      case 'codec':
        return CODEC_TYPES[f.codec] ?? 'unknown';
      case 'ref':
        return this.nameOf(f.type());
      case 'list': {
        const item = this.fieldType(f.item);
        return /^[A-Za-z0-9_]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'switch': {
        const cases = [...new Set(switchCases(f).map((c) => this.nameOf(c())))];
        return [...cases, 'Raw'].join(' | ');
      }
    }
  }

  private fieldDoc(f: FieldIR, consts: ReadonlyMap<string, number>): string[] {
    const lines: string[] = [f.label + (f.doc ? `: ${f.doc}` : '')];
    if (f.specRef) lines.push(`${f.specRef}.`);
    if (f.kind === 'uint') {
      const notes: string[] = [`${f.bits} bits`];
      if (f.enum) notes.push(`enum ${f.enum.name}`);
      if (f.constValue !== undefined) notes.push(`constant ${f.constValue}`);
      if (consts.has(f.id)) notes.push(`${consts.get(f.id)} (0x${consts.get(f.id)!.toString(16)}) for this message`);
      if (f.relation) notes.push(`${f.relation.kind.replace('_of', ' of')} ${f.relation.targets.join(', ')}: computed when absent`);
      if (f.bits > 52) notes.push('a decimal string');
      lines.push(`${notes.join('; ')}.`);
    }
    if (f.kind === 'bytes') lines.push(f.text ? `Text (${f.text}).` : `Hex octets${typeof f.size === 'number' ? ` (${f.size / 8})` : ''}.`);
    if (f.kind === 'spare') lines.push(`Spare (${f.bits === 'octet' ? 'to an octet boundary' : `${f.bits} bits`}, ${f.value}); given only when it differs.`);
    if (f.presence.kind === 'tail') lines.push('At the optional end of the type: absent once a field before it is.');
    if (f.presence.kind === 'flag') lines.push(`Present when ${f.presence.field} is set.`);
    if (f.presence.kind === 'in') lines.push(`Present when ${f.presence.field} is ${f.presence.values.join(', ')}.`);
    return lines;
  }

  private fieldLines(fields: FieldIR[], consts: ReadonlyMap<string, number>, payload?: string): string {
    let out = '';
    for (const f of fields) {
      const opt = this.optional(f, fields, consts) || (f.kind === 'uint' && consts.has(f.id));
      let type = this.fieldType(f);
      if (f.id === payload && f.kind !== 'bytes') type = `${type} | Raw`;
      out += docComment(this.fieldDoc(f, consts), '  ');
      out += `  ${propName(f.id)}${opt ? '?' : ''}: ${type};\n`;
    }
    return out;
  }

  private ieType(ie: IEIR): string {
    if (ie.format === 'T') return 'true';
    const t = ie.type!();
    // Where the grammar leaves a part undecoded, the IE keeps its octets instead.
    return this.reachesUndecoded(t) ? `${this.nameOf(t)} | Raw` : this.nameOf(t);
  }

  private undecodedReach = new Map<TypeIR, boolean>();

  /** Whether a value of the type can hold a part the grammar leaves undecoded (`undecoded:`), nested messages aside. */
  private reachesUndecoded(t: TypeIR): boolean {
    const known = this.undecodedReach.get(t);
    if (known !== undefined) return known;
    this.undecodedReach.set(t, false);
    const types = (f: FieldIR): TypeIR[] =>
      f.kind === 'ref' ? [f.type()] : f.kind === 'switch' ? [...f.cases.values(), ...(f.default ? [f.default] : [])].map((c) => c()) : f.kind === 'list' ? types(f.item) : [];
    const inner = t.kind === 'struct' ? t.fields.flatMap(types) : t.kind === 'dispatch' ? [...dispatchCases(t).map(([, c]) => c()), ...(t.default ? [t.default()] : [])] : [];
    const r = (t.kind === 'struct' && t.undecoded !== undefined) || inner.some((u) => u.kind !== 'l3' && !(u.kind === 'struct' && u.message) && this.reachesUndecoded(u));
    this.undecodedReach.set(t, r);
    return r;
  }

  private ieLines(t: L3MessageType): string {
    let out = '';
    for (const ie of t.ies) {
      const opt = ie.presence !== 'M' || ie.iei !== undefined || (ie.type !== undefined && !this.hasRequired(ie.type()));
      const where = [
        `${ie.format}`,
        ie.iei !== undefined ? `IEI 0x${ie.iei.toString(16).toUpperCase()}${ie.half ? '-' : ''}` : undefined,
        `${ie.minLen}${ie.maxLen === ie.minLen ? '' : `-${ie.maxLen ?? 'n'}`} octets`,
      ];
      out += docComment([`${ie.name} (${ie.presence}, ${where.filter(Boolean).join(', ')}).`, ie.specRef ? `${ie.specRef}.` : undefined], '  ');
      out += `  ${propName(ie.id)}${opt ? '?' : ''}: ${this.ieType(ie)};\n`;
    }
    return out;
  }

  private declaration(t: TypeIR): string {
    const name = this.nameOf(t);
    switch (t.kind) {
      case 'struct': {
        const extras = ['StructExtras'];
        let own = '';
        if (t.message) own += `  message: ${quote(t.name)};\n`;
        own += this.fieldLines(t.fields, new Map(), t.protection?.payload);
        if (t.protection) own += `  /** The payload's octets as on the wire when it was ciphered (decoded with keys, or to encode as is). */\n  _ciphered?: string;\n`;
        if (t.padTo) own += `  /** Padding octets, when not zero. */\n  _padding?: string;\n`;
        const undecoded = t.undecoded ? `Not decoded: ${t.undecoded}; the element holding it keeps its octets (\`_raw\`).` : undefined;
        const doc = docComment([t.label + (t.doc ? `: ${t.doc}` : '.'), t.specRef ? `${t.specRef}.` : undefined, undecoded, t.message ? `Message \`${t.name}\`.` : undefined], '');
        return `${doc}export interface ${name} extends ${extras.join(', ')} {\n${own}}\n`;
      }
      case 'l3': {
        let own = `  message: ${quote(t.name)};\n`;
        own += this.fieldLines(t.header, t.set);
        own += this.ieLines(t);
        const dir = t.direction ? `Direction: ${t.direction === 'both' ? 'both' : t.direction === 'dl' ? 'network to UE' : 'UE to network'}.` : undefined;
        const doc = docComment([t.label + (t.doc ? `: ${t.doc}` : '.'), t.specRef ? `${t.specRef}.` : undefined, dir, `Message \`${t.name}\`.`], '');
        return `${doc}export interface ${name} extends MessageExtras {\n${own}}\n`;
      }
      case 'dispatch': {
        const groups = new Map<TypeIR, number[]>();
        for (const [k, c] of dispatchCases(t)) groups.set(c(), [...(groups.get(c()) ?? []), k]);
        const parts: string[] = [];
        for (const [c, keys] of groups) parts.push(t.key ? `(${this.nameOf(c)} & { ${propName(t.key)}: ${keys.sort((a, b) => a - b).join(' | ')} })` : this.nameOf(c));
        if (t.default) {
          const d = t.default();
          const part = t.key ? `(${this.nameOf(d)} & { ${propName(t.key)}: number })` : this.nameOf(d);
          if (!parts.includes(part)) parts.push(part);
        }
        const doc = docComment([`${t.label}: one of its cases${t.key ? `, picked by \`${t.key}\`` : ', picked by `message`'}.`], '');
        return `${doc}export type ${name} =\n${[...new Set(parts)].map((p) => `  | ${p}`).join('\n')};\n`;
      }
    }
  }

  generate(): string {
    const out: string[] = [
      '// Generated by scripts/gen-types.ts from the grammars: do not edit. Run `npm run generate`.',
      '/* eslint-disable */',
      '/**',
      ' * Types of the values mtcgk decodes and encodes, one per message, IE and struct of the grammars.',
      ' * Optional properties are optional IEs, conditional fields, spare bits and derived fields (lengths,',
      ' * counts, presence flags, constants), which the encoder computes when they are absent.',
      ' * @module',
      ' */',
      '',
      '/** Octets the decoder could not interpret (a ciphered payload without its key, a switch with no layout), as hex. */',
      'export interface Raw {',
      '  _raw: string;',
      '  /** The length field as it was on the wire, when it disagreed. */',
      '  _length?: number;',
      '}',
      '',
      '/** A PLMN identity: MCC and MNC as digit strings. */',
      'export interface Plmn {',
      '  mcc: string;',
      '  mnc: string;',
      '}',
      '',
      '/** What any struct value may carry besides its fields, so that decode then encode gives the same octets. */',
      'export interface StructExtras {',
      '  /** Octets after the last field, as hex. */',
      '  _trailing?: string;',
      '  /** An IE length to write instead of the computed one (malformed on purpose). */',
      '  _length?: number;',
      '}',
      '',
      '/** An optional IE the grammar does not know, kept as it was. */',
      'export interface ExtraIE {',
      '  iei: number;',
      '  /** The whole IE (IEI, length, value), as hex. */',
      '  hex: string;',
      '}',
      '',
      '/** What a layer-3 message value may carry besides its IEs. */',
      'export interface MessageExtras extends StructExtras {',
      '  /** Unknown optional IEs, kept in order. */',
      '  _extra?: ExtraIE[];',
      '  /** The order of the optional IEs on the wire (`#N` for `_extra[N]`), when not the table order. */',
      '  _order?: string[];',
      '}',
      '',
    ];
    for (const t of this.ir.types.values()) out.push(this.declaration(t));
    const protocols = [...this.ir.protocols.values()];
    const unions: string[] = [];
    for (const p of protocols) {
      const root = this.ir.types.get(p.root)!;
      const messages = [...this.messagesOf(root)].map((m) => this.nameOf(this.ir.messages.get(m)!));
      const name = `Any${pascal(p.name)}Message`;
      if ([...this.names.values()].includes(name) || RESERVED.has(name)) throw new Error(`protocol union ${name} collides with a type name`);
      unions.push(name);
      out.push(`/** Every message of protocol \`${p.name}\` (${p.label}), discriminated by \`message\`. */\nexport type ${name} =\n${messages.map((m) => `  | ${m}`).join('\n')};\n`);
    }
    out.push(
      `/** The messages of each protocol, by protocol name (the \`protocol\` argument of decode and encode). */\nexport interface ProtocolMessages {\n${protocols.map((p, i) => `  ${quote(p.name)}: ${unions[i]};\n`).join('')}}\n`,
    );
    out.push('/** A protocol the grammars define. */\nexport type ProtocolName = keyof ProtocolMessages;\n');
    out.push(`/** Any message of any protocol. */\nexport type MessageValue = ProtocolMessages[ProtocolName];\n`);
    out.push(`/** The name of any message. */\nexport type MessageName = MessageValue['message'];\n`);
    out.push(`/** The value type of a message by its name: \`MessageByName<'attach_accept'>\`. */\nexport type MessageByName<N extends MessageName> = Extract<MessageValue, { message: N }>;\n`);
    return out.join('\n');
  }
}

/** The text of src/types/messages.ts for a grammar (default: the YAML files under grammars/). */
export function generateTypes(ir: GrammarIR = loadGrammarDir()): string {
  return new Generator(ir).generate();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(TYPES_FILE, generateTypes());
  console.log(`wrote ${TYPES_FILE.pathname}`);
}
