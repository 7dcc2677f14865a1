/**
 * Writes src/engine/bundled-decoders.ts: every type of the bundled grammars as a straight-line
 * function, ahead of time, for the compiled decoder.
 *
 * Each function does what CompiledDecoder's closures do for its type (listPlan gives both the same
 * steps), unrolled: presence tests, integer and spare reads (fixed-width fields in a row at once),
 * octet strings, nested types in their windows, lists, switches and dispatch cases are inlined with
 * their constants, types call each other directly, and a message's IEs go through readers shared by
 * the IEs read the same way. Codecs, protected payloads, integers wider than 52 bits and list items
 * sized by a relation call the closure compiler's own decoders (ListLink). The code is TypeScript in
 * the package: nothing is evaluated at run time. It is made from the bundled grammars as the library
 * builds them; test/library/generated.test.ts fails when the file is stale, and
 * test/engine/compiled.test.ts runs it against the closures and the dissector.
 * Run: npm run generate (or npx tsx scripts/gen-decoders.ts)
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { KEEP, listPlan, type ListPlan, type Step } from '../src/engine/compile.js';
import { AUDITED_KEYS } from '../src/groupkeys/audit.js';
import { MAX_NESTING } from '../src/engine/dissect.js';
import type { DispatchType, FieldIR, GrammarIR, IEIR, L3MessageType, ProtectionIR, StructType, TypeIR } from '../src/grammar/ir.js';
import { defaultGrammar } from '../src/grammar/default.js';
import { ieiIndex, layoutOf, relationOf } from '../src/grammar/reach.js';
import { indent, prop, str, SWITCH_MAX, ModuleConstants, switchPick, type TypeBodies, typeFunctions, typeNames } from './codegen.js';

export const DECODERS_FILE = new URL('../src/engine/bundled-decoders.ts', import.meta.url);

/** The read function for a field of `bits` (a spare field to an octet boundary is at most 7). */
const reader = (bits: number) => (bits <= 8 ? 'readSmall' : 'read');

/** The bits at `off` of the octets from `b[o]` on, with constant shifts; undefined past what one number op holds. */
function alignedBits(off: number, bits: number): string | undefined {
  const first = off >> 3;
  const n = ((off + bits - 1) >> 3) - first + 1;
  const octets = Array.from({ length: n }, (_, k) => `b[o + ${first + k}]`);
  const tail = 8 * n - (off & 7) - bits;
  if (n === 4 && tail === 0 && bits === 32) return `${octets[0]} * 16777216 + ((${octets[1]} << 16) | (${octets[2]} << 8) | ${octets[3]})`;
  if (n > 3) return undefined;
  const joined = n === 1 ? octets[0] : `(${octets.map((x, k) => (k < n - 1 ? `(${x} << ${8 * (n - 1 - k)})` : x)).join(' | ')})`;
  const shifted = tail ? `(${joined} >> ${tail})` : joined;
  return bits === 8 * n ? shifted : `${shifted} & ${2 ** bits - 1}`;
}

/**
 * The runs of always-present fixed-width integer and spare fields (2 or more, at most 32 bits each)
 * that no audit looks at, by the index of their first step.
 */
function bitRuns(steps: Step[], defs: FieldIR[], audits: ReadonlySet<string>): Map<number, Array<{ step: Step; bits: number; off: number }>> {
  const runs = new Map<number, Array<{ step: Step; bits: number; off: number }>>();
  let run: Array<{ step: Step; bits: number; off: number }> = [];
  let first = 0;
  const close = () => {
    if (run.length >= 2) runs.set(first, run);
    run = [];
  };
  steps.forEach((s, k) => {
    const f = defs[s.i];
    const bits = (f.kind === 'uint' || f.kind === 'spare') && typeof f.bits === 'number' ? f.bits : 0;
    if (!bits || bits > 32 || s.presence !== 'always' || s.toOctet || s.payload || s.semi || audits.has(s.id)) return close();
    if (!run.length) first = k;
    const last = run.at(-1);
    run.push({ step: s, bits, off: last ? last.off + last.bits : 0 });
  });
  close();
  return runs;
}

