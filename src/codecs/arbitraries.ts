/** Value generators of the codecs (fast-check), kept apart so that decoding does not load fast-check. */
import * as fc from 'fast-check';
import { toHex } from '../engine/format.js';

type Params = Readonly<Record<string, unknown>>;

/** Decimal digit strings of a length in [min, max] (fc.stringMatching is orders of magnitude slower). */
const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

const plmn = () => fc.record({ mcc: digits(3, 3), mnc: digits(2, 3) });

/** By codec name (descriptors.ts). */
export const CODEC_ARBITRARIES: ReadonlyMap<string, (params: Params) => fc.Arbitrary<unknown>> = new Map<string, (params: Params) => fc.Arbitrary<unknown>>([
  [
    'bcd_identity',
    (params) => {
      const [min, max] = (params.digits as [number, number] | undefined) ?? [15, 15];
      return digits(min, max);
    },
  ],
  ['bcd_digits', (params) => digits(Number(params.min ?? 1), Number(params.max ?? 20))],
  ['plmn', plmn],
  [
    'imsi_group_id',
    () =>
      fc
        .tuple(fc.integer({ min: 0, max: 0xffffffff }), plmn(), fc.uint8Array({ minLength: 1, maxLength: 10 }))
        .map(([gsi, p, lgi]) => `${gsi.toString(16).padStart(8, '0')}-${p.mcc}-${p.mnc}-${toHex(lgi)}`),
  ],
]);
