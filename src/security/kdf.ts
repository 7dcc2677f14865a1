// Key derivation: TS 33.220 Annex B.2 generic KDF and the TS 33.401 A.7 NAS keys.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { AlgId } from './algorithms.js';

/** HMAC-SHA-256(key, FC‖P0‖L0‖P1‖L1…), each Li being the 2-byte length of Pi. */
export function kdf(key: Uint8Array, fc: number, params: Uint8Array[]): Uint8Array {
  const s = new Uint8Array(1 + params.reduce((n, p) => n + p.length + 2, 0));
  s[0] = fc;
  let o = 1;
  for (const p of params) {
    if (p.length > 0xffff) throw new RangeError(`KDF parameter of ${p.length} bytes exceeds 65535`);
    s.set(p, o);
    s[o + p.length] = p.length >>> 8;
    s[o + p.length + 1] = p.length;
    o += p.length + 2;
  }
  return hmac(sha256, key, s);
}

/** K_NASenc and K_NASint from K_ASME: the last 128 bits of KDF(K_ASME, 0x15, [distinguisher, algorithm id]). */
export function deriveNasKeys(kasme: Uint8Array, eea: AlgId, eia: AlgId): { knasenc: Uint8Array; knasint: Uint8Array } {
  const derive = (distinguisher: number, alg: AlgId) => kdf(kasme, 0x15, [Uint8Array.of(distinguisher), Uint8Array.of(alg)]).slice(16);
  return { knasenc: derive(0x01, eea), knasint: derive(0x02, eia) };
}