/** What the code of one field list shares: its fields, where values and starts are kept, link constants, origin. */
interface ListCtx {
  defs: FieldIR[];
  /** Where a field's integer value and start are kept: the frame's arrays, or locals. */
  val: (i: number) => string;
  start: (i: number) => string;
  tracked: (i: number) => boolean;
  local: (name: string, expr: string) => string;
  link: string;
  origin: () => string;
}

class Generator implements TypeBodies {
  /** Module-level constants the functions share (links, tables, codecs). */
  private head = new ModuleConstants();
  /** The function of a type. */
  private fn: (t: TypeIR) => string;

  constructor(
    private ir: GrammarIR,
    /** The value keys a decoder may be asked to hand over (bailOn): only they are checked. */
    private audits: ReadonlySet<string>,
  ) {
    this.fn = typeNames(ir, 't');
  }

  generate(): string {
    // As the closures' slot: the nesting depth is checked before anything else.
    const wrap = (name: string, body: string[]) => [`function ${name}(c: Cursor, env: Env): unknown {`, `  if (env.depth >= ${MAX_NESTING}) broken();`, '  env.depth++;', ...indent(body), '}'];
    const { fns, table } = typeFunctions(this.ir, this, this.fn, wrap, '    ');
    for (const [body, name] of this.ieReaders) fns.push(`function ${name}(c: Cursor, env: Env): unknown {`, ...indent(body.split('\n')), '}');
    return `// Generated by scripts/gen-decoders.ts from the bundled grammars (grammars/**/*.yaml): do not edit. Run \`npm run generate\`.
/* eslint-disable */
import { bitsAt, toOctet } from './bits.js';
import { octetsValue, padding, relatedBits } from './compile.js';
import { isEmpty } from './format.js';
import { bail, broken, type Cursor, type Env, type Frame, type GeneratedTypes, type Obj, read, readSmall, type TypeFn, type TypeLink } from './cursor.js';
import { ieField } from '../grammar/reach.js';

const NONE: never[] = [];

/** The bundled grammars' types as functions; they check only these keys for a hand-over. */
export const bundledDecoders: GeneratedTypes = { audited: new Set(${JSON.stringify([...this.audits])}), make: bundledTypes };

/** The types of the bundled grammars as functions, by type name, linked to the closure compiler. */
function bundledTypes(link: TypeLink): Record<string, (c: Cursor, env: Env) => unknown> {
${indent(this.head.lines).join('\n')}
${indent(fns).join('\n')}
  return {
${table.join('\n')}
  };
}
`;
  }

  /** The statements that leave a type's function with `value`. */
  private done(v = 'value'): string[] {
    return ['env.depth--;', `return ${v};`];
  }

  struct(t: StructType): string[] {
    // A part left undecoded: the dissector keeps the enclosing element's octets and notes it.
    if (t.undecoded) return ['return bail();'];
    const link = this.linkOf(t);
    const out = [`const value: Obj = ${t.message ? `{ message: ${str(t.name)} }` : '{}'};`];
    if (t.padTo) out.push('const start = c.pos;');
    if (t.message) out.push('env.enclosing.push(value);');
    out.push(...this.list(link, t.fields, new Map(), t.protection));
    if (t.message) out.push('env.enclosing.pop();');
    if (t.padTo) out.push(`padding(c, start, ${t.padTo.bits}, value);`);
    return [...out, ...this.done()];
  }

