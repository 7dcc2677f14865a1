/**
 * Every field of the IR gets the same set of properties in the same order (absent ones undefined), so
 * that the faces that walk fields (the dissector above all) load `f.kind`, `f.presence`, `f.id` from
 * objects of one shape instead of dozens: the property loads stay monomorphic. Run once, when the
 * grammar is built; the fields are replaced in the arrays that hold them.
 */
import type { FieldIR, GrammarIR } from './ir.js';

export function canonicalFieldShapes(ir: GrammarIR): void {
  const arrays: FieldIR[][] = [];
  for (const t of ir.types.values()) {
    if (t.kind === 'struct') arrays.push(t.fields);
    if (t.kind === 'l3') arrays.push(t.header);
  }
  const keys = new Set<string>();
  const collect = (f: FieldIR): void => {
    for (const k of Object.keys(f)) keys.add(k);
    if (f.kind === 'list') collect(f.item);
  };
  for (const a of arrays) a.forEach(collect);
  // Copies of one template share its shape; storing into properties it has keeps that shape.
  const template = Object.fromEntries([...keys].sort().map((k) => [k, undefined]));
  const done = new Map<FieldIR, FieldIR>();
  const canonical = (f: FieldIR): FieldIR => {
    let c = done.get(f);
    if (c) return c;
    const o: Record<string, unknown> = { ...template };
    for (const k of Object.keys(f)) o[k] = (f as unknown as Record<string, unknown>)[k];
    if (f.kind === 'list') o.item = canonical(f.item);
    c = o as unknown as FieldIR;
    done.set(f, c);
    return c;
  };
  for (const a of arrays) for (let i = 0; i < a.length; i++) a[i] = canonical(a[i]);
}
