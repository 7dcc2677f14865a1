// The engine features a CSN.1 value (TS 24.007 Annex B; MS classmark 3, TS 24.008 §10.5.1.7) needs, on a
// small grammar of their own: tail fields read while their bits remain (the truncation `//`), presence
// bits of several fields, spare bits to an octet boundary, a nested type shown as one number
// (`render: hex`), and an integer's bits shown again through a type (`view:`). The dissector, the
// compiled decoder and the encoder must agree on every input, and arbitraries must give back their value.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { BAILED, CompiledDecoder, capturable } from '../../src/engine/compile.js';
import { Dissector } from '../../src/engine/dissect.js';
import { Encoder } from '../../src/engine/encode.js';
import { fromHex, toHex } from '../../src/engine/format.js';
import { walk, type TreeNode } from '../../src/engine/tree.js';
import { buildGrammar } from '../../src/grammar/build.js';
import { parseGrammarText } from '../../src/grammar/load.js';
import { fieldValues } from '../../src/output/fields.js';

const ir = buildGrammar([
  parseGrammarText(
    'grammars/csn1-demo.yaml',
    `
protocol: demo
root: msg
types:
  msg:
    fields:
      - {id: len, bits: 8, length_of: value}
      - {id: value, type: caps}
  caps:
    fields:
      - {id: kind, bits: 3, view: kind_bits}
      - {id: a, type: a_bits, render: hex}
      - {id: x, bits: 1, tail: true}
      - {id: x_value, bits: 5, present_if: x}
      - {id: y, bits: 2, tail: true}
      - {id: z, bits: 1, tail: true}
      - {id: w, bits: 1, tail: true}
      - {id: w_a, bits: 3, present_if: w}
      - {id: w_b, bits: 2, present_if: w}
      - {id: u, bits: 1, present_if: w}
      - {id: u_value, bits: 2, present_if: u}
      - {id: v, bits: 4, tail: true}
      - {spare: octet, id: padding}
  kind_bits:
    fields: [{id: k1, bits: 1}, {id: k2, bits: 2}]
  a_bits:
    fields: [{id: a1, bits: 1}, {id: a2, bits: 1}, {id: a3, bits: 1}, {id: a4, bits: 1}, {id: a5, bits: 1}]
`,
  ),
]);
const dissector = new Dissector(ir);
const encoder = new Encoder(ir);
const compiled = new CompiledDecoder(ir, { schemes: {} });
const capturing = new CompiledDecoder(ir, { schemes: {}, capture: capturable(ir) });
const msg = (value: string) => fromHex(`${(value.length / 2).toString(16).padStart(2, '0')}${value}`);
const caps = (value: string) => (dissector.dissect(msg(value), 'demo').value as { value: Record<string, unknown> }).value;
const shown = (value: string, filter: string) => [...walk(dissector.dissect(msg(value), 'demo').tree)].filter((n) => n.filter === filter).map((n) => n.show);
const errors = (bytes: Uint8Array) => dissector.dissect(bytes, 'demo').expert.filter((e) => e.severity === 'error');

/** Leaves in bit order tile [0, end). */
function tiles(root: TreeNode, end: number): boolean {
  const leaves = [...walk(root)].filter((n) => n !== root && n.children.length === 0 && !n.generated && n.bitLength > 0).sort((a, b) => a.bitOffset - b.bitOffset);
  let pos = 0;
  for (const l of leaves) {
    if (l.bitOffset !== pos) return false;
    pos += l.bitLength;
  }
  return pos === end;
}