  dispatch(t: DispatchType): string[] {
    const out: string[] = [`if (c.end - c.pos < ${t.peekOffset + t.peekBits}) broken();`];
    if (t.on) out.push(`const key = ieField(env.enclosing.at(-1), ${this.head.declare(`on${this.fn(t).slice(1)}`, JSON.stringify(t.on))}) ?? -1;`);
    else out.push(`const key = bitsAt(c.bytes, c.pos + ${t.peekOffset}, ${t.peekBits});`);
    // A default case is an unknown value the dissector flags, unless the grammar says it is quiet.
    const fallback = t.quietDefault && t.default ? `${this.fn(t.default())}(c, env)` : 'broken()';
    const keys = new Set([...t.cases.keys(), ...t.byDirection.keys()]);
    if (keys.size > SWITCH_MAX) {
      // Many cases: a table made once (a long switch costs more to load than the lookup does to run).
      out.push(`let fn = ${this.table(`d${this.fn(t).slice(1)}`, t.cases)}.get(key);`);
      for (const [k, d] of t.byDirection) out.push(`if (key === ${k}) fn = ${this.byDirection(d, 'fn')};`);
      out.push(`const value = fn ? fn(c, env) : ${fallback};`);
    } else {
      out.push('let value: unknown;', 'switch (key) {');
      for (const k of keys) {
        const plain = t.cases.get(k);
        const other = plain ? `${this.fn(plain())}(c, env)` : fallback;
        const d = t.byDirection.get(k);
        if (d) out.push(`  case ${k}: {`, `    const fn = ${this.byDirection(d, undefined)};`, `    value = fn ? fn(c, env) : ${other};`, '    break;', '  }');
        else out.push(`  case ${k}:`, `    value = ${other};`, '    break;');
      }
      out.push('  default:', `    value = ${fallback};`, '}');
    }
    if (t.key) out.push(`if (value && typeof value === 'object' && !(${str(t.key)} in value)) (value as Obj)${prop(t.key)} = key;`);
    return [...out, ...this.done()];
  }

  l3(t: L3MessageType): string[] {
    const link = this.linkOf(t);
    const out = [`const value: Obj = { message: ${str(t.name)} };`, 'env.enclosing.push(value);', ...this.list(link, t.header, t.set)];
    for (const [ie, second] of t.imperative) {
      if (!second) out.push(...this.ie(ie));
      else out.push('if (c.end - c.pos < 8) broken();', ...this.halfIe(second), ...this.halfIe(ie));
    }
    if (t.optional.length) {
      // The non-imperative part: IEs by IEI, in table order; anything else is for the dissector to show.
      out.push('let last = -1;', 'let shuffled = false;', 'const order: string[] = [];', 'while (c.end - c.pos >= 8) {', '  switch (c.bytes[c.pos >> 3]) {');
      const iei = ieiIndex(t.optional);
      t.optional.forEach((ie, idx) => {
        const octets = [...iei.keys()].filter((o) => iei[o] === idx);
        if (!octets.length) return;
        out.push(
          ...indent(
            octets.map((o) => `case ${o}:`),
            '    ',
          ),
          '    {',
        );
        // Repeated: the dissector shows it and keeps its octets.
        out.push(
          ...indent([`if (${str(ie.id)} in value) bail();`, `if (${idx} <= last) shuffled = true;`, `else last = ${idx};`, ...this.ie(ie), `order.push(${str(ie.id)});`, 'break;'], '      '),
          '    }',
        );
      });
      out.push('    default:', '      bail();', '  }', '}', '// Out of table order: the order is kept so that the message re-encodes as it came.', 'if (shuffled) value._order = order;');
    } else out.push('// No IE follows: an octet more is for the dissector to show.', 'if (c.end - c.pos >= 8) bail();');
    out.push('env.enclosing.pop();');
    return [...out, ...this.done()];
  }

  /**
   * The function of a key two messages share, by the link direction: `otherwise` (a function, or
   * undefined for the dispatch's fallback) for a direction that is neither 'ul' nor 'dl'.
   */
  private byDirection(d: { ul: () => TypeIR; dl: () => TypeIR }, otherwise: string | undefined): string {
    return `env.direction === 'ul' ? ${this.fn(d.ul())} : env.direction === 'dl' ? ${this.fn(d.dl())} : ${otherwise ?? 'undefined'}`;
  }

