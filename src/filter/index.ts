/**
 * Display filters (`-Y`, the TUI filter bar): a subset of Wireshark's language, evaluated over the
 * field values `-T fields` renders. Pure: runs in a browser.
 *
 *   field                          presence (also protocols: `nas-eps`)
 *   field == 3   (eq any_eq)       some occurrence equals
 *   field != 3   (ne all_ne)       present and no occurrence equals: `field && !(field == 3)`,
 *                                  Wireshark ≥ 3.6 / 4.0 (before 3.6 it meant "any differs")
 *   field === 3  (all_eq)          present and every occurrence equals
 *   field !== 3  (any_ne)          some occurrence differs
 *   < > <= >=    (lt gt le ge)     some occurrence orders so
 *   field contains aa:bb / "txt"   some occurrence contains the bytes (at a byte boundary) or text
 *   field matches "re"  (~)        some occurrence matches; case-insensitive, JavaScript syntax
 *   field in {1, 0x55, 3..5}       some occurrence equals a member or lies in a range; commas required
 *   ! not   && and   || or   ( )   `!` negates the whole test after it: `!f == 1` is `!(f == 1)`;
 *                                  `&&` binds tighter than `||`
 *
 * Literals: decimal, 0x hex, "strings" (\" \\ \n \r \t \xHH escapes), byte strings (aa:bb:cc,
 * aa-bb, aa.bb, aabbcc) and bare words. A field value and a literal compare as integers when both
 * parse as integers ('0x07' == 7, '001' == 1), as bytes when the literal is a byte string and the
 * value is hex (case-insensitive), else as strings; a quoted literal always compares as a string.
 * The right-hand side is always a literal, never another field. An empty filter matches everything.
 */
import { compileNode, type FieldValues } from './evaluate.js';
import { parse, type FieldCatalogue, type Node } from './parser.js';

export { FilterError } from './errors.js';
export type { FieldCatalogue } from './parser.js';
export type { FieldValues } from './evaluate.js';

/** Throws a FilterError naming the offending column. */
export function compileFilter(text: string, catalogue: FieldCatalogue): (values: FieldValues) => boolean {
  if (text.trim() === '') return () => true;
  return compileNode(parse(text, catalogue));
}

/** The field names a filter reads (none for an empty filter); throws a FilterError as compileFilter does. */
export function filterFields(text: string, catalogue: FieldCatalogue): Set<string> {
  const names = new Set<string>();
  const visit = (n: Node): void => {
    if ('operands' in n) for (const o of n.operands) visit(o);
    else if (n.kind === 'not') visit(n.operand);
    else names.add(n.field);
  };
  if (text.trim() !== '') visit(parse(text, catalogue));
  return names;
}
