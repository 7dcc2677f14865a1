// The fuzz arbitraries as other tools use them in property tests: three modes, structure-keeping
// shrinking, and the greedy byte minimiser.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzArbitrary, ieArbitraries, ieTypeNames, messageArbitraries } from '../../src/fuzz/arbitraries.js';
import { minimise, sequential } from '../../src/fuzz/minimise.js';
import { freeIeis } from '../../src/fuzz/mutate.js';
import { havoc } from '../../src/fuzz/runner.js';
import { selfTarget, tilingError } from '../../src/fuzz/targets.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { dissectFull, fromHex, toHex, type TreeNode } from '../../src/index.js';
import { readDirection } from '../helpers/keyless.js';
import type { L3MessageType } from '../../src/grammar/ir.js';

const ir = defaultGrammar();
const params = { seed: 4242, numRuns: process.env.MTCGK_DEEP === '1' ? 3000 : 300 };
const self = selfTarget(ir, 1000);

describe('fuzzArbitrary', () => {
  it('valid inputs decode without an error to the value they were made from', () => {
    fc.assert(
      fc.property(fuzzArbitrary(ir, { protocol: 'nas-eps', mode: 'valid' }), (x) => {
        expect(x.mutation).toEqual([]);
        expect(dissectFull(x.bytes, x.protocol, { direction: readDirection(ir, x.message) }).value).toEqual(x.value);
      }),
      params,
    );
  });

  it('edge inputs stay decodable: reserved values, shuffled, repeated and unknown IEs are notes or warnings', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fuzzArbitrary(ir, { protocol: 'nas-eps', mode: 'edge' }), (x) => {
        for (const m of x.mutation) if (m.at) seen.add(m.op);
        expect(self.run(x.bytes, x.protocol)).toBeUndefined();
        // Security errors (group keys in a plain message) are about the message, not its syntax.
        expect(dissectFull(x.bytes, x.protocol, { direction: readDirection(ir, x.message) }).expert.filter((e) => e.severity === 'error' && e.group !== 'security')).toEqual([]);
      }),
      params,
    );
    expect([...seen].sort()).toEqual(['long_bytes', 'max_list', 'repeat', 'reserved', 'shuffle', 'unknown_ie']);
  });

  it('malformed inputs exercise every mutation and never trip the dissector oracles', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fuzzArbitrary(ir, { mode: 'malformed' }), (x) => {
        for (const m of x.mutation) if (m.at) seen.add(m.op);
        expect(self.run(x.bytes, x.protocol)).toBeUndefined();
      }),
      params,
    );
    expect([...seen].sort()).toEqual(['byte', 'cut', 'flip', 'insert', 'length', 'spare', 'truncate']);
  });

  it('a wrong length override reaches the wire', () => {
    const [x] = fc.sample(
      fuzzArbitrary(ir, { message: 'identity_response', mode: 'malformed' }).filter((i) => i.mutation.length === 1 && i.mutation[0].op === 'length' && i.mutation[0].at !== undefined),
      { seed: 3, numRuns: 1 },
    );
    const r = dissectFull(x.bytes, 'nas-eps');
    expect(r.expert.map((e) => e.id)).toEqual(expect.arrayContaining([expect.stringMatching(/truncated|extraneous_data|length_out_of_range|length_exceeds_window/)]));
  });

  it('shrinks a failing malformed input structurally: the shrunk value is still a message of the same kind', () => {
    // A property that fails for any unknown IE inserted into an Attach accept.
    const arb = fuzzArbitrary(ir, { message: 'attach_accept', mode: 'edge' });
    const r = fc.check(
      fc.property(arb, (x) => !x.mutation.some((m) => m.op === 'unknown_ie' && m.at)),
      { seed: 9, numRuns: 500 },
    );
    expect(r.failed).toBe(true);
    const x = r.counterexample![0];
    expect(x.message).toBe('attach_accept');
    expect(x.mutation.filter((m) => m.at)).toHaveLength(1);
    expect(x.value).toMatchObject({ message: 'attach_accept', _extra: [expect.any(Object)] });
    expect(dissectFull(x.bytes, 'nas-eps').expert.map((e) => e.id)).toContain('unknown_iei');
  });

  it('covers every message and every IE type in every mode', () => {
    for (const mode of ['valid', 'edge', 'malformed'] as const) {
      const messages = messageArbitraries(ir, mode);
      expect(messages.size).toBe(ir.messages.size);
      for (const [name, arb] of messages) {
        for (const x of fc.sample(arb, { seed: 1, numRuns: 2 })) {
          expect(x.message).toBe(name);
          expect(x.mode).toBe(mode);
        }
      }
    }
    const ies = ieArbitraries(ir, 'malformed');
    expect([...ies.keys()]).toEqual(ieTypeNames(ir));
    for (const arb of ies.values()) for (const x of fc.sample(arb, { seed: 1, numRuns: 2 })) expect(x.bytes).toBeInstanceOf(Uint8Array);
  });

  it('takes unknown IEIs only from the free space of the message', () => {
    const t = ir.messages.get('attach_accept') as L3MessageType;
    const free = freeIeis(t);
    expect(free).not.toContain(0x50); // GUTI
    expect(free.some((o) => o >> 4 === 0xf)).toBe(false); // Additional update result is F-
    expect(free).toContain(0x01);
    expect(free).toContain(0x7f);
  });
});

