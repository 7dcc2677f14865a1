import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError, type FieldValues } from '../../src/filter/index.js';

const params = { seed: 42, numRuns: 500 };
const FIELDS = ['nas-eps', 'nas_eps.a', 'nas_eps.b', 'nas_eps.c'];
const catalogue = new Set(FIELDS);

/** Each field absent or with 1–3 occurrences of small numbers in assorted spellings. */
const valuesArb: fc.Arbitrary<FieldValues> = fc
  .tuple(...FIELDS.map(() => fc.option(fc.array(fc.constantFrom('1', '2', '3', '02', '0x02', '0x3'), { minLength: 1, maxLength: 3 }))))
  .map((lists) => new Map(FIELDS.flatMap((f, i) => (lists[i] ? [[f, lists[i]] as const] : []))));

describe('compileFilter on arbitrary text', () => {
  const fragments = [
    ...FIELDS,
    'foo',
    '==',
    '!=',
    '===',
    '!==',
    '<',
    '>=',
    'eq',
    'ge',
    'contains',
    'matches',
    '~',
    'in',
    '{',
    '}',
    ',',
    '..',
    '(',
    ')',
    '!',
    'not',
    '&&',
    'and',
    '||',
    'or',
    '1',
    '0x55',
    'aa:bb',
    '"s"',
    '"(',
    '"\\"',
    '"[a-"',
    '\\',
    '=',
    '[',
    '#',
    '\n',
    'é',
  ];
  const soup = fc.array(fc.tuple(fc.constantFrom(...fragments), fc.constantFrom('', ' ')), { maxLength: 12 }).map((ps) => ps.flat().join(''));
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), soup);

  it('throws nothing but a one-line FilterError with a column inside the text, and the filter evaluates', () => {
    fc.assert(
      fc.property(text, valuesArb, (s, values) => {
        let filter: ReturnType<typeof compileFilter>;
        try {
          filter = compileFilter(s, catalogue);
        } catch (e) {
          expect(e).toBeInstanceOf(FilterError);
          const { message, column } = e as FilterError;
          expect(message).not.toMatch(/[\n\r]/);
          expect(column).toBeGreaterThanOrEqual(0);
          expect(column).toBeLessThanOrEqual(s.length);
          return;
        }
        expect(typeof filter(values)).toBe('boolean');
      }),
      params,
    );
  });
});

/** A filter expression together with its meaning, computed independently of the module. */
type Expr = { kind: 'atom'; text: string; holds: (v: FieldValues) => boolean } | { kind: 'not'; operand: Expr } | { kind: 'and' | 'or'; left: Expr; right: Expr };

const occurrences = (v: FieldValues, f: string) => (v.get(f) ?? []).map(Number);
const atomArb: fc.Arbitrary<Expr> = fc.tuple(fc.constantFrom(...FIELDS), fc.integer({ min: 1, max: 3 }), fc.nat(4)).map(([f, n, form]): Expr => {
  const holds = [
    (v: FieldValues) => occurrences(v, f).length > 0,
    (v: FieldValues) => occurrences(v, f).some((x) => x === n),
    (v: FieldValues) => occurrences(v, f).length > 0 && occurrences(v, f).every((x) => x !== n),
    (v: FieldValues) => occurrences(v, f).some((x) => x > n),
    (v: FieldValues) => occurrences(v, f).some((x) => x === n || x === 3),
  ][form]!;
  return { kind: 'atom', text: [f, `${f} == ${n}`, `${f} != 0x${n}`, `${f} gt ${n}`, `${f} in {${n}, 3}`][form]!, holds };
});
const { expr: exprArb } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atomArb,
    tie('expr').map((operand): Expr => ({ kind: 'not', operand })),
    fc.tuple(fc.constantFrom('and' as const, 'or' as const), tie('expr'), tie('expr')).map(([kind, left, right]): Expr => ({ kind, left, right })),
  ),
}));

function holds(e: Expr, v: FieldValues): boolean {
  if (e.kind === 'atom') return e.holds(v);
  if (e.kind === 'not') return !holds(e.operand, v);
  return e.kind === 'and' ? holds(e.left, v) && holds(e.right, v) : holds(e.left, v) || holds(e.right, v);
}

interface Spelling {
  symbols: boolean;
}
const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4 };
/** Renders with only the parentheses that precedence requires, so that the parser's precedence is what is tested. */
function render(e: Expr, s: Spelling, min = 0): string {
  const text =
    e.kind === 'atom'
      ? e.text
      : e.kind === 'not'
        ? `${s.symbols ? '!' : 'not '}${render(e.operand, s, PRECEDENCE.not)}`
        : `${render(e.left, s, PRECEDENCE[e.kind])} ${s.symbols ? (e.kind === 'and' ? '&&' : '||') : e.kind} ${render(e.right, s, PRECEDENCE[e.kind] + 1)}`;
  return PRECEDENCE[e.kind] < min ? `(${text})` : text;
}

describe('logical consistency', () => {
  const spelling = fc.record({ symbols: fc.boolean() });
  const evaluate = (text: string, v: FieldValues) => compileFilter(text, catalogue)(v);

  it('a filter written with minimal parentheses means what its tree means', () => {
    fc.assert(
      fc.property(exprArb, spelling, valuesArb, (e, s, v) => {
        expect(evaluate(render(e, s), v)).toBe(holds(e, v));
      }),
      params,
    );
  });

  it('!(A) is the negation of A, and !!(A) is A', () => {
    fc.assert(
      fc.property(exprArb, spelling, valuesArb, (e, s, v) => {
        const a = render(e, s);
        expect(evaluate(`!(${a})`, v)).toBe(!evaluate(a, v));
        expect(evaluate(`not !(${a})`, v)).toBe(evaluate(a, v));
      }),
      params,
    );
  });

  it('De Morgan: A || B equals !(!A && !B), A && B equals !(!A || !B)', () => {
    fc.assert(
      fc.property(exprArb, exprArb, spelling, valuesArb, (x, y, s, v) => {
        const [a, b] = [render(x, s), render(y, s)];
        expect(evaluate(`(${a}) || (${b})`, v)).toBe(evaluate(`!(!(${a}) && !(${b}))`, v));
        expect(evaluate(`(${a}) and (${b})`, v)).toBe(evaluate(`not (not (${a}) or not (${b}))`, v));
      }),
      params,
    );
  });

  it('f != x is f && !(f == x); f !== x is f && !(f === x)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.constantFrom('2', '0x2', '3', 'x'), valuesArb, (f, x, v) => {
        expect(evaluate(`${f} != ${x}`, v)).toBe(evaluate(`${f} && !(${f} == ${x})`, v));
        expect(evaluate(`${f} !== ${x}`, v)).toBe(evaluate(`${f} && !(${f} === ${x})`, v));
      }),
      params,
    );
  });
});
