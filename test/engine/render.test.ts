// Renderings declared by grammars (src/engine/render.ts), checked against the specifications' examples.
import { describe, expect, it } from 'vitest';

import { DERIVATIONS, gsm7, renderBytes } from '../../src/engine/render.js';
import { fromHex } from '../../src/index.js';

/** A derivation's one generated field. */
const derive = (name: string, from: unknown[]) => {
  const r = DERIVATIONS[name].derive(from, {});
  return Array.isArray(r) ? r[0] : r;
};

describe('field renderings', () => {
  it('writes addresses as FT_IPv4 and FT_IPv6 do (RFC 5952 for IPv6)', () => {
    expect(renderBytes('ipv4', fromHex('0ae1000a'))).toBe('10.225.0.10');
    expect(renderBytes('ipv6', fromHex('20010db8000000000000000000000001'))).toBe('2001:db8::1');
    expect(renderBytes('ipv6', fromHex('20010db8000000010000000000000000'))).toBe('2001:db8:0:1::');
    expect(renderBytes('ipv6', fromHex('20010db8000100000001000000000001'))).toBe('2001:db8:1:0:1::1');
    expect(renderBytes('ipv6', fromHex('20010db800000001'))).toBe('2001:db8:0:1::');
    expect(renderBytes('ipv4', fromHex('0a00'))).toBeUndefined();
  });

  it('joins APN labels with dots and reads BCD digits low nibble first', () => {
    expect(renderBytes('apn', fromHex('036f7267066d6e63303031'))).toBe('org.mnc001');
    expect(renderBytes('bcd', fromHex('214365f7'))).toBe('1234567');
  });

  it('decodes packed GSM 7-bit text (TS 23.038 §6.1.2.1.1) and UCS-2', () => {
    // "hello" packed: e8 32 9b fd 06
    expect(gsm7(fromHex('e8329bfd06'), 5)).toBe('hello');
    expect(gsm7(fromHex('7f'), 1)).toBe('à');
    expect(gsm7(fromHex('00'), 1)).toBe('@');
    expect(derive('network_name', [1, 0, '00480069'])?.show).toBe('Hi');
  });

  it('computes the total APN-AMBR of TS 24.301 §9.9.4.2 in kbps', () => {
    const total = (b: number, e?: number, e2?: number) => derive('apn_ambr_total', [b, e, e2])?.value;
    expect(total(254, 221, 16)).toBe(4294000);
    expect(total(254, 93)).toBe(35000);
    expect(total(254, 67)).toBe(15300);
    expect(total(254)).toBeUndefined();
  });

  it('gives the TACs after the first of a list of consecutive TACs (TS 24.301 §9.9.3.33)', () => {
    const r = DERIVATIONS.consecutive_tacs.derive([3, 0xffff], {});
    expect(Array.isArray(r) && r.map((d) => d.value)).toEqual([0, 1, 2]);
    expect(DERIVATIONS.consecutive_tacs.derive([0, 7], {})).toEqual([]);
  });

  it('gives GPRS timer lengths in the unit Wireshark shows (9 decihours = 54 min)', () => {
    expect(derive('gprs_timer', [2, 9])?.show).toBe('0x36');
    expect(derive('gprs_timer_3', [6, 1])?.value).toBe(320);
  });
});
