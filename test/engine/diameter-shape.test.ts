import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/decode.js';
import { keylessDecoder } from '../../src/security/keyless.js';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { Dissector } from '../../src/engine/dissect.js';
import { Encoder } from '../../src/engine/encode.js';
import { fromHex, toHex } from '../../src/engine/format.js';
import { buildGrammar } from '../../src/grammar/build.js';
import { parseGrammarText } from '../../src/grammar/load.js';

// The shapes Diameter needs (RFC 6733 §4.1): a 24-bit length over an optional Vendor-ID and the data,
// the Vendor-ID present when the V flag is set, data typed by the AVP code (and by code and Vendor-ID
// where a vendor reuses a code: cases_when), padding to 4 octets that the length does not count, and
// grouped AVPs nesting recursively.
const ir = buildGrammar([
  parseGrammarText(
    'grammars/avp-demo.yaml',
    `
protocol: avp-demo
root: avps
types:
  avps:
    fields:
      - {id: avps, list: avp}
  avp:
    pad_to: 4
    fields:
      - {id: code, bits: 32}
      - {id: vendor_specific, bits: 1}
      - {id: mandatory, bits: 1}
      - {spare: 6}
      - {id: length, bits: 24, length_of: [vendor_id, data], adjust: 8}
      - {id: vendor_id, bits: 32, present_if: vendor_specific}
      - {id: data, switch: code, cases: {1: utf8, 2: unsigned32, 3: grouped}, default: octets, cases_when: [{field: vendor_id, in: [10415], cases: {2: key}}]}
  utf8:
    fields:
      - {id: text, bytes: rest, text: utf8}
  unsigned32:
    fields:
      - {id: value, bits: 32}
  grouped:
    fields:
      - {id: avps, list: avp}
  octets:
    fields:
      - {id: data, bytes: rest}
  key:
    fields:
      - {id: key, bytes: rest}
`,
  ),
]);
const d = new Dissector(ir);
const e = new Encoder(ir);
const compiled = keylessDecoder(ir);

describe('Diameter-shaped grammar', () => {
  it('decodes AVPs with and without Vendor-ID, padding and a grouped AVP', () => {
    // Code 1 "abc" (len 11, 1 octet padding); code 3 grouped with V flag, vendor 10415, holding code 2 = 7.
    const hex = '00000001' + '00' + '00000b' + '616263' + '00' + '00000003' + '80' + '000018' + '000028af' + '00000002' + '00' + '00000c' + '00000007';
    const r = d.dissect(fromHex(hex), 'avp-demo');
    expect(r.expert).toEqual([]);
    expect(r.value).toEqual({
      avps: [
        { code: 1, mandatory: 0, data: { text: 'abc' } },
        { code: 3, mandatory: 0, vendor_id: 10415, data: { avps: [{ code: 2, mandatory: 0, data: { value: 7 } }] } },
      ],
    });
    expect(toHex(e.encode(r.value, 'avp-demo'))).toBe(hex);
  });

  it('types code 2 by its Vendor-ID where cases_when says so, by its code otherwise', () => {
    const avp = (vendor: string, data: string) => `00000002${vendor ? '80' : '00'}${(8 + vendor.length / 2 + data.length / 2).toString(16).padStart(6, '0')}${vendor}${data}`;
    const cases: Array<[string, unknown]> = [
      [avp('', '00000007'), { code: 2, mandatory: 0, data: { value: 7 } }],
      [avp('000028af', '00112233'), { code: 2, mandatory: 0, vendor_id: 10415, data: { key: '00112233' } }],
      [avp('0000159f', '00000007'), { code: 2, mandatory: 0, vendor_id: 5535, data: { value: 7 } }],
    ];
    for (const [hex, value] of cases) {
      const r = d.dissect(fromHex(hex), 'avp-demo');
      expect(r.expert).toEqual([]);
      expect(r.value).toEqual({ avps: [value] });
      expect(compiled.decode(fromHex(hex), 'avp-demo')).toEqual({ avps: [value] });
      expect(toHex(e.encode({ avps: [value] }, 'avp-demo'))).toBe(hex);
    }
    // The encoder picks the layout by the value's Vendor-ID: a number is no key.
    expect(() => e.encode({ avps: [{ code: 2, mandatory: 0, vendor_id: 10415, data: { value: 7 } }] }, 'avp-demo')).toThrow(/key/);
  });

  it('round-trips generated AVP trees and keeps nonzero padding', () => {
    fc.assert(
      fc.property(new Arbitraries(ir).protocol('avp-demo'), (v) => {
        const bytes = e.encode(v, 'avp-demo');
        expect(bytes.length % 4).toBe(0);
        const r = d.dissect(bytes, 'avp-demo');
        expect(r.value).toEqual(v);
      }),
      { seed: 7, numRuns: 200 },
    );
    const odd = fromHex('00000001' + '00' + '000009' + '61' + 'ffffff');
    const r = d.dissect(odd, 'avp-demo');
    expect(r.expert.map((x) => x.id)).toEqual(['spare_not_zero']);
    expect(toHex(e.encode(r.value, 'avp-demo'))).toBe(toHex(odd));
  });

  it('decode() compiles a grammar given at run time: the values the dissector gives', () => {
    fc.assert(
      fc.property(new Arbitraries(ir).protocol('avp-demo'), fc.nat(), (v, cut) => {
        const bytes = e.encode(v, 'avp-demo');
        expect(compiled.decode(bytes, 'avp-demo')).toEqual(v);
        expect(decode(bytes, 'avp-demo', { grammar: ir })).toEqual(v);
        // A cut message: the same DecodeError as the dissector's first error, or the same value.
        const part = bytes.subarray(0, cut % (bytes.length + 1));
        const r = d.dissect(part, 'avp-demo');
        const error = r.expert.find((x) => x.severity === 'error');
        if (error) expect(() => decode(part, 'avp-demo', { grammar: ir })).toThrow(error.message);
        else expect(decode(part, 'avp-demo', { grammar: ir })).toEqual(r.value);
      }),
      { seed: 8, numRuns: 200 },
    );
    expect(decode(fromHex('00000001' + '00' + '000009' + '61' + 'ffffff'), 'avp-demo', { grammar: ir })).toEqual({ avps: [{ code: 1, mandatory: 0, data: { text: 'a' }, _padding: 'ffffff' }] });
  });
});
