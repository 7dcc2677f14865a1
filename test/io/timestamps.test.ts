import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tickSeconds } from '../../src/io/binary.js';

/** The definition: the double a decimal time string reads as (base 10), or the exact binary fraction (base 2). */
function reference(ticks: bigint, base: 2 | 10, exponent: number): number {
  const units = BigInt(base) ** BigInt(exponent);
  const whole = ticks / units;
  const fraction = ticks % units;
  if (base === 2) return Number(whole) + Number(fraction) / Number(units);
  return Number(`${whole}.${fraction.toString().padStart(exponent, '0')}`);
}

describe('tickSeconds', () => {
  it('gives the double nearest the exact time, for ticks as numbers and as BigInts, in both bases', () => {
    const input = fc.record({
      ticks: fc.oneof(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
      base: fc.constantFrom<2 | 10>(2, 10),
      exponent: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(input, ({ ticks, base, exponent }) => {
        const want = reference(ticks, base, exponent);
        expect(tickSeconds(ticks, base, exponent)).toBe(want);
        if (ticks <= BigInt(Number.MAX_SAFE_INTEGER)) expect(tickSeconds(Number(ticks), base, exponent)).toBe(want);
      }),
      { seed: 20261206, numRuns: 5000 },
    );
  });

  it('keeps microsecond and nanosecond capture times of today exact to the digit', () => {
    expect(tickSeconds(1_733_450_000_123_456n, 10, 6)).toBe(1733450000.123456);
    expect(tickSeconds(1_733_450_000_123_456, 10, 6)).toBe(1733450000.123456);
    expect(tickSeconds(1_733_450_000_123_456_789n, 10, 9)).toBe(1733450000.1234567);
  });
});
