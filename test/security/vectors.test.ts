import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import { type AlgId, EEA_NAMES, EIA_NAMES, encrypt, mac, macEqual } from '../../src/security/algorithms.js';
import { fixtureJson } from '../helpers/fixtures.js';

interface Vector {
  name: string;
  key: string;
  count: string;
  bearer: number;
  direction: number;
  length_bits: number;
}
interface CipherVector extends Vector {
  plaintext: string;
  ciphertext: string;
}
interface MacVector extends Vector {
  message: string;
  mac: string;
}

const load = <T>(file: string) => fixtureJson<T[]>(`vectors/${file}`);

const ALGS: AlgId[] = [1, 2, 3];

for (const alg of ALGS) {
  describe(EEA_NAMES[alg], () => {
    for (const v of load<CipherVector>(`eea${alg}.json`)) {
      it(v.name, () => {
        const run = (data: string) => bytesToHex(encrypt(alg, hexToBytes(v.key), parseInt(v.count, 16), v.bearer, v.direction, hexToBytes(data), v.length_bits));
        expect(run(v.plaintext)).toBe(v.ciphertext);
        expect(run(v.ciphertext)).toBe(v.plaintext);
      });
    }
  });

  describe(EIA_NAMES[alg], () => {
    for (const v of load<MacVector>(`eia${alg}.json`)) {
      it(v.name, () => {
        const tag = mac(alg, hexToBytes(v.key), parseInt(v.count, 16), v.bearer, v.direction, hexToBytes(v.message), v.length_bits);
        expect(bytesToHex(tag)).toBe(v.mac);
        expect(macEqual(tag, hexToBytes(v.mac))).toBe(true);
      });
    }
  });
}
