import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsAt } from '../../src/engine/bits.js';

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
