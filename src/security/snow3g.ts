// SNOW 3G (ETSI/SAGE UEA2&UIA2 Document 2), 128-EEA1 = UEA2 f8 and 128-EIA1 = UIA2 f9 (TS 33.401 B.1.2, B.2.2).
import { byteLength, checkParams, packWords, u32be, xorKeystream } from './bytes.js';

/** Multiplication by x in GF(2^8) whose reduction polynomial has low byte `c`. */
const mulx = (v: number, c: number): number => (v & 0x80 ? ((v << 1) ^ c) & 0xff : v << 1);

function gfMul(a: number, b: number, c: number): number {
  let r = 0;
  for (; b; b >>= 1, a = mulx(a, c)) if (b & 1) r ^= a;
  return r;
}

function gfPow(a: number, e: number, c: number): number {
  let r = 1;
  for (let i = 0; i < e; i++) r = gfMul(r, a, c);
  return r;
}

/** S_R: the AES S-box (inverse in GF(2^8)/0x11B, then the affine map). */
const SR = Uint8Array.from({ length: 256 }, (_, x) => {
  const b = gfPow(x, 254, 0x1b);
  const rotl = (k: number) => ((b << k) | (b >>> (8 - k))) & 0xff;
  return b ^ rotl(1) ^ rotl(2) ^ rotl(3) ^ rotl(4) ^ 0x63;
});

/** S_Q: Dickson polynomial g49(x) ⊕ 0x25 over GF(2^8)/(x^8+x^6+x^5+x^3+1). */
const SQ = Uint8Array.from({ length: 256 }, (_, x) => {
  let r = 0x25;
  for (let e = 1, p = x; e <= 49; e++, p = gfMul(p, x, 0x69)) {
    if (e === 1 || e === 9 || e === 13 || e === 15 || e === 33 || e === 41 || e === 45 || e === 47 || e === 49) r ^= p;
  }
  return r;
});

/** The S-box followed by the AES-like MixColumn, as four rotated lookup tables (one per input byte). */
function sboxTables(box: Uint8Array, c: number): Uint32Array[] {
  const t0 = Uint32Array.from(box, (s) => {
    const s2 = mulx(s, c);
    return ((s2 << 24) | ((s2 ^ s) << 16) | (s << 8) | s) >>> 0;
  });
  return [0, 8, 16, 24].map((r) => (r ? t0.map((w) => (w >>> r) | (w << (32 - r))) : t0));
}
const [S1A, S1B, S1C, S1D] = sboxTables(SR, 0x1b);
const [S2A, S2B, S2C, S2D] = sboxTables(SQ, 0x69);
const s1 = (w: number) => S1A[w >>> 24] ^ S1B[(w >>> 16) & 0xff] ^ S1C[(w >>> 8) & 0xff] ^ S1D[w & 0xff];
const s2 = (w: number) => S2A[w >>> 24] ^ S2B[(w >>> 16) & 0xff] ^ S2C[(w >>> 8) & 0xff] ^ S2D[w & 0xff];

/** MULα and DIVα: multiplication of a byte by α and α^-1 in GF(2^32), as the four MULxPOW bytes. */
function alphaTable(exponents: number[]): Uint32Array {
  const [a, b, c, d] = exponents.map((e) => gfPow(2, e, 0xa9));
  return Uint32Array.from({ length: 256 }, (_, v) => ((gfMul(v, a, 0xa9) << 24) | (gfMul(v, b, 0xa9) << 16) | (gfMul(v, c, 0xa9) << 8) | gfMul(v, d, 0xa9)) >>> 0);
}
const MUL_ALPHA = alphaTable([23, 245, 48, 239]);
const DIV_ALPHA = alphaTable([16, 39, 6, 64]);

