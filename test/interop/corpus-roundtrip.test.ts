// Byte-exact re-encoding of real messages: for the bundled sample capture and for every line of
// test/fixtures/corpus/nas-eps-real.jsonl, encode(dissectFull(b).value) = b, through the public API.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { dissectFull, encode, fromHex, toHex } from '../../src/index.js';
import { readHexLines } from '../../src/io/index.js';
import { realCorpus } from '../helpers/fixtures.js';

const samplesFile = new URL('../../captures/nas-eps-samples.txt', import.meta.url);
const samples = readHexLines(readFileSync(samplesFile, 'utf8'), 'captures/nas-eps-samples.txt').map((f) => ({ name: f.label ?? f.source, hex: toHex(f.bytes) }));

const corpus = realCorpus().map((l, i) => ({ ...l, line: i + 1 }));

/** encode(decode(b)) as hex, or the error it threw. */
function reencoded(hex: string): string {
  try {
    return toHex(encode(dissectFull(fromHex(hex), 'nas-eps').value, 'nas-eps'));
  } catch (e) {
    return `throws: ${(e as Error).message}`;
  }
}

describe('captures/nas-eps-samples.txt re-encodes byte-exactly', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(50);
  });

  it.each(samples.map((s) => [s.name, s.hex] as const))('%s', (_name, hex) => {
    expect(reencoded(hex)).toBe(hex);
  });
});

describe('test/fixtures/corpus/nas-eps-real.jsonl re-encodes byte-exactly (100%)', () => {
  it('every line', () => {
    const failed = corpus.filter((l) => reencoded(l.hex) !== l.hex).map((l) => `line ${l.line} ${l.name}: ${l.hex} -> ${reencoded(l.hex)}`);
    console.log(`corpus round trip: ${corpus.length - failed.length}/${corpus.length} lines byte-exact`);
    expect(failed).toEqual([]);
    expect(corpus.length).toBe(177);
  });
});
