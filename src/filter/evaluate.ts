/** Turns a parsed filter into a predicate over one packet's field values. */
import { RE2JS } from 're2js';
import { FilterError, quote } from './errors.js';
import type { Node, Relation } from './parser.js';
import { compare, contains, operand } from './values.js';

/** Every occurrence of each field in one packet, rendered as `-T fields` does; a present protocol maps to ['']. */
export type FieldValues = ReadonlyMap<string, readonly string[]>;
export type Predicate = (values: FieldValues) => boolean;

type Occurrences = readonly string[];
// "all" relations need at least one occurrence: like Wireshark, a test on an absent field is false.
const RELATIONS: Record<Relation, (vs: Occurrences, cmp: (v: string) => number) => boolean> = {
  eq: (vs, cmp) => vs.some((v) => cmp(v) === 0),
  ne: (vs, cmp) => vs.length > 0 && vs.every((v) => cmp(v) !== 0),
  all_eq: (vs, cmp) => vs.length > 0 && vs.every((v) => cmp(v) === 0),
  any_ne: (vs, cmp) => vs.some((v) => cmp(v) !== 0),
  lt: (vs, cmp) => vs.some((v) => cmp(v) < 0),
  gt: (vs, cmp) => vs.some((v) => cmp(v) > 0),
  le: (vs, cmp) => vs.some((v) => cmp(v) <= 0),
  ge: (vs, cmp) => vs.some((v) => cmp(v) >= 0),
};

const NONE: Occurrences = [];

/** Throws a FilterError for an invalid regular expression. */
export function compileNode(node: Node): Predicate {
  switch (node.kind) {
    case 'and': {
      const ps = node.operands.map(compileNode);
      return (values) => ps.every((p) => p(values));
    }
    case 'or': {
      const ps = node.operands.map(compileNode);
      return (values) => ps.some((p) => p(values));
    }
    case 'not': {
      const p = compileNode(node.operand);
      return (values) => !p(values);
    }
    case 'exists':
      return (values) => (values.get(node.field) ?? NONE).length > 0;
    case 'compare': {
      const o = operand(node.literal);
      const test = RELATIONS[node.relation];
      return (values) => test(values.get(node.field) ?? NONE, (v) => compare(v, o));
    }
    case 'contains': {
      const o = operand(node.literal);
      return (values) => (values.get(node.field) ?? NONE).some((v) => contains(v, o));
    }
    case 'matches': {
      const re = regex(node.literal.text, node.literal.column);
      return (values) => (values.get(node.field) ?? NONE).some((v) => re.test(v));
    }
    case 'in': {
      const members = node.members.map((m) => ({ lo: operand(m.lo), hi: m.hi && operand(m.hi) }));
      const hit = (v: string) => members.some(({ lo, hi }) => (hi ? compare(v, lo) >= 0 && compare(v, hi) <= 0 : compare(v, lo) === 0));
      return (values) => (values.get(node.field) ?? NONE).some(hit);
    }
  }
}

/**
 * Case-insensitive like Wireshark's PCRE2 default. The syntax is RE2's, matched in linear time (RE2JS),
 * so that no pattern can make a filter run for minutes: no backreferences or lookaround.
 */
function regex(pattern: string, column: number): RE2JS {
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    throw new FilterError(`${quote(pattern)} is not a valid regular expression (RE2 syntax): ${(e as Error).message}.`, column);
  }
}
