/** What the code generators (scripts/gen-decoders.ts, scripts/gen-encoders.ts) write the same way. */
import type { DispatchType, GrammarIR, L3MessageType, StructType, SwitchField, TypeIR } from '../src/grammar/ir.js';

/** A property access for a value key. */
export const prop = (id: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(id) ? `.${id}` : `[${JSON.stringify(id)}]`);
export const str = (s: string) => JSON.stringify(s);
export const indent = (lines: string[], by = '  ') => lines.map((l) => by + l);
/** Cases beyond this many are looked up in a table rather than switched on. */
export const SWITCH_MAX = 16;

/** The function of each type of the grammar, named `prefix` and its place in the type table. */
export function typeNames(ir: GrammarIR, prefix: string): (t: TypeIR) => string {
  const names = new Map<TypeIR, string>();
  for (const t of ir.types.values()) names.set(t, `${prefix}${names.size}`);
  return (t) => {
    const name = names.get(t);
    if (!name) throw new Error(`${t.where}: type ${t.name} is not in the grammar's type table`);
    return name;
  };
}

/** The module-level constants the generated functions share (tables, links, codecs), in the order they are declared. */
export class ModuleConstants {
  readonly lines: string[] = [];
  private exprs = new Map<string, string>();

  /** A constant declared once however many functions use it. */
  declare(name: string, expr: string): string {
    const had = this.exprs.get(name);
    if (had !== undefined && had !== expr) throw new Error(`two constants named ${name}`);
    if (had === undefined) this.lines.push(`const ${name} = ${expr};`);
    this.exprs.set(name, expr);
    return name;
  }

  /** A table of the functions of cases by key (`fnType` their type), declared once. */
  caseTable(name: string, cases: Iterable<[number | string, () => TypeIR]>, fn: (t: TypeIR) => string, fnType: string, key: 'number' | 'string' = 'number'): string {
    const entries = [...cases].map(([k, t]) => `[${JSON.stringify(k)}, ${fn(t())}]`);
    return this.declare(name, `new Map<${key}, ${fnType}>([${entries.join(', ')}])`);
  }
}

/** A generator's code for the body of a type's function, by the type's kind. */
export interface TypeBodies {
  struct(t: StructType): string[];
  dispatch(t: DispatchType): string[];
  l3(t: L3MessageType): string[];
}

/**
 * Every type of the grammar as a function (`wrap` gives its whole text from its name and body) and the
 * exported table's line for it (`"type": name,` after `tableIndent`).
 */
export function typeFunctions(ir: GrammarIR, g: TypeBodies, fn: (t: TypeIR) => string, wrap: (name: string, body: string[], t: TypeIR) => string[], tableIndent: string) {
  const fns: string[] = [];
  const table: string[] = [];
  for (const [key, t] of ir.types) {
    const name = fn(t);
    fns.push(...wrap(name, t.kind === 'struct' ? g.struct(t) : t.kind === 'dispatch' ? g.dispatch(t) : g.l3(t), t));
    table.push(`${tableIndent}${str(key)}: ${name},`);
  }
  return { fns, table };
}

/** How a generator names what a switch's pick refers to. */
export interface PickNames {
  /** The code of an earlier integer field's value (undefined when it was not read or written). */
  val: (id: string) => string;
  /** The function of a type. */
  fn: (t: TypeIR) => string;
  /** A module-level table of case functions by key, the n-th of this field. */
  table: (cases: Map<number, () => TypeIR>, n: number) => string;
  /** A module-level constant for this field, by a name local to it. */
  local: (name: string, expr: string) => string;
}

/**
 * The statements that set `fn` to the function of a switch field's layout, as `switchCase` picks it
 * (an override first, while its field has one of its values; then the cases; then the default), and
 * hand the message over when none applies. `fnType` is the functions' type.
 */
export function switchPick(f: SwitchField, fnType: string, names: PickNames): string[] {
  let tables = 0;
  const pick = (cases: Map<number, () => TypeIR>) =>
    cases.size > SWITCH_MAX
      ? [`fn = ${names.table(cases, tables++)}.get(key);`]
      : ['switch (key) {', ...[...cases].flatMap(([k, t]) => [`  case ${k}:`, `    fn = ${names.fn(t())};`, '    break;']), '}'];
  const out = [`const key = ${names.val(f.on)};`, `let fn: ${fnType} | undefined;`, 'if (key !== undefined) {'];
  f.when.forEach((o, j) => {
    const values = names.local(`w${j}`, JSON.stringify(o.values));
    out.push(`  const w${j} = ${names.val(o.field)};`, `  if (fn === undefined && w${j} !== undefined && ${values}.includes(w${j})) {`, ...indent(pick(o.cases), '    '), '  }');
  });
  out.push(...indent(f.when.length ? ['if (fn === undefined) {', ...indent(pick(f.cases)), '}'] : pick(f.cases)), '}');
  out.push(f.default ? `fn ??= ${names.fn(f.default())};` : 'if (fn === undefined) bail();');
  return out;
}