  /** A module-level table of the functions of cases, by key. */
  private table(name: string, cases: Map<number, () => TypeIR>): string {
    return this.head.caseTable(name, cases, this.fn, 'TypeFn');
  }

  /** A link constant naming what the closures give this type. */
  private linkOf(t: TypeIR): string {
    return this.head.declare(`k${this.fn(t).slice(1)}`, `link.list(${str(t.name)})`);
  }

  /** IE readers by their body. */
  private ieReaders = new Map<string, string>();

  /** Joins an IE's value to the message's (an audited key hands the message over). */
  private set(ie: IEIR, v: string): string[] {
    const audited = this.audits.has(ie.id) ? [`if (${this.head.declare(`au_${ie.id.replace(/\W/g, '_')}`, `link.audited(${str(ie.id)})`)}) bail();`] : [];
    return [...audited, `value${prop(ie.id)} = ${v};`];
  }

  /** One half of an octet shared by two IEs: 4 bits, joined unless empty. */
  private halfIe(ie: IEIR): string[] {
    return ['{', ...indent([...this.half(ie, 'const v'), 'if (!isEmpty(v)) {', ...indent(this.set(ie, 'v')), '}']), '}'];
  }

  /** An IE's value type read from the next 4 bits (a half octet) into `target`. */
  private half(ie: IEIR, target: string): string[] {
    return ['const e = c.end;', 'const at = c.pos;', 'c.end = at + 4;', `${target} = ${this.fn(ie.type!())}(c, env);`, 'c.end = e;', 'c.pos = at + 4;'];
  }

  /** One IE of any format; its value joins the message value unless it is a mandatory empty one. */
  private ie(ie: IEIR): string[] {
    // A mandatory IE whose fields are all absent stays out (T and half-octet IEs with an IEI always join).
    const always = ie.presence !== 'M' || ie.format === 'T' || (ie.iei !== undefined && ie.half);
    const keep = always ? this.set(ie, 'v') : ['if (!isEmpty(v)) {', ...indent(this.set(ie, 'v')), '}'];
    return ['{', `  const v = ${this.ieReader(ie)}(c, env);`, ...indent(keep), '}'];
  }

  /** The function reading an IE's octets into its value; IEs read the same way share one. */
  private ieReader(ie: IEIR): string {
    const { format, half, minLen, maxLen, lengthBits } = ie;
    const hasIei = ie.iei !== undefined;
    let body: string[];
    if (hasIei && half) {
      const head = ['if (c.end - c.pos < 8) broken();', 'c.pos += 4;'];
      body = format === 'T' ? [...head, 'c.pos += 4;', 'return true;'] : [...head, ...this.half(ie, 'const v'), 'return v;'];
    } else {
      body = hasIei ? ['readSmall(c, 8);'] : [];
      if (format === 'T') body.push('return true;');
      else if (!lengthBits) body.push(`return ${this.fn(ie.type!())}(c, env);`);
      else {
        const extra = lengthBits / 8 + (hasIei ? 1 : 0);
        const range = [`len + ${extra} < ${minLen}`, ...(maxLen !== undefined ? [`len + ${extra} > ${maxLen}`] : [])].join(' || ');
        body.push(
          `const len = ${reader(lengthBits)}(c, ${lengthBits});`,
          'if (len * 8 > c.end - c.pos) broken();',
          `if (${range}) bail();`,
          'const e = c.end;',
          'const w = c.pos + len * 8;',
          'c.end = w;',
          `const v = ${this.fn(ie.type!())}(c, env);`,
          'if (c.pos < w) bail();',
          'c.end = e;',
          'return v;',
        );
      }
    }
    const text = body.join('\n');
    let name = this.ieReaders.get(text);
    if (!name) this.ieReaders.set(text, (name = `ie${this.ieReaders.size}`));
    return name;
  }

