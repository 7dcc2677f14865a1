import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dissectFull } from '../../src/api.js';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { bundledEncoders } from '../../src/engine/bundled-encoders.js';
import { EncodeError, Encoder, generatedEncoder } from '../../src/engine/encode.js';
import { encode } from '../../src/encode.js';
import { fromHex } from '../../src/engine/format.js';
import { fuzzArbitrary } from '../../src/fuzz/arbitraries.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { realCorpus } from '../helpers/fixtures.js';

// The encoder generated ahead of time (scripts/gen-encoders.ts) against the interpreter it stands in
// for: the same octets wherever it takes a value, and a hand-over wherever the interpreter refuses one.
const ir = defaultGrammar();
const interpreter = new Encoder(ir);
const generated = generatedEncoder(ir, bundledEncoders);
const deep = process.env.MTCGK_DEEP === '1';
const seed = 20261206;

/** The interpreter's octets, or the message of its refusal, which is always an EncodeError naming the path. */
function reference(value: unknown, protocol: string): Uint8Array | string {
  try {
    return interpreter.encode(value, protocol);
  } catch (e) {
    expect(e).toBeInstanceOf(EncodeError);
    return (e as Error).message;
  }
}

/** Compares one value; returns whether the generated code took it. */
function agree(value: unknown, protocol: string): boolean {
  const fast = generated(value, protocol);
  const ref = reference(value, protocol);
  if (fast === undefined) return false;
  expect(ref).toEqual(fast);
  return true;
}

/** A copy of `v` with the leaf or member at `path` replaced (`undefined` removes it). */
function edit(v: unknown, path: number[], replacement: unknown): unknown {
  if (!v || typeof v !== 'object' || path.length === 0) return replacement;
  const keys = Object.keys(v);
  if (keys.length === 0) return v;
  const key = keys[path[0] % keys.length];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(v) ? [...v] : { ...(v as Record<string, unknown>) };
  const inner = edit((v as Record<string, unknown>)[key], path.slice(1), replacement);
  if (inner === undefined && !Array.isArray(copy)) delete copy[key];
  else (copy as Record<string, unknown>)[key] = inner;
  return copy;
}

/** The first `_order` in a value, depth first. */
function orderOf(v: unknown): string[] | undefined {
  if (!v || typeof v !== 'object') return undefined;
  if ('_order' in v) return (v as { _order: string[] })._order;
  for (const x of Object.values(v)) {
    const o = orderOf(x);
    if (o) return o;
  }
  return undefined;
}

/** A copy of `v` with its first `_order` replaced. */
function withOrder(v: unknown, order: string[]): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  if ('_order' in v) return { ...v, _order: order };
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const [k, x] of Object.entries(copy)) if (orderOf(x)) return { ...copy, [k]: withOrder(x, order) };
  return copy;
}

/** What an edit puts in place of a value: other types, out-of-range numbers, odd text, nothing. */
const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -2, max: 70_000 }),
  fc.constantFrom(0, 1, 7, 15, 255, 256, 2 ** 32, -1, 0.5, Number.NaN),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('', '00', 'ff', 'abc', '0g', '123456789012345', 'zz'),
  fc.uint8Array({ maxLength: 4 }),
  fc.array(fc.nat(300), { maxLength: 3 }),
  fc.record({ _raw: fc.constantFrom('00', 'ff01') }),
);

describe('generated encoder', () => {
  it('writes the whole real corpus as the interpreter does', () => {
    const corpus = realCorpus();
    let taken = 0;
    for (const l of corpus) if (agree(dissectFull(fromHex(l.hex), 'nas-eps').value, 'nas-eps')) taken++;
    expect(taken).toBe(corpus.length);
  });

  it('writes every generated message as the interpreter does', () => {
    const arbs = new Arbitraries(ir);
    const messages = [...ir.messages.keys()].filter((m) => !m.startsWith('unknown_'));
    const arb = fc.constantFrom(...messages).chain((m) => {
      const protocol = ir.messageProtocols.get(m)!;
      return arbs.message(m, protocol).map((v) => ({ v, protocol }));
    });
    let taken = 0;
    const runs = deep ? 50_000 : 2_000;
    fc.assert(
      fc.property(arb, ({ v, protocol }) => {
        if (agree(v, protocol)) taken++;
      }),
      { seed, numRuns: runs },
    );
    expect(taken).toBeGreaterThan(runs * 0.9);
  });

  it('agrees on values decoded from generated and mutated messages, and on those values edited', () => {
    fc.assert(
      fc.property(fuzzArbitrary(ir, { mode: 'all' }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), replacement, (i, path, r) => {
        const value = dissectFull(i.bytes, i.protocol).value;
        agree(value, i.protocol);
        agree(edit(value, path, r), i.protocol);
      }),
      { seed, numRuns: deep ? 100_000 : 3_000 },
    );
  });

  it('agrees on values decoded from arbitrary bytes, for every protocol', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ir.protocols.keys()), fc.uint8Array({ maxLength: 64 }), (protocol, bytes) => {
        agree(dissectFull(bytes, protocol).value, protocol);
      }),
      { seed, numRuns: deep ? 100_000 : 5_000 },
    );
  });

  it('writes IEs in the order a value gives (_order, _extra) as the interpreter does, and refuses an order it does not allow', () => {
    const ordered = realCorpus()
      .map((l) => dissectFull(fromHex(l.hex), 'nas-eps').value)
      .filter((v) => orderOf(v) !== undefined);
    expect(ordered.length).toBeGreaterThan(0);
    for (const v of ordered) {
      const order = orderOf(v)!;
      expect(agree(v, 'nas-eps')).toBe(true);
      // Reversed: still what the interpreter writes; with an IE left out or unknown, refused by both.
      expect(agree(withOrder(v, [...order].reverse()), 'nas-eps')).toBe(true);
      for (const refused of [withOrder(v, order.slice(1)), withOrder(v, [...order, 'no_such_ie'])]) {
        expect(agree(refused, 'nas-eps')).toBe(false);
        expect(reference(refused, 'nas-eps')).toMatch(/_order/);
      }
    }
  });

  it('writes free-form hex as the interpreter does, and hands bad hex over to its EncodeError', () => {
    const request = { message: 'identity_request', identity_type: { type: 1 } };
    expect(encode({ ...request, _trailing: 'ab cd' })).toEqual(interpreter.encode({ ...request, _trailing: 'abcd' }, 'nas-eps'));
    expect(encode({ _raw: '07 55 01' }, 'nas-eps')).toEqual(Uint8Array.of(0x07, 0x55, 0x01));
    expect(() => encode({ ...request, _trailing: 'abc' })).toThrow(EncodeError);
    expect(() => encode({ ...request, _trailing: 'abc' })).toThrow(/_trailing/);
    expect(() => encode({ _raw: 5 }, 'nas-eps')).toThrow(EncodeError);
  });

  it('encode() hands over to the interpreter what it does not write: bad values (with its error), unknown protocols', () => {
    expect(generated({}, 'no-such-protocol')).toBeUndefined();
    expect(() => encode({}, 'no-such-protocol')).toThrow(EncodeError);
    expect(generated({ message: 'identity_request', identity_type: { type: 99 } }, 'nas-eps')).toBeUndefined();
    expect(() => encode({ message: 'identity_request', identity_type: { type: 99 } })).toThrow(/identity_type\/type/);
  });
});
