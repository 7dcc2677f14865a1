import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { Encoder } from '../../src/engine/encode.js';
import { walk, type TreeNode } from '../../src/engine/tree.js';
import { isExpertId } from '../../src/expert.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { keylessDissector, readDirection } from '../helpers/keyless.js';

// Fixed seed in CI; MTCGK_DEEP=1 (npm run test:deep) runs many more cases.
const deep = process.env.MTCGK_DEEP === '1';
const params = { seed: 20261129, numRuns: deep ? 2000 : 60 };
const ir = defaultGrammar();
const dissector = keylessDissector(ir);
const encoder = new Encoder(ir);
const arbs = new Arbitraries(ir);
const messages = [...ir.messages.keys()].filter((m) => !m.startsWith('unknown_')).map((m) => [m, ir.messageProtocols.get(m)!] as const);

/** Leaves (nodes without children) in bit order tile [0, end) with no gap and no overlap. */
function tiles(root: TreeNode, end: number): string | undefined {
  const leaves = [...walk(root)].filter((n) => n !== root && n.children.length === 0 && !n.generated && n.bitLength > 0);
  leaves.sort((a, b) => a.bitOffset - b.bitOffset);
  let pos = 0;
  for (const l of leaves) {
    if (l.bitOffset !== pos) return `${l.filter} starts at bit ${l.bitOffset}, expected ${pos}`;
    pos += l.bitLength;
  }
  return pos === end ? undefined : `leaves end at bit ${pos}, message at ${end}`;
}

describe.each(messages)('%s (%s)', (name, protocol) => {
  const arb = arbs.message(name, protocol);
  const ctx = { direction: readDirection(ir, name) };

  it('decode(encode(v)) = v, encode(decode(b)) = b, and the leaves tile the bits', () => {
    fc.assert(
      fc.property(arb, (v) => {
        const bytes = encoder.encode(v, protocol);
        const r = dissector.dissect(bytes, protocol, ctx);
        expect(r.expert.filter((e) => e.severity === 'error')).toEqual([]);
        expect(r.value).toEqual(v);
        expect(encoder.encode(r.value, protocol)).toEqual(bytes);
        expect(tiles(r.tree, bytes.length * 8)).toBeUndefined();
      }),
      params,
    );
  });

  it('a cut message is either a shorter valid message or has `truncated` on a node across the cut', () => {
    fc.assert(
      fc.property(arb, fc.nat(), (v, k) => {
        const bytes = encoder.encode(v, protocol);
        const cut = 1 + (k % (bytes.length - 1));
        const r = dissector.dissect(bytes.subarray(0, cut), protocol, ctx);
        if (!r.expert.some((e) => e.severity === 'error')) {
          expect(encoder.encode(r.value, protocol)).toEqual(bytes.subarray(0, cut));
          return;
        }
        const bit = cut * 8;
        const hit = [...walk(r.tree)].some((n) => n.expert.some((e) => e.id === 'truncated') && n.bitOffset <= bit && bit < n.bitOffset + n.bitLength);
        expect(hit).toBe(true);
      }),
      params,
    );
  });
});

describe('dissect on arbitrary bytes', () => {
  it('never throws, uses only catalogued expert ids, and keeps every node inside the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        const r = dissector.dissect(bytes, 'nas-eps');
        for (const e of r.expert) expect(isExpertId(e.id), e.id).toBe(true);
        for (const n of walk(r.tree)) expect(n.bitOffset).toBeLessThanOrEqual(bytes.length * 8);
      }),
      { ...params, numRuns: deep ? 200000 : 3000 },
    );
  });

  it('re-encodes whatever it decoded without an error byte-exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const r = dissector.dissect(bytes, 'nas-eps');
        if (r.expert.some((e) => e.severity === 'error')) return;
        expect(encoder.encode(r.value, 'nas-eps')).toEqual(bytes);
      }),
      { ...params, numRuns: deep ? 100000 : 3000 },
    );
  });
});
