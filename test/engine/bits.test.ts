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

  it('writes hex, Latin-1 text and patches, and starts over, as a bit list does', () => {
    /** The low `n` bits of `value`, MSB first. */
    const bitsOf = (value: number, n: number) => Array.from({ length: n }, (_, i) => Math.floor(value / 2 ** (n - 1 - i)) & 1);
    const hexText = fc.oneof(
      fc.uint8Array({ maxLength: 80 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')),
      fc.string({ unit: fc.constantFrom('0', 'a', 'F', '9', 'g', ' ', ':', 'é'), maxLength: 9 }),
    );
    const op = fc.oneof(
      fc.record({ op: fc.constant('write' as const), value: fc.integer({ min: -300, max: 2 ** 32 - 1 }), n: fc.integer({ min: 0, max: 32 }) }),
      fc.record({ op: fc.constant('hex' as const), text: hexText }),
      fc.record({ op: fc.constant('latin1' as const), text: fc.string({ unit: 'binary', maxLength: 70 }) }),
      fc.record({ op: fc.constant('patch' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.integer({ min: -5, max: 2 ** 32 - 1 }), n: fc.constantFrom(1, 3, 8, 16, 24, 32) }),
      fc.constant({ op: 'reset' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 14 }), (ops) => {
        const w = new BitWriter();
        let bits: number[] = [];
        for (const o of ops) {
          if (o.op === 'write') {
            w.write(o.value, o.n);
            bits.push(...bitsOf(o.value, o.n));
          } else if (o.op === 'hex') {
            const plain = /^([0-9a-fA-F]{2})*$/.test(o.text);
            expect(w.writeHex(o.text)).toBe(plain);
            if (plain) for (let i = 0; i < o.text.length; i += 2) bits.push(...bitsOf(Number.parseInt(o.text.slice(i, i + 2), 16), 8));
          } else if (o.op === 'latin1') {
            w.writeLatin1(o.text);
            for (let i = 0; i < o.text.length; i++) bits.push(...bitsOf(o.text.charCodeAt(i) & 0xff, 8));
          } else if (o.op === 'patch') {
            if (bits.length < o.n) continue;
            const at = Math.floor(o.at * (bits.length - o.n));
            w.patch(at, o.value, o.n);
            bits.splice(at, o.n, ...bitsOf(o.value, o.n));
          } else {
            w.reset();
            bits = [];
          }
          expect(w.pos).toBe(bits.length);
        }
        const expected = new Uint8Array(Math.ceil(bits.length / 8));
        bits.forEach((b, i) => {
          expected[i >> 3] |= b << (7 - (i & 7));
        });
        expect(w.finish()).toEqual(expected);
      }),
      { seed: 20261206, numRuns: 3000 },
    );
  });
});