  /**
   * The code that reads field `f` (at `i` in its list; -1: a list's item) into `target`, or undefined
   * when the closure compiler's decoder of the field is called instead.
   */
  private value(f: FieldIR, i: number, target: string, ctx: ListCtx): string[] | undefined {
    const related = () => {
      if (i < 0) throw new Error(`${f.where}: a list item sized by a relation`);
      const { at, rel, targets } = relationOf(f, layoutOf(ctx.defs));
      // The span's earlier targets that are present took their part of the length already.
      const starts = targets.filter((t) => t >= 0 && ctx.tracked(t)).map((t) => `${ctx.start(t)} ?? Infinity`);
      const span = starts.length === 0 ? 'Infinity' : starts.length === 1 ? starts[0] : `Math.min(${starts.join(', ')})`;
      return `relatedBits(c, ${ctx.val(at)}, ${rel.adjust}, ${rel.unitBits}, ${span})`;
    };
    // A nested window: it must be used up, and the enclosing one comes back.
    const windowed = (bits: string, body: string[]) => [
      '{',
      '  const e = c.end;',
      `  const w = Math.min(e, c.pos + ${bits});`,
      '  c.end = w;',
      ...indent(body),
      '  if (c.pos < w) bail();',
      '  c.end = e;',
      '}',
    ];
    switch (f.kind) {
      case 'uint':
        return f.bits <= 52 ? [`${target} = ${reader(f.bits)}(c, ${f.bits});`] : undefined;
      case 'spare':
        return [`${target} = ${reader(f.bits === 'octet' ? 8 : f.bits)}(c, ${f.bits === 'octet' ? `toOctet(${ctx.origin()}, c.pos)` : f.bits});`];
      case 'bytes': {
        if (f.size === 'related' && i < 0) return undefined;
        const bits = f.size === 'rest' ? 'c.end - c.pos' : f.size === 'related' ? related() : String(f.size);
        return [`${target} = octetsValue(c, env, ${bits}, ${f.text ? str(f.text) : 'undefined'});`];
      }
      case 'ref': {
        if (f.lengthFrom && i < 0) return undefined;
        const call = [`${target} = ${this.fn(f.type())}(c, env);`];
        if (f.lengthFrom) return windowed(related(), call);
        // A window to the end of the enclosing one must be used up.
        return f.rest ? [...call, 'if (c.pos < c.end) bail();'] : call;
      }
      case 'list': {
        if (i < 0) return undefined;
        const item = this.value(f.item, -1, 'x', ctx);
        if (!item) return undefined;
        const out = ['const items: unknown[] = [];'];
        if (f.bound === 'count') {
          const { at, rel } = relationOf(f, layoutOf(ctx.defs));
          out.push(`const count = ${ctx.val(at)};`, 'if (count === undefined) bail();', `const n = Math.max(0, count! ${rel.adjust < 0 ? '+' : '-'} ${Math.abs(rel.adjust)});`);
        }
        const loop =
          f.bound === 'count'
            ? ['while (items.length < n) {', '  let x: unknown;', ...indent(item), '  items.push(x);', '}']
            : ['while (c.pos < c.end) {', '  const at = c.pos;', '  let x: unknown;', ...indent(item), '  items.push(x);', '  if (c.pos === at) bail();', '}'];
        out.push(...(f.bound === 'length' ? windowed(related(), loop) : f.bound === 'rest' ? [...loop, 'if (c.pos < c.end) bail();'] : loop));
        const range = [...(f.minItems > 0 ? [`items.length < ${f.minItems}`] : []), ...(f.maxItems !== undefined ? [`items.length > ${f.maxItems}`] : [])].join(' || ');
        if (range) out.push(`if (${range}) bail();`);
        out.push(`${target} = items;`);
        return ['{', ...indent(out), '}'];
      }
      case 'switch': {
        if (i < 0) return undefined;
        const index = (id: string) => layoutOf(ctx.defs).index.get(id)!;
        const out = switchPick(f, 'TypeFn', {
          val: (id) => ctx.val(index(id)),
          fn: (t) => this.fn(t),
          table: (cases, n) => this.table(`${ctx.link}_c${i}_${n}`, cases),
          local: (name, expr) => ctx.local(`sw${i}_${name}`, expr),
        });
        const call = [`${target} = fn!(c, env);`];
        out.push(...(f.lengthFrom ? windowed(related(), call) : call));
        return ['{', ...indent(out), '}'];
      }
      default:
        return undefined;
    }
  }

