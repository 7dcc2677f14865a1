import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dissectFull } from '../../src/api.js';
import { bundledDecoders } from '../../src/engine/bundled-decoders.js';
import { BAILED, CompiledDecoder, capturable } from '../../src/engine/compile.js';
import { fromHex } from '../../src/engine/format.js';
import { fuzzArbitrary } from '../../src/fuzz/arbitraries.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { fieldValues } from '../../src/output/fields.js';
import { AUDITED_KEYS } from '../../src/groupkeys/audit.js';
import { SecuritySession } from '../../src/security/session.js';
import { realCorpus } from '../helpers/fixtures.js';

// The compiled decoder against the dissector it stands in for: the same value, key order included,
// wherever it does not hand the message over (BAILED), and a hand-over wherever the dissector reports.
const ir = defaultGrammar();
const compiled = new CompiledDecoder(ir, { schemes: new SecuritySession().schemes, bailOn: AUDITED_KEYS });
// The same with the functions generated ahead of time (scripts/gen-decoders.ts): it must give what the closures give.
const generated = new CompiledDecoder(ir, { schemes: new SecuritySession().schemes, bailOn: AUDITED_KEYS, types: bundledDecoders });
// Every filter it can collect, collected at once: each must come out as the tree shows it.
const leaves = capturable(ir);
const capturing = new CompiledDecoder(ir, { schemes: new SecuritySession().schemes, bailOn: AUDITED_KEYS, capture: leaves });
const deep = process.env.MTCGK_DEEP === '1';

/** Expert items of messages the compiled path still takes: their values say all there is. */
const TOLERATED = new Set(['mac_not_verified', 'spare_not_zero', 'reserved_value', 'const_mismatch', 'ie_out_of_order']);

/** The value with its key order made visible (toEqual ignores order). */
const ordered = (v: unknown): unknown => (Array.isArray(v) ? v.map(ordered) : v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => [k, ordered(x)]) : v);

/** Compares one input; returns whether the compiled path took it. */
function agree(bytes: Uint8Array, protocol: string, direction?: 'ul' | 'dl'): boolean {
  const fast = compiled.decode(bytes, protocol, direction);
  const aot = generated.decode(bytes, protocol, direction);
  expect(aot === BAILED ? aot : ordered(aot)).toEqual(fast === BAILED ? fast : ordered(fast));
  const full = dissectFull(bytes, protocol, { direction });
  if (fast === BAILED) return false;
  // Taken: the dissector found nothing but what leaves the value whole (or unverifiable MACs).
  expect(full.expert.filter((e) => !TOLERATED.has(e.id)).map((e) => e.id)).toEqual([]);
  expect(ordered(fast)).toEqual(ordered(full.value));
  const shown = [...fieldValues([full.tree])].filter(([name]) => leaves.has(name));
  const got = capturing.fields(bytes, protocol, direction);
  expect(got === BAILED ? got : [...got].sort()).toEqual(shown.sort());
  // The same decoder still gives whole values when asked for them.
  expect(ordered(capturing.decode(bytes, protocol, direction))).toEqual(ordered(fast));
  return true;
}

