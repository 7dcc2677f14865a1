// binary-parser as an independent second decoder of the fixed-layout parts: the same values as the
// dissector's tree, leaf by leaf, on generated inputs.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { BitReader, BitWriter } from '../../src/engine/bits.js';
import { Dissector } from '../../src/engine/dissect.js';
import { Encoder } from '../../src/engine/encode.js';
import { walk, type TreeNode } from '../../src/engine/tree.js';
import { compileGrammar, compileLayout, messagePrefixLayout, structLayout, type CompiledLayout } from '../../src/fuzz/binary-parser.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { SecuritySession } from '../../src/security/session.js';
import { readDirection } from '../helpers/keyless.js';

const ir = defaultGrammar();
const arbs = new Arbitraries(ir);
const encoder = new Encoder(ir);
const dissector = new Dissector(ir);
const schemes = new SecuritySession().schemes;
const compiled = compileGrammar(ir);
const params = { seed: 20260412, numRuns: process.env.MTCGK_DEEP === '1' ? 500 : 25 };

/** Each compiled field equals the dissector's leaf at the same bits and filter. */
function agree(c: CompiledLayout, bytes: Uint8Array, tree: TreeNode): void {
  const { values, end } = c.parse(bytes);
  expect(end).toBe(c.layout.octets);
  const leaves = [...walk(tree)].filter((n) => n.children.length === 0);
  for (const f of c.layout.fields) {
    const leaf = leaves.find((n) => n.bitOffset === f.bitOffset && n.bitLength === f.bits && n.filter === f.filter);
    expect(leaf, `${c.layout.name}: no leaf ${f.filter} at bit ${f.bitOffset}`).toBeDefined();
    expect(values.get(f.id), `${c.layout.name}/${f.id}`).toEqual(leaf!.value);
  }
}

describe('binary-parser layouts compiled from the IR', () => {
  it('cover the NAS headers, every message prefix and the fixed IEs', () => {
    expect(compiled.messages.size).toBe(ir.messages.size);
    const header = compiled.messages.get('attach_request')!.layout;
    expect(header.fields.map((f) => f.filter)).toEqual([
      'nas_eps.security_header_type',
      'gsm_a.L3_protocol_discriminator',
      'nas_eps.nas_msg_emm_type',
      'nas_eps.emm.tsc',
      'nas_eps.emm.nas_key_set_id',
      'nas_eps.spare_bits',
      'nas_eps.emm.eps_att_type',
    ]);
    expect(compiled.messages.get('security_protected_nas_message')!.layout.octets).toBe(6);
    expect(compiled.types.size).toBeGreaterThan(40);
    expect(structLayout(ir.types.get('tai_list')!)).toBeUndefined();
  });

  it('never put grammar text into binary-parser: generated names, numeric options', () => {
    const layout = messagePrefixLayout(ir.messages.get('authentication_request')!)!;
    const evil = { ...layout, fields: layout.fields.map((f) => ({ ...f, id: 'x"+(globalThis.PWNED=1)+"', filter: '(globalThis.PWNED=1)' })) };
    const c = compileLayout(evil);
    c.parse(new Uint8Array(layout.octets));
    expect((globalThis as { PWNED?: number }).PWNED).toBeUndefined();
  });

  it('throws on input shorter than the layout (binary-parser has no truncation report)', () => {
    expect(() => compiled.messages.get('authentication_request')!.parse(Uint8Array.of(0x07, 0x52))).toThrow(RangeError);
  });

  describe.each([...compiled.messages.keys()])('message %s', (name) => {
    it('decodes the fixed prefix to the dissector values', () => {
      const protocol = ir.messageProtocols.get(name)!;
      const c = compiled.messages.get(name)!;
      fc.assert(
        fc.property(arbs.message(name, protocol), (v) => {
          const bytes = encoder.encode(v, protocol);
          if (bytes.length < c.layout.octets) return;
          agree(c, bytes, dissector.dissect(bytes, protocol, { schemes, direction: readDirection(ir, name) }).tree);
        }),
        params,
      );
    });
  });

  it.each([...compiled.types.keys()])('type %s decodes to the dissector values', (name) => {
    const t = ir.types.get(name)!;
    const c = compiled.types.get(name)!;
    fc.assert(
      fc.property(arbs.type(t, 0), (v) => {
        const w = new BitWriter();
        encoder.type(t, v, w, '');
        const bytes = w.finish();
        const root: TreeNode = { filter: name, label: name, bitOffset: 0, bitLength: bytes.length * 8, display: name, children: [], expert: [] };
        dissector.type(t, new BitReader(bytes), root, name);
        agree(c, bytes, root);
      }),
      params,
    );
  });
});