/** Keystream words z1..zn for key k0..k3 and IV IV0..IV3 (word 0 first, as printed in the spec). */
export function snow3g(k: ArrayLike<number>, iv: ArrayLike<number>, n: number): Uint32Array {
  // The LFSR is kept as a growing array: s[t..t+15] is the state at clock t, s[t+16] the new stage.
  const s = new Uint32Array(16 + 33 + n);
  s.set([~k[0], ~k[1], ~k[2], ~k[3], k[0], k[1], k[2], k[3]]);
  s.set([~k[0], ~k[1] ^ iv[3], ~k[2] ^ iv[2], ~k[3], k[0] ^ iv[1], k[1], k[2], k[3] ^ iv[0]], 8);
  const z = new Uint32Array(n);
  let r1 = 0,
    r2 = 0,
    r3 = 0;
  // 32 initialisation clocks, one discarded clock, then one keystream word per clock.
  for (let t = 0; t < 33 + n; t++) {
    const f = (s[t + 15] + r1) ^ r2;
    const r = r2 + (r3 ^ s[t + 5]);
    r3 = s2(r2);
    r2 = s1(r1);
    r1 = r | 0;
    const s0 = s[t],
      s11 = s[t + 11];
    let v = (s0 << 8) ^ MUL_ALPHA[s0 >>> 24] ^ s[t + 2] ^ (s11 >>> 8) ^ DIV_ALPHA[s11 & 0xff];
    if (t < 32) v ^= f;
    else if (t > 32) z[t - 33] = f ^ s0;
    s[t + 16] = v;
  }
  return z;
}

/** SNOW 3G keyed per f8/f9: k3 = CK[0..31], so the key words are reversed. */
function keystream(key: Uint8Array, iv: number[], n: number): Uint32Array {
  const k = packWords(key, 128, 4);
  return snow3g([k[3], k[2], k[1], k[0]], iv, n);
}

/** 128-EEA1: encryption = decryption. */
export function eea1(key: Uint8Array, count: number, bearer: number, direction: number, data: Uint8Array, lengthBits: number): Uint8Array {
  checkParams(key, count, bearer, direction);
  const iv0 = (bearer << 27) | (direction << 26);
  const ks = keystream(key, [iv0, count, iv0, count], Math.ceil(byteLength(data, lengthBits) / 4));
  return xorKeystream(data, ks, lengthBits);
}

/** P·x^i in GF(2^64)/(x^64+x^4+x^3+x+1) for i = 0..63, as (hi, lo) word pairs. */
function powersOfX(hi: number, lo: number): Uint32Array {
  const t = new Uint32Array(128);
  for (let i = 0; i < 64; i++) {
    t[2 * i] = hi;
    t[2 * i + 1] = lo;
    const carry = hi >>> 31;
    hi = (hi << 1) | (lo >>> 31);
    lo = (lo << 1) ^ (carry * 0x1b);
  }
  return t;
}

/** MUL64(V, P, 0x1b) with the powers of P precomputed; returns [hi, lo]. */
function mul64(powers: Uint32Array, hi: number, lo: number): [number, number] {
  let rh = 0,
    rl = 0;
  for (let i = 0; i < 32; i++) {
    const m = -((lo >>> i) & 1);
    rh ^= powers[2 * i] & m;
    rl ^= powers[2 * i + 1] & m;
  }
  for (let i = 0; i < 32; i++) {
    const m = -((hi >>> i) & 1);
    rh ^= powers[64 + 2 * i] & m;
    rl ^= powers[64 + 2 * i + 1] & m;
  }
  return [rh, rl];
}

/** 128-EIA1: UIA2 f9 with COUNT-I = COUNT and FRESH = BEARER‖0^27; returns the 4-byte MAC. */
export function eia1(key: Uint8Array, count: number, bearer: number, direction: number, message: Uint8Array, lengthBits: number): Uint8Array {
  checkParams(key, count, bearer, direction);
  const m = packWords(message, lengthBits, 2 * Math.ceil(lengthBits / 64));
  const fresh = bearer << 27;
  const z = keystream(key, [fresh ^ (direction << 15), count ^ (direction << 31), fresh, count], 5);
  const p = powersOfX(z[0], z[1]);
  let hi = 0,
    lo = 0;
  for (let i = 0; i < m.length; i += 2) [hi, lo] = mul64(p, hi ^ m[i], lo ^ m[i + 1]);
  [hi] = mul64(powersOfX(z[2], z[3]), hi ^ Math.floor(lengthBits / 2 ** 32), lo ^ lengthBits);
  return u32be(hi ^ z[4]);
}