describe('compiled decoder', () => {
  it('gives the dissector value for the real corpus, and takes the well-formed messages', () => {
    let taken = 0;
    const corpus = realCorpus();
    for (const l of corpus) if (agree(fromHex(l.hex), 'nas-eps')) taken++;
    // Real messages, ciphered ones without keys too, are what the fast path is for.
    expect(taken).toBeGreaterThanOrEqual(corpus.length * 0.99);
  });

  it.each(['valid', 'edge', 'malformed'] as const)('agrees with the dissector on generated and mutated messages (%s)', (mode) => {
    let taken = 0;
    fc.assert(
      fc.property(fuzzArbitrary(ir, { mode }), fc.constantFrom<'ul' | 'dl' | undefined>(undefined, 'ul', 'dl'), (input, direction) => {
        if (agree(input.bytes, input.protocol, direction)) taken++;
      }),
      { seed: 20261204, numRuns: deep ? 100_000 : 1_500 },
    );
    // Valid messages are what the fast path is for.
    if (mode === 'valid') expect(taken).toBeGreaterThan(1_500 * 0.5);
  });

  it('agrees on arbitrary bytes for every protocol', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ir.protocols.keys()), fc.uint8Array({ maxLength: 64 }), (protocol, bytes) => {
        agree(bytes, protocol);
      }),
      { seed: 20261204, numRuns: deep ? 100_000 : 20_000 },
    );
  });

  it('hands over unknown protocols, and values holding a key the caller names', () => {
    const identityRequest = Uint8Array.of(0x07, 0x55, 0x01);
    expect(compiled.decode(identityRequest, 'no-such-protocol')).toBe(BAILED);
    expect(compiled.decode(identityRequest, 'nas-eps')).toEqual({ message: 'identity_request', identity_type: { type: 1 } });
    for (const types of [undefined, bundledDecoders]) {
      const audited = new CompiledDecoder(ir, { schemes: new SecuritySession().schemes, bailOn: new Set(['identity_type']), types });
      expect(audited.decode(identityRequest, 'nas-eps')).toBe(BAILED);
    }
  });

  it('picks a by-direction layout only for the directions there are, generated or not', () => {
    // Detach request: the same message type from the UE and from the network; an untyped caller may pass anything.
    const detach = Uint8Array.of(0x07, 0x45, 0x0d);
    for (const direction of ['ul', 'dl', undefined, 'UL'] as Array<'ul' | 'dl' | undefined>) {
      const closures = compiled.decode(detach, 'nas-eps', direction);
      expect(generated.decode(detach, 'nas-eps', direction), String(direction)).toEqual(closures);
    }
    expect(generated.decode(detach, 'nas-eps', 'UL' as 'ul')).toBe(BAILED);
  });

  it('takes an unknown AVP without the M bit, which the dissector decodes generically without a word', () => {
    // RFC 6733 header (AIR, 318), then AVP code 0xffff, flags 0, length 12, data "abcd".
    const msg = fromHex('010000200000013e0000000000000000000000000000ffff0000000c61626364');
    expect(agree(msg, 'diameter')).toBe(true);
  });

  it('agrees on real messages with octets changed, cut or added', () => {
    const corpus = realCorpus().map((l) => fromHex(l.hex));
    const edit = fc.oneof(
      fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }).map(({ at, xor }) => (b: Uint8Array) => {
        const out = b.slice();
        out[at % out.length] ^= xor;
        return out;
      }),
      fc.nat().map((at) => (b: Uint8Array) => b.subarray(0, at % b.length)),
      fc.uint8Array({ minLength: 1, maxLength: 4 }).map((extra) => (b: Uint8Array) => Uint8Array.from([...b, ...extra])),
    );
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.constantFrom<'ul' | 'dl' | undefined>(undefined, 'ul', 'dl'), (msg, edits, direction) => {
        agree(
          edits.reduce((b, e) => e(b), msg),
          'nas-eps',
          direction,
        );
      }),
      { seed: 20261204, numRuns: deep ? 100_000 : 10_000 },
    );
  });
});

describe('compiled decoder collecting a few fields', () => {
  // tshark's "interesting fields": IEs holding none of the named fields are stepped over by their
  // length, so a message whose other IEs are broken still gives the named fields, as the tree shows them.
  const SETS = [['nas_eps.nas_msg_emm_type'], ['nas_eps.security_header_type', 'nas_eps.seq_no', 'nas_eps.nas_msg_esm_type'], ['nas_eps.emm.m_tmsi', 'nas_eps.emm.eps_att_type', 'nas_eps.emm.cause']];
  const narrow = SETS.map((names) => {
    for (const n of names) expect(leaves.has(n), n).toBe(true);
    return { names, decoder: new CompiledDecoder(ir, { schemes: new SecuritySession().schemes, bailOn: AUDITED_KEYS, capture: new Set(names) }) };
  });
  const corpus = realCorpus().map((l) => fromHex(l.hex));

  /** Whether the narrow decoder took a message the whole one hands over. */
  function same(bytes: Uint8Array, direction?: 'ul' | 'dl'): boolean {
    let skipped = false;
    const tree = [...fieldValues([dissectFull(bytes, 'nas-eps', { direction }).tree])];
    for (const { names, decoder } of narrow) {
      const got = decoder.fields(bytes, 'nas-eps', direction);
      if (got === BAILED) continue;
      if (compiled.decode(bytes, 'nas-eps', direction) === BAILED) skipped = true;
      expect([...got].sort(), Buffer.from(bytes).toString('hex')).toEqual(tree.filter(([n]) => names.includes(n)).sort());
    }
    return skipped;
  }

  it('gives the fields the tree shows, also where an IE it steps over is broken', () => {
    const broken = fc.record({ msg: fc.constantFrom(...corpus), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }), cut: fc.boolean() }).map(({ msg, at, xor, cut }) => {
      const out = msg.slice();
      out[at % out.length] ^= xor;
      return cut ? out.subarray(0, out.length - 1 - (at % out.length)) : out;
    });
    let skipped = 0;
    for (const b of corpus) same(b);
    fc.assert(
      fc.property(broken, fc.constantFrom<'ul' | 'dl' | undefined>(undefined, 'ul', 'dl'), (bytes, direction) => {
        if (same(bytes, direction)) skipped++;
      }),
      { seed: 20261205, numRuns: deep ? 100_000 : 5_000 },
    );
    fc.assert(
      fc.property(fuzzArbitrary(ir, { mode: 'malformed' }), (input) => {
        if (input.protocol === 'nas-eps' && same(input.bytes)) skipped++;
      }),
      { seed: 20261205, numRuns: deep ? 100_000 : 1_500 },
    );
    // Messages whose broken IE holds no named field are what stepping over is for.
    expect(skipped).toBeGreaterThan(100);
  });
});
