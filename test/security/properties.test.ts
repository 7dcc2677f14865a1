import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type AlgId, EEA_NAMES, EIA_NAMES, encrypt, mac, macEqual } from '../../src/security/algorithms.js';

const RUNS = { seed: 42, numRuns: 100 };

/** Random 128-EEAx/EIAx inputs with a bit length of 1..2000 and exactly ceil(length/8) data bytes. */
const input = fc.integer({ min: 1, max: 2000 }).chain((lengthBits) =>
  fc.record({
    key: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    count: fc.integer({ min: 0, max: 0xffffffff }),
    bearer: fc.integer({ min: 0, max: 31 }),
    direction: fc.constantFrom(0, 1),
    data: fc.uint8Array({ minLength: Math.ceil(lengthBits / 8), maxLength: Math.ceil(lengthBits / 8) }),
    lengthBits: fc.constant(lengthBits),
    bit: fc.integer({ min: 0, max: lengthBits - 1 }),
  }),
);
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

const masked = (data: Uint8Array, lengthBits: number) => {
  const out = data.slice();
  if (lengthBits % 8) out[out.length - 1] &= 0xff << (8 - (lengthBits % 8));
  return out;
};
/** The data with every bit after lengthBits set, plus an extra 0xff byte. */
const withGarbage = (x: Input) => {
  const out = Uint8Array.of(...x.data, 0xff);
  if (x.lengthBits % 8) out[x.data.length - 1] |= 0xff >>> (x.lengthBits % 8);
  return out;
};
const run = (f: typeof encrypt, alg: AlgId, x: Input, data: Uint8Array = x.data) => f(alg, x.key, x.count, x.bearer, x.direction, data, x.lengthBits);

for (const alg of [0, 1, 2, 3] as AlgId[]) {
  describe(EEA_NAMES[alg], () => {
    test.prop([input], RUNS)('encrypting twice is the identity', (x) => {
      const before = x.data.slice();
      const once = run(encrypt, alg, x);
      expect(once.length).toBe(x.data.length);
      expect(once).toEqual(masked(once, x.lengthBits));
      expect(run(encrypt, alg, x, once)).toEqual(masked(x.data, x.lengthBits));
      expect(x.data).toEqual(before);
    });

    test.prop([input], RUNS)('ignores the bits after lengthBits', (x) => {
      expect(run(encrypt, alg, x, withGarbage(x))).toEqual(run(encrypt, alg, x));
    });
  });
}

for (const alg of [1, 2, 3] as AlgId[]) {
  describe(EIA_NAMES[alg], () => {
    test.prop([input], RUNS)('flipping any message bit changes the MAC', (x) => {
      const flipped = x.data.slice();
      flipped[x.bit >>> 3] ^= 0x80 >>> (x.bit & 7);
      expect(macEqual(run(mac, alg, x), run(mac, alg, x, flipped))).toBe(false);
    });

    test.prop([input], RUNS)('ignores the bits after lengthBits', (x) => {
      expect(run(mac, alg, x, withGarbage(x))).toEqual(run(mac, alg, x));
    });
  });
}

describe('macEqual', () => {
  test.prop([fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 })], RUNS)('is true exactly for equal bytes', (a, b) => {
    expect(macEqual(a, b)).toBe(a.length === b.length && a.every((v, i) => v === b[i]));
    expect(macEqual(a, a.slice())).toBe(true);
  });
});

describe('facade', () => {
  const key = new Uint8Array(16);
  it('EIA0 gives a zero MAC and EEA0 a masked copy', () => {
    const data = Uint8Array.of(0xab, 0xff);
    expect(mac(0, key, 1, 2, 1, data, 16)).toEqual(new Uint8Array(4));
    const out = encrypt(0, key, 1, 2, 1, data, 12);
    expect(out).toEqual(Uint8Array.of(0xab, 0xf0));
    expect(out).not.toBe(data);
  });

  it('handles zero-length input', () => {
    for (const alg of [0, 1, 2, 3] as AlgId[]) {
      expect(encrypt(alg, key, 0, 0, 0, new Uint8Array(0), 0)).toEqual(new Uint8Array(0));
      expect(mac(alg, key, 0, 0, 0, new Uint8Array(0), 0).length).toBe(4);
    }
  });

  it('rejects invalid inputs', () => {
    const data = new Uint8Array(4);
    expect(() => encrypt(4 as AlgId, key, 0, 0, 0, data, 32)).toThrow(RangeError);
    expect(() => encrypt(2, key, 0, 0, 0, data, 33)).toThrow(RangeError);
    expect(() => encrypt(2, key, 0, 0, 0, data, -1)).toThrow(RangeError);
    expect(() => mac(1, new Uint8Array(32), 0, 0, 0, data, 32)).toThrow(RangeError);
    expect(() => mac(3, key, 2 ** 32, 0, 0, data, 32)).toThrow(RangeError);
    expect(() => mac(2, key, 0, 32, 0, data, 32)).toThrow(RangeError);
    expect(() => encrypt(1, key, 0, 0, 2, data, 32)).toThrow(RangeError);
  });
});
