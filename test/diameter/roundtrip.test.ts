import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { fromHex, toHex } from '../../src/engine/format.js';
import { walk as walkNodes } from '../../src/index.js';
import type { DispatchType, StructType, SwitchField } from '../../src/grammar/ir.js';
import { aia, ALL, base, decode, dissect, encode, ir, message, S6A, tgpp, ula } from './messages.js';

describe('Diameter round trip', () => {
  it.each(Object.entries(ALL))('%s: decode(encode(v)) = v, with a clean dissection', (_name, v) => {
    const bytes = encode(v);
    expect(bytes.length % 4).toBe(0);
    expect(bytes[0]).toBe(1);
    expect((bytes[1] << 16) | (bytes[2] << 8) | bytes[3]).toBe(bytes.length);
    expect(decode(bytes)).toEqual(v);
    expect(dissect(bytes).expert).toEqual([]);
    expect(toHex(encode(decode(bytes)))).toBe(toHex(bytes));
  });

  it('lays out the header, flags, Vendor-ID, lengths and padding as RFC 6733 §3 and §4.1', () => {
    const v = message(316, S6A, 1, [base(263, { value: 'abcde' }), tgpp(1405, { value: 0x22 })], 0x11223344, 0x55667788);
    expect(toHex(encode(v))).toBe(
      '01000034' +
        'c000013c' +
        '01000023' +
        '11223344' +
        '55667788' + // header: length 52, R and P, ULR, S6a
        '00000107' +
        '40' +
        '00000d' +
        '6162636465' +
        '000000' + // Session-Id: M, length 13, 3 octets of padding
        '0000057d' +
        'c0' +
        '000010' +
        '000028af' +
        '00000022', // ULR-Flags: V and M, length 16, vendor 10415
    );
  });

  it('types 625 and 626 by the Vendor-ID: OC-Validity-Duration and OC-Report-Type without, Confidentiality-Key and Integrity-Key with 10415', () => {
    const bytes = encode(aia);
    const filters: string[] = [];
    for (const n of walkNodes(dissect(bytes).tree)) {
      if (/^diameter\.(OC-Validity-Duration|OC-Report-Type|Confidentiality-Key|Integrity-Key)$/.test(n.filter)) filters.push(`${n.filter}=${n.show}`);
    }
    expect(filters).toEqual([
      'diameter.OC-Report-Type=1',
      'diameter.OC-Validity-Duration=30',
      'diameter.Confidentiality-Key=404142434445464748494a4b4c4d4e4f',
      'diameter.Integrity-Key=505152535455565758595a5b5c5d5e5f',
    ]);
    // The same codes under another vendor take the IETF layout (the dictionary's code alone).
    const other = message(318, S6A, 0, [{ code: 625, vendor_id: 5535, mandatory: 0, data: { value: 30 } }]);
    expect(decode(encode(other))).toEqual(other);
  });

  it('keeps unknown AVPs with their code, flags, vendor and data', () => {
    const v = message(316, S6A, 1, [
      { code: 99999, mandatory: 1, data: { value: '0102' } },
      { code: 77777, vendor_id: 12345, data: { value: '' } },
    ]);
    const bytes = encode(v);
    expect(decode(bytes)).toEqual(v);
    expect(toHex(encode(decode(bytes)))).toBe(toHex(bytes));
  });

  it('decodes an AVP of unknown code generically, and warns only of its M bit (RFC 6733 §4.1)', () => {
    // Header (R, ULR, S6a) and three AVPs of codes the dictionary lacks: 99999 with M, 77777 with V
    // (vendor 12345) only, 66666 with V and M.
    const hex =
      '0100003c' +
      '8000013c' +
      '01000023' +
      '00000001' +
      '00000002' +
      '0001869f' +
      '40' +
      '00000a' +
      '0102' +
      '0000' + // code 99999, M, length 10, data 01 02, padding
      '00012fd1' +
      '80' +
      '00000c' +
      '00003039' + // code 77777, V, length 12, vendor 12345, no data
      '0001046a' +
      'c0' +
      '000010' +
      '000028af' +
      'cafe0001'; // code 66666, V and M, length 16, vendor 10415, data
    const r = dissect(fromHex(hex));
    const avps = r.tree.children.find((c) => c.filter === 'diameter.avps')!.children;
    const show = (n: (typeof avps)[number], f: string) => [...walkNodes(n)].filter((c) => c.filter === f).map((c) => c.show);
    expect(avps.map((a) => show(a, 'diameter.avp.code')[0])).toEqual(['99999', '77777', '66666']);
    expect(avps.map((a) => show(a, 'diameter.flags.mandatory')[0])).toEqual(['1', '0', '1']);
    expect(avps.map((a) => show(a, 'diameter.flags.vendorspecific')[0])).toEqual(['0', '1', '1']);
    expect(avps.map((a) => show(a, 'diameter.avp.len')[0])).toEqual(['10', '12', '16']);
    expect(avps.map((a) => show(a, 'diameter.avp.vendorId')[0])).toEqual([undefined, '12345', '10415']);
    expect(avps.map((a) => show(a, 'diameter.avp.unknown')[0])).toEqual(['0102', '', 'cafe0001']);
    // One warning per AVP with M set, on the M bit (octet 4 bit 7 of the AVP: AVPs at octets 20 and 44).
    expect(r.expert.map((e) => [e.id, e.severity, e.path, e.bitOffset, e.bitLength])).toEqual([
      ['const_mismatch', 'warn', '/avps/0/mandatory', 20 * 8 + 33, 1],
      ['const_mismatch', 'warn', '/avps/2/mandatory', 44 * 8 + 33, 1],
    ]);
    expect(toHex(encode(r.value))).toBe(hex);
  });

  it("shows an S6a User-Name as the E.212 IMSI with its MCC and MNC, and no other application's", () => {
    const e212 = (app: number) =>
      [...walkNodes(dissect(encode(message(316, app, 1, [base(1, { value: '310150123456789' })]))).tree)].filter((n) => n.filter.startsWith('e212.')).map((n) => `${n.filter}=${n.show}`);
    // TS 23.003 §2.2: MCC 310 (United States) takes a three-digit MNC.
    expect(e212(S6A)).toEqual(['e212.imsi=310150123456789', 'e212.assoc.imsi=310150123456789', 'e212.mcc=310', 'e212.mnc=150']);
    expect(e212(16777310)).toEqual([]);
  });

  it('keeps non-zero padding, a set P flag and an overlong data field, byte for byte', () => {
    // Session-Id "a" with padding ff ff ff; Result-Code with the P flag; Origin-State-Id 8 octets long.
    const hex =
      '0100003c' +
      'c000013c' +
      '01000023' +
      '00000001' +
      '00000002' +
      '00000107' +
      '40' +
      '000009' +
      '61' +
      'ffffff' +
      '0000010c' +
      '60' +
      '00000c' +
      '000007d1' +
      '00000116' +
      '40' +
      '000010' +
      '00000001' +
      '00000002';
    const r = dissect(fromHex(hex));
    expect(r.expert.map((e) => e.id).sort()).toEqual(['const_mismatch', 'extraneous_data', 'spare_not_zero']);
    expect(toHex(encode(r.value))).toBe(hex);
  });

  it('reads a truncated AVP as malformed, without throwing', () => {
    const bytes = encode(ula).subarray(0, 60);
    const r = dissect(bytes);
    expect(r.expert.some((e) => e.severity === 'error')).toBe(true);
    expect(() => decode(bytes)).toThrow();
  });

  it('names the provisional code points from provisional.yaml', () => {
    const label = (e: string, k: number) => ir.enums.get(e)!.values.get(k);
    expect(label('dia_avp_code', 9000)).toBe('Group-Key-Info');
    expect(label('dia_avp_code', 9006)).toBe('Gk-Lifetime');
    expect(label('dia_command_code', 16777214)).toBe('Group-Key-Provisioning');
    expect(label('dia_command_code', 16777215)).toBe('MT-Group-Data');
    expect(label('dia_application_id', 4294967294)).toMatch(/^T5/);
    expect(label('dia_action_type', 100)).toBe('Group Message Delivery');
  });

  it('lists every dictionary AVP alike in the code enum, the AVP dispatch and the data switch', () => {
    const dispatch = ir.types.get('dia_avp') as DispatchType;
    const std = ir.types.get('dia_avp_std') as StructType;
    const data = std.fields.find((f) => f.id === 'data') as SwitchField;
    const codes = [...ir.enums.get('dia_avp_code')!.values.keys()].sort((a, b) => a - b);
    const viaStd = [...dispatch.cases].filter(([, t]) => t() === std).map(([k]) => k);
    const provisional = [...dispatch.cases].filter(([, t]) => t() !== std).map(([k]) => k);
    expect([...viaStd, ...provisional].sort((a, b) => a - b)).toEqual(codes);
    expect([...data.cases.keys()].sort((a, b) => a - b)).toEqual(viaStd.sort((a, b) => a - b));
    expect(provisional.sort((a, b) => a - b)).toEqual([9000, 9001, 9002, 9003, 9004, 9005, 9006]);
    // Every provisional AVP has the same header layout as the dictionary's.
    for (const k of provisional) {
      const t = dispatch.cases.get(k)!() as StructType;
      expect(t.fields.map((f) => [f.id, f.filter])).toEqual(std.fields.map((f) => [f.id, f.filter]));
    }
  });

  it('round-trips generated messages (fixed seed)', () => {
    const arb = new Arbitraries(ir, { maxItems: 4 }).message('diameter_message', 'diameter');
    let grouped = 0;
    fc.assert(
      fc.property(arb, (v) => {
        const bytes = encode(v);
        expect(bytes.length % 4).toBe(0);
        const r = dissect(bytes);
        expect(r.expert.filter((e) => e.severity === 'error')).toEqual([]);
        expect(r.value).toEqual(v);
        expect(toHex(encode(r.value))).toBe(toHex(bytes));
        if ((JSON.stringify(v).match(/"avps":\[\{/g) ?? []).length > 1) grouped++;
      }),
      { seed: 6733, numRuns: 300 },
    );
    expect(grouped).toBeGreaterThan(0);
  });
});