  /**
   * Fixed-width fields in a row, read at once: one bounds check, then each field's bits from the
   * octets, with constant shifts when the run starts on an octet boundary (most do). Nothing between
   * them can hand the message over, so running out of bits anywhere in the run is the same outcome
   * as the closures' field by field.
   */
  private run(run: Array<{ step: Step; bits: number; off: number }>, after: (s: Step) => string[], ctx: ListCtx): string[] {
    const total = run.at(-1)!.off + run.at(-1)!.bits;
    const out = ['const p = c.pos;', `if (c.end - p < ${total}) broken();`, `c.pos = p + ${total};`, 'const b = c.bytes;', 'const o = p >> 3;', 'const aligned = (p & 7) === 0;'];
    for (const { step, bits, off } of run) {
      if (step.start) out.push(`${ctx.start(step.i)} = p + ${off};`);
      const fast = alignedBits(off, bits);
      out.push(`v = ${fast ? `aligned ? ${fast} : ` : ''}bitsAt(b, p + ${off}, ${bits});`, ...after(step));
    }
    return ['{', ...indent(out), '}'];
  }

  /** A field list unrolled into `value` (the closure loop of CompiledDecoder.fieldList). */
  private list(link: string, defs: FieldIR[], consts: Map<string, number>, protection?: ProtectionIR): string[] {
    const plan = listPlan(defs, consts, protection);
    // Values and starts in locals, unless a closure's decoder needs the frame.
    return this.listIn(link, defs, plan, protection, true) ?? this.listIn(link, defs, plan, protection, false)!;
  }

