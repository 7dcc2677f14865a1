// Uniform facade over the EPS ciphering (EEA) and integrity (EIA) algorithms, by algorithm identity.
import { eea2, eia2 } from './aes.js';
import { byteLength, copyPrefix, maskTail } from './bytes.js';
import { eea1, eia1 } from './snow3g.js';
import { eea3, eia3 } from './zuc.js';

/** The 3-bit algorithm identity of TS 33.401 5.1.3 (0 = null algorithm). */
export type AlgId = 0 | 1 | 2 | 3;

export const EEA_NAMES = ['EEA0', '128-EEA1', '128-EEA2', '128-EEA3'] as const;
export const EIA_NAMES = ['EIA0', '128-EIA1', '128-EIA2', '128-EIA3'] as const;

type Primitive = (key: Uint8Array, count: number, bearer: number, direction: number, data: Uint8Array, lengthBits: number) => Uint8Array;

const eea0: Primitive = (_key, _count, _bearer, _direction, data, lengthBits) => maskTail(copyPrefix(data, byteLength(data, lengthBits)), lengthBits);
const eia0: Primitive = () => new Uint8Array(4);

const EEA: readonly Primitive[] = [eea0, eea1, eea2, eea3];
const EIA: readonly Primitive[] = [eia0, eia1, eia2, eia3];

function pick(table: readonly Primitive[], alg: AlgId): Primitive {
  if (!Number.isInteger(alg) || alg < 0 || alg >= table.length) throw new RangeError(`unknown algorithm identity ${alg}`);
  return table[alg];
}

/**
 * Ciphers (or deciphers) the first `lengthBits` bits of `data`.
 * Returns ceil(lengthBits/8) bytes with the unused trailing bits zeroed; EEA0 returns a copy.
 */
export function encrypt(alg: AlgId, key: Uint8Array, count: number, bearer: number, direction: number, data: Uint8Array, lengthBits: number): Uint8Array {
  return pick(EEA, alg)(key, count, bearer, direction, data, lengthBits);
}

/** The 32-bit MAC of the first `lengthBits` bits of `message` (EIA0 gives 00000000). */
export function mac(alg: AlgId, key: Uint8Array, count: number, bearer: number, direction: number, message: Uint8Array, lengthBits: number): Uint8Array {
  return pick(EIA, alg)(key, count, bearer, direction, message, lengthBits);
}

/** Compares two MACs without an early exit on the first differing byte. */
export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
