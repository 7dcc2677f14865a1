// 128-EEA2 (AES-128-CTR) and 128-EIA2 (AES-CMAC), TS 33.401 B.1.3 / B.2.3.
import { cbc, ctr, ecb } from '@noble/ciphers/aes.js';
import { byteLength, checkParams, countBearerDirection, maskTail } from './bytes.js';

/** 128-EEA2: encryption = decryption; counter block T1 = COUNT‖BEARER‖DIRECTION‖0^26‖0^64. */
export function eea2(key: Uint8Array, count: number, bearer: number, direction: number, data: Uint8Array, lengthBits: number): Uint8Array {
  checkParams(key, count, bearer, direction);
  const n = byteLength(data, lengthBits);
  const out = ctr(key, countBearerDirection(count, bearer, direction, 16)).encrypt(data.subarray(0, n));
  return maskTail(out, lengthBits);
}

/** Doubling in GF(2^128) (SP 800-38B subkey generation). */
function dbl(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 15; i++) out[i] = (block[i] << 1) | (block[i + 1] >>> 7);
  out[15] = (block[15] << 1) ^ (block[0] & 0x80 ? 0x87 : 0);
  return out;
}

/**
 * 128-EIA2: AES-CMAC over COUNT‖BEARER‖DIRECTION‖0^26‖MESSAGE, truncated to 32 bits.
 * CMAC is built here because the message length is counted in bits, not bytes.
 */
export function eia2(key: Uint8Array, count: number, bearer: number, direction: number, message: Uint8Array, lengthBits: number): Uint8Array {
  checkParams(key, count, bearer, direction);
  const n = byteLength(message, lengthBits);
  const bits = 64 + lengthBits;
  const m = countBearerDirection(count, bearer, direction, Math.ceil(bits / 128) * 16);
  m.set(message.subarray(0, n), 8);
  maskTail(m.subarray(0, 8 + n), lengthBits);
  let subkey = dbl(ecb(key, { disablePadding: true }).encrypt(new Uint8Array(16)));
  if (bits % 128) {
    subkey = dbl(subkey);
    m[bits >>> 3] |= 0x80 >>> (bits & 7);
  }
  const last = m.length - 16;
  for (let i = 0; i < 16; i++) m[last + i] ^= subkey[i];
  const c = cbc(key, new Uint8Array(16), { disablePadding: true }).encrypt(m);
  return c.slice(last, last + 4);
}