describe('CSN.1 in the grammar engine', () => {
  it('reads tail fields while their own bits remain, and stops at the first that does not fit', () => {
    const a = { a1: 0, a2: 0, a3: 0, a4: 0, a5: 1 };
    // 011 00001 | x 0, y 01, z 1, w 0, v 000|1, 7 spare bits
    expect(caps('613080')).toEqual({ kind: 3, a, y: 1, z: 1, v: 1 });
    expect(shown('613080', 'demo.spare_bits')).toEqual(['0x00']);
    // x 1 and its 5 bits, y 11: nothing left for z.
    expect(caps('61ff')).toEqual({ kind: 3, a, x_value: 31, y: 3 });
    expect(shown('61ff', 'demo.spare_bits')).toEqual([]);
    // x 0, y 00, z 0, w 1 and its group (u 1 and its 2 bits): 3 bits left, v (4 bits) does not fit; they are spare.
    expect(caps('6108f0')).toEqual({ kind: 3, a, y: 0, z: 0, w_a: 0, w_b: 3, u_value: 2 });
    expect(caps('6108f1')).toEqual({ kind: 3, a, y: 0, z: 0, w_a: 0, w_b: 3, u_value: 2, _spare_padding: 1 });
    expect(shown('6108f1', 'demo.spare_bits')).toEqual(['0x01']);
    // Only the first octet: no tail field.
    expect(caps('61')).toEqual({ kind: 3, a });
  });

  it('keeps the last presence bit read when nothing after it is in the value, so that it is written again', () => {
    // x 0, y 00, z 0, w 0; v does not fit in the 3 bits left. w ends the value, and is kept.
    expect(caps('6100')).toEqual({ kind: 3, a: { a1: 0, a2: 0, a3: 0, a4: 0, a5: 1 }, y: 0, z: 0, w: 0 });
    expect(toHex(encoder.encode({ value: caps('6100') }, 'demo'))).toBe('026100');
  });

  it('shows a nested type as the number its bits make, and an integer again through its view type', () => {
    expect(shown('61', 'demo.caps.a')).toEqual(['0x01']);
    expect(shown('61', 'demo.caps.kind')).toEqual(['3']);
    expect([...shown('61', 'demo.kind_bits.k1'), ...shown('61', 'demo.kind_bits.k2')]).toEqual(['0', '3']);
    // Filters the compiled decoder does not read are not offered for collection.
    expect(capturable(ir).has('demo.kind_bits.k1')).toBe(false);
    expect(capturable(ir).has('demo.caps.kind')).toBe(true);
  });

  it('on values of up to three octets (every one of one octet, a sample of more): no throw, byte-exact re-encoding, the leaves tile, the compiled decoder agrees', () => {
    for (let n = 0; n <= 3; n++) {
      for (let k = 0; k < 2 ** (8 * n); k += n === 3 ? 2053 : n === 2 ? 5 : 1) {
        const value = n ? k.toString(16).padStart(2 * n, '0') : '';
        const bytes = msg(value);
        const r = dissector.dissect(bytes, 'demo');
        const fast = compiled.decode(bytes, 'demo');
        if (r.expert.some((e) => e.severity === 'error')) {
          expect(fast, value).toBe(BAILED);
          continue;
        }
        expect(toHex(encoder.encode(r.value, 'demo')), value).toBe(toHex(bytes));
        expect(tiles(r.tree, bytes.length * 8), value).toBe(true);
        expect(JSON.stringify(fast), value).toBe(JSON.stringify(r.value));
        const got = capturing.fields(bytes, 'demo');
        const want = [...fieldValues([r.tree])].filter(([name]) => capturable(ir).has(name));
        expect(got === BAILED ? got : [...got].sort(), value).toEqual(want.sort());
      }
    }
  });

  it('generates values that decode back unchanged: where they end inside an octet, with what the padding reads as', () => {
    const arbs = new Arbitraries(ir);
    fc.assert(
      fc.property(arbs.protocol('demo'), (v) => {
        const bytes = encoder.encode(v, 'demo');
        const r = dissector.dissect(bytes, 'demo');
        expect(errors(bytes)).toEqual([]);
        expect(r.value).toEqual(v);
        expect(toHex(encoder.encode(r.value, 'demo'))).toBe(toHex(bytes));
      }),
      { seed: 20261129, numRuns: process.env.MTCGK_DEEP === '1' ? 20_000 : 1_000 },
    );
  });

  it('encodes a value given up to any field, never one after a gap', () => {
    const a = { a1: 0, a2: 0, a3: 0, a4: 0, a5: 1 };
    // Presence bits computed: x 1 (x_value given), and w 0 written, v being given after it; 2 spare bits.
    const v = { kind: 3, a, x_value: 1, y: 0, z: 0, v: 2 };
    expect(toHex(encoder.encode({ value: v }, 'demo'))).toBe('03618408');
    expect(caps('618408')).toEqual(v);
    expect(() => encoder.encode({ value: { kind: 3, a, z: 0 } }, 'demo')).toThrow(/\/value\/y: required/);
  });
});