describe('engine issues found by fuzzing (docs/fuzzing.md), fixed', () => {
  const dissected = (hex: string) => dissectFull(fromHex(hex), 'nas-eps');

  it('a repeated TV IE is skipped by its own size, not as an unknown TLV (07 64 00 62 01 62 01)', () => {
    expect(dissected('07640062016201').expert.map((e) => e.id)).toEqual(['ie_repeated']);
  });

  it('octets after a truncation at the top are not also extraneous data (02)', () => {
    expect(tilingError(dissected('02').tree, 8)).toBeUndefined();
  });

  it('a field cut short by its IE length stays inside the IE (07 41 72 00 02 e0 e0 00 03 52 01 d0)', () => {
    expect(tilingError(dissected('0741720002e0e000035201d0').tree, 96)).toBeUndefined();
  });
});

describe('oracles and minimisation', () => {
  it('the tiling check names overlaps and leaves outside the input', () => {
    const leaf = (filter: string, bitOffset: number, bitLength: number): TreeNode => ({ filter, label: filter, bitOffset, bitLength, display: filter, children: [], expert: [] });
    const root = (...children: TreeNode[]): TreeNode => ({ ...leaf('root', 0, 16), children });
    expect(tilingError(root(leaf('a', 0, 8), leaf('b', 8, 8)), 16)).toBeUndefined();
    expect(tilingError(root(leaf('a', 0, 8), leaf('b', 4, 8)), 16)).toMatch(/^b \[4, 12\) overlaps a/);
    expect(tilingError(root(leaf('a', 0, 8), leaf('b', 8, 16)), 16)).toMatch(/outside the 16-bit input/);
    expect(tilingError(root(leaf('a', 0, 8), { ...leaf('x', 8, 64), generated: true }), 16)).toBeUndefined();
  });

  it('the greedy minimiser keeps only the octets the finding needs', () => {
    const input = fromHex('00112233075503445566778899');
    const needle = (b: Uint8Array) => toHex(b).includes('075503');
    expect(toHex(minimise(input, sequential(needle)))).toBe('075503');
    // Zeroing: only non-zero octets that matter stay.
    expect(
      toHex(
        minimise(
          fromHex('ff10ff'),
          sequential((b) => b.length === 3 && b[1] === 0x10),
        ),
      ),
    ).toBe('001000');
  });

  it('havoc is deterministic for a seed', () => {
    const b = fromHex('0741720bf6');
    expect(havoc(b, 7)).toEqual(havoc(b, 7));
    expect(toHex(havoc(b, 7).bytes)).not.toBe(toHex(havoc(b, 8).bytes));
  });
});