  /** The code of a field list keeping values and starts in locals or in the frame; undefined when locals cannot do. */
  private listIn(link: string, defs: FieldIR[], plan: ListPlan, protection: ProtectionIR | undefined, locals: boolean): string[] | undefined {
    const uses = { fr: !locals && plan.stateful, origin: false, v: false, frameWanted: false };
    const frame = () => ((uses.frameWanted = true), (uses.fr = true), 'fr');
    const local = (name: string, expr: string) => this.head.declare(`${link}_${name}`, expr);
    const ctx: ListCtx = {
      defs,
      val: (i) => (locals ? `val${i}` : `${frame()}.vals[${i}]`),
      start: (i) => (locals ? `start${i}` : `${frame()}.starts[${i}]`),
      tracked: (i) => plan.steps[i].start,
      local,
      link,
      origin: () => ((uses.origin = true), 'origin'),
    };
    const body: string[] = [];
    /** What follows a field's read: the value kept for later fields, joined to the struct's. */
    const after = (s: Step): string[] => {
      const lines: string[] = [];
      uses.v = true;
      if (s.val) lines.push(`${ctx.val(s.i)} = v as number;`);
      if (s.presence === 'tail') lines.push(`lastTail = ${s.i};`, 'lastTailValue = v;');
      if (s.keep !== KEEP.never) {
        const keep = [...(this.audits.has(s.id) ? [`if (${local(`a${s.i}`, `${link}.audited(${s.i})`)}) bail();`] : []), `value${prop(s.id)} = v;`];
        if (s.keep === KEEP.always) lines.push(...keep);
        else lines.push(`if (v !== ${s.expected}) {`, ...indent(keep), '}');
      }
      if (s.semi) lines.push(`${local(`s${s.i}`, `${link}.semi(${s.i})`)}(c, ${frame()}, value);`);
      return lines;
    };
    const runs = bitRuns(plan.steps, defs, this.audits);
    for (let k = 0; k < plan.steps.length; k++) {
      const s = plan.steps[k];
      const f = defs[s.i];
      const i = s.i;
      const run = runs.get(k);
      if (run) {
        body.push(`// ${run.map((r) => r.step.id).join(', ')}: bits read at once`, ...this.run(run, after, ctx));
        k += run.length - 1;
        continue;
      }
      const lines: string[] = [];
      if (s.start) lines.push(`${ctx.start(i)} = c.pos;`);
      const read = s.payload ? undefined : this.value(f, i, 'v', ctx);
      if (read) lines.push(...read);
      else lines.push(`${s.payload ? '' : 'v = '}${local(`f${i}`, `${link}.field(${i})`)}(c, env, ${frame()});`);
      if (!s.payload) lines.push(...after(s));
      // The guards, innermost first: an octet's spare bits, then the field's presence.
      let guarded = lines;
      const wrap = (test: string, orElse?: string) => {
        guarded = [`if (${test}) {`, ...indent(guarded), orElse ? `} else ${orElse}` : '}'];
      };
      if (s.toOctet) {
        uses.origin = true;
        wrap('toOctet(origin, c.pos) !== 0');
      }
      if (s.presence === 'flag') wrap(ctx.val(s.on));
      if (s.presence === 'in') wrap(`${local(`in${i}`, JSON.stringify(s.values))}.includes(${ctx.val(s.on)} ?? -1)`);
      if (s.presence === 'tail') wrap(`!cut && c.end - c.pos >= ${s.need}`, 'cut = true;');
      body.push(`// ${f.id}: ${f.kind}`, ...guarded);
    }
    const tail: string[] = [];
    if (plan.tails) tail.push(`${link}.tailJoins(value, lastTail, lastTailValue);`);
    if (protection) tail.push(`if (${frame()}.closing) for (const k of fr.closing!) k();`);
    for (const k of plan.kept) {
      const absent = k.targets.map((t) => `!(${str(t)} in value)`);
      tail.push(`if (${[`${ctx.val(k.i)} !== undefined`, ...absent].join(' && ')}) value${prop(k.id)} = ${ctx.val(k.i)};`);
    }
    if (locals && uses.frameWanted) return undefined;
    const n = defs.length;
    const start: string[] = [];
    if (locals) for (const s of plan.steps) start.push(...(s.val ? [`let val${s.i}: number | undefined;`] : []), ...(s.start ? [`let start${s.i}: number | undefined;`] : []));
    if (uses.fr) start.push(`const fr: Frame = ${plan.stateful ? `{ vals: new Array(${n}), starts: new Array(${n}), value, origin: c.pos }` : '{ vals: NONE, starts: NONE, value, origin: c.pos }'};`);
    if (uses.origin) start.push(uses.fr ? 'const origin = fr.origin;' : 'const origin = c.pos;');
    if (uses.v) start.push('let v: unknown;');
    if (plan.tails) start.push('let cut = false;', 'let lastTail = -1;', 'let lastTailValue: unknown;');
    // In a block of its own: a message's header and its IEs share the function.
    return ['{', ...indent([...start, ...body, ...tail]), '}'];
  }
}

/** The code for `ir`: by default the bundled grammars as the library builds them (src/grammar/bundled.ts). */
export function generateDecoders(ir: GrammarIR = defaultGrammar()): string {
  return new Generator(ir, AUDITED_KEYS).generate();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DECODERS_FILE, generateDecoders());
  console.log(`wrote ${DECODERS_FILE.pathname}`);
}
