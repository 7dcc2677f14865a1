import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter, bitsAt } from '../../src/engine/bits.js';

/** One bit at a time, MSB first: the definition bitsAt's fast paths must keep. */
const reference = (bytes: Uint8Array, pos: number, bits: number) => {
  let v = 0;
  for (let i = 0; i < bits; i++) v = v * 2 + ((bytes[(pos + i) >> 3] >> (7 - ((pos + i) & 7))) & 1);
  return v;
};

describe('bitsAt', () => {
  it('reads any 1-53 bits at any offset as the bit-by-bit definition does', () => {
    const input = fc
      .uint8Array({ minLength: 8, maxLength: 16 })
      .chain((bytes) =>
        fc.integer({ min: 1, max: 53 }).chain((bits) => fc.record({ bytes: fc.constant(bytes), bits: fc.constant(bits), pos: fc.integer({ min: 0, max: Math.max(0, bytes.length * 8 - bits) }) })),
      );
    fc.assert(
      fc.property(input, ({ bytes, pos, bits }) => {
        if (pos + bits > bytes.length * 8) return;
        expect(bitsAt(bytes, pos, bits)).toBe(reference(bytes, pos, bits));
      }),
      { seed: 20261205, numRuns: 2000 },
    );
  });
});

describe('BitWriter', () => {
  it('writes the low bits of any value (too wide or negative ones cut to their width) as a bit-by-bit writer does', () => {
    const write = fc.record({ value: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), bits: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
        const w = new BitWriter();
        const bits: number[] = [];
        for (const { value, bits: n } of writes) {
          w.write(value, n);
          for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) & 1);
        }
        const expected = new Uint8Array(Math.ceil(bits.length / 8));
        bits.forEach((b, i) => {
          expected[i >> 3] |= b << (7 - (i & 7));
        });
        expect(w.finish()).toEqual(expected);
      }),
      { seed: 20261205, numRuns: 2000 },
    );
  });
});
