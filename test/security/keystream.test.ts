import { hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import { snow3g } from '../../src/security/snow3g.js';
import { zuc } from '../../src/security/zuc.js';
import { fixtureJson } from '../helpers/fixtures.js';

interface KeystreamVector {
  name: string;
  key: string;
  iv: string;
  keystream_words: { index: number; z: string }[];
}

const load = (file: string) => fixtureJson<KeystreamVector[]>(`vectors/${file}`);

const words = (hex: string) => (hex.match(/.{8}/g) ?? []).map((w) => parseInt(w, 16));
const hexWord = (w: number) => w.toString(16).padStart(8, '0');

/** Generates up to the highest listed index and checks every listed word (indices are 1-based). */
function check(v: KeystreamVector, generate: (n: number) => Uint32Array) {
  const z = generate(Math.max(...v.keystream_words.map((w) => w.index)));
  expect(v.keystream_words.map((w) => hexWord(z[w.index - 1]))).toEqual(v.keystream_words.map((w) => w.z));
}

describe('SNOW 3G keystream', () => {
  for (const v of load('snow3g-keystream.json')) {
    it(v.name, () => check(v, (n) => snow3g(words(v.key), words(v.iv), n)));
  }
});

describe('ZUC keystream', () => {
  for (const v of load('zuc-keystream.json')) {
    it(v.name, () => check(v, (n) => zuc(hexToBytes(v.key), hexToBytes(v.iv), n)));
  }
});
