/**
 * Deterministic key material for a flow: every value is HMAC-SHA-256(seed, label), so each key is
 * named by what it is for (`ue2/k`, `group/root`) and does not depend on the order of the calls.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

export class FlowRandom {
  private readonly key: Uint8Array;

  constructor(readonly seed: string) {
    this.key = new TextEncoder().encode(`mtcgk-flow/${seed}`);
  }

  /** n bytes for a label (any n: blocks are chained with a counter). */
  bytes(label: string, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0, o = 0; o < n; i++, o += 32) out.set(hmac(sha256, this.key, new TextEncoder().encode(`${label}#${i}`)).subarray(0, n - o), o);
    return out;
  }

  /** An integer in [0, max) for a label. */
  int(label: string, max: number): number {
    const b = this.bytes(label, 4);
    return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % max;
  }
}

/** A fresh random seed (hex) for flows made without --seed. */
export function randomSeed(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}
