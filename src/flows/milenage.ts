/**
 * EPS AKA as the HSS and the UE run it: MILENAGE (TS 35.206) for the authentication vector and
 * K_ASME from CK || IK (TS 33.401 Annex A.2), so that every UE of a flow has a real K_ASME behind a
 * real RAND/AUTN/RES exchange.
 */
import { ecb } from '@noble/ciphers/aes.js';
import { kdf } from '../security/kdf.js';

const aes = (k: Uint8Array, block: Uint8Array) => ecb(k, { disablePadding: true }).encrypt(block);
const xor = (a: Uint8Array, b: Uint8Array) => a.map((x, i) => x ^ b[i]);

/** Cyclic rotation of a 128-bit block left by r bits (r a multiple of 8). */
function rot(x: Uint8Array, r: number): Uint8Array {
  const s = r / 8;
  return Uint8Array.from(x, (_, i) => x[(i + s) % 16]);
}

const c = (n: number) => {
  const b = new Uint8Array(16);
  b[15] = n;
  return b;
};

export function opc(k: Uint8Array, op: Uint8Array): Uint8Array {
  return xor(aes(k, op), op);
}

export interface Milenage {
  macA: Uint8Array;
  macS: Uint8Array;
  res: Uint8Array;
  ck: Uint8Array;
  ik: Uint8Array;
  ak: Uint8Array;
  akStar: Uint8Array;
}

/** f1-f5 and f1*, f5* of TS 35.206 with the default rotation and constant values. */
export function milenage(k: Uint8Array, opC: Uint8Array, rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array): Milenage {
  const temp = aes(k, xor(rand, opC));
  const in1 = new Uint8Array(16);
  in1.set(sqn, 0);
  in1.set(amf, 6);
  in1.set(sqn, 8);
  in1.set(amf, 14);
  const out1 = xor(aes(k, xor(xor(temp, rot(xor(in1, opC), 64)), c(0))), opC);
  const out = (r: number, ci: number) => xor(aes(k, xor(rot(xor(temp, opC), r), c(ci))), opC);
  const out2 = out(0, 1);
  return {
    macA: out1.slice(0, 8),
    macS: out1.slice(8, 16),
    res: out2.slice(8, 16),
    ak: out2.slice(0, 6),
    ck: out(32, 2),
    ik: out(64, 4),
    akStar: out(96, 8).slice(0, 6),
  };
}

export interface AuthVector {
  rand: Uint8Array;
  xres: Uint8Array;
  /** SQN xor AK || AMF || MAC-A. */
  autn: Uint8Array;
  kasme: Uint8Array;
}

/** The serving network identity of TS 24.301 §9.9.3.32 (MCC/MNC digits as in a PLMN identity), as KDF input. */
export function plmnBytes(mcc: string, mnc: string): Uint8Array {
  const d = (s: string, i: number) => (i < s.length ? Number(s[i]) : 0xf);
  return Uint8Array.of((d(mcc, 1) << 4) | d(mcc, 0), (d(mnc, 2) << 4) | d(mcc, 2), (d(mnc, 1) << 4) | d(mnc, 0));
}

/** An E-UTRAN authentication vector (TS 33.401 §6.1.1): K_ASME = KDF(CK||IK, 0x10, SN id, SQN xor AK). */
export function authVector(k: Uint8Array, opC: Uint8Array, rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array, snId: Uint8Array): AuthVector {
  const m = milenage(k, opC, rand, sqn, amf);
  const sqnAk = xor(sqn, m.ak);
  const autn = new Uint8Array(16);
  autn.set(sqnAk, 0);
  autn.set(amf, 6);
  autn.set(m.macA, 8);
  const ckik = new Uint8Array(32);
  ckik.set(m.ck, 0);
  ckik.set(m.ik, 16);
  return { rand, xres: m.res, autn, kasme: kdf(ckik, 0x10, [snId, sqnAk]) };
}

/** The UE's side: checks AUTN's MAC-A and returns RES and K_ASME, or undefined when AUTN does not verify. */
export function ueAuthenticate(k: Uint8Array, opC: Uint8Array, rand: Uint8Array, autn: Uint8Array, snId: Uint8Array): { res: Uint8Array; kasme: Uint8Array } | undefined {
  const ak = milenage(k, opC, rand, new Uint8Array(6), new Uint8Array(2)).ak;
  const sqn = xor(autn.subarray(0, 6), ak);
  const v = authVector(k, opC, rand, sqn, autn.subarray(6, 8), snId);
  if (!v.autn.every((b, i) => b === autn[i])) return undefined;
  return { res: v.xres, kasme: v.kasme };
}
