import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { AlgId } from '../../src/security/algorithms.js';
import { deriveNasKeys, kdf } from '../../src/security/kdf.js';
import { fixtureJson } from '../helpers/fixtures.js';

interface KdfVector {
  name: string;
  label: string;
  fc: string | null;
  key: string;
  s: string;
  out: string;
  out_is?: 'last-16-bytes';
  key_128?: string;
}

const vectors = fixtureJson<KdfVector[]>('vectors/kdf.json');

/** Splits S = FC‖P0‖L0‖…‖Pn‖Ln from the end, where each 2-byte Li gives the length of the Pi before it. */
function parseS(s: Uint8Array): { fc: number; params: Uint8Array[] } {
  const params: Uint8Array[] = [];
  let end = s.length;
  while (end > 1) {
    const start = end - 2 - ((s[end - 2] << 8) | s[end - 1]);
    if (start < 1) throw new Error('S is not FC‖P0‖L0‖…');
    params.unshift(s.subarray(start, end - 2));
    end = start;
  }
  return { fc: s[0], params };
}

const expected = (v: KdfVector, out: Uint8Array) => bytesToHex(v.out_is === 'last-16-bytes' ? out.slice(-16) : out);

describe('kdf (TS 33.220 B.2)', () => {
  for (const v of vectors) {
    if (v.fc === null) {
      // RFC 4231 cases: s is no FC‖P‖L string, so they check the HMAC-SHA-256 primitive kdf is built on.
      it(v.name, () => expect(bytesToHex(hmac(sha256, hexToBytes(v.key), hexToBytes(v.s)))).toBe(v.out));
      continue;
    }
    it(v.name, () => {
      const { fc, params } = parseS(hexToBytes(v.s));
      expect(fc).toBe(parseInt(v.fc!, 16));
      expect(expected(v, kdf(hexToBytes(v.key), fc, params))).toBe(v.out);
    });
  }
});

describe('deriveNasKeys (TS 33.401 A.7)', () => {
  for (const v of vectors.filter((v) => v.fc === '0x15' && v.label.startsWith('K_NAS'))) {
    it(v.name, () => {
      const [distinguisher, alg] = parseS(hexToBytes(v.s)).params.map((p) => p[0]);
      const keys = deriveNasKeys(hexToBytes(v.key), alg as AlgId, alg as AlgId);
      expect(bytesToHex(distinguisher === 0x01 ? keys.knasenc : keys.knasint)).toBe(v.key_128);
    });
  }
});

describe('kdf input checks', () => {
  it('rejects a parameter longer than 65535 bytes', () => {
    expect(() => kdf(new Uint8Array(32), 0x10, [new Uint8Array(0x10000)])).toThrow(RangeError);
  });
});
