import { describe, expect, test } from 'vitest';
import { DecodeError, EncodeError, decode, dissectFull, encode, fromHex } from '../../src/index.js';
import { childPointer } from '../../src/engine/pointer.js';

/** RFC 6901 evaluation, written out here so the test does not lean on the code under test. */
function resolve(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  expect(pointer.startsWith('/'), pointer).toBe(true);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((v, token) => (v as Record<string, unknown>)?.[token], value);
}

// Identity response (TS 24.301 §8.2.19), mobile identity LV 07 09 10 10 32 54 76 9a: IMSI digits 0 01 01 23 45 67 a9.
const BAD_DIGIT = '0756070910103254769a';

describe('one path form: JSON Pointer into the value', () => {
  test('an expert item points at the member holding the field', () => {
    const r = dissectFull(fromHex(BAD_DIGIT), 'nas-eps');
    const item = r.expert.find((e) => e.id === 'invalid_value')!;
    expect(item.path).toBe('/mobile_identity/imsi');
    expect(resolve(r.value, item.path)).toBe('00101234567a9');
  });

  test('DecodeError and EncodeError name the same field the same way', () => {
    let decodeError: unknown;
    try {
      decode(fromHex('0756080910103254769a')); // length 8, 7 octets follow
    } catch (e) {
      decodeError = e;
    }
    expect(decodeError).toBeInstanceOf(DecodeError);
    expect((decodeError as DecodeError).path).toBe('/mobile_identity');
    expect(() => encode({ message: 'identity_response', mobile_identity: { type_of_identity: 1, imsi: '0010x' } })).toThrow(
      expect.objectContaining({ name: 'EncodeError', path: '/mobile_identity/imsi' }),
    );
    expect(() => encode({ message: 'identity_request', identity_type: { type: 9 } })).toThrow(EncodeError);
  });

  test('a list item is its index; the whole value is the empty pointer', () => {
    // Attach accept (§8.2.1) from captures/nas-eps-samples.txt, its TAI list (§9.9.3.33) PLMN octets
    // changed to f0 f1 10: MCC digits 0, f, 1.
    const hex = '074201e006a0f0f1100001002c5201c10109100377777707616e726974737503636f6d05010a012037270e8080210a0300000a81060a000001500bf600f11080010100000001';
    const r = dissectFull(fromHex(hex), 'nas-eps');
    const bad = r.expert.find((e) => e.id === 'invalid_value')!;
    expect(bad.path).toBe('/tai_list/partial_lists/0/plmn');
    expect(resolve(r.value, bad.path)).toEqual({ mcc: '0f1', mnc: '01' });
    // The type-of-list octet a0 sets the spare bit 8, kept under its bit offset in the partial list.
    const spare = r.expert.find((e) => e.id === 'spare_not_zero')!;
    expect(spare.path).toBe('/tai_list/partial_lists/0/_spare_at_0');
    expect(resolve(r.value, spare.path)).toBe(1);
    // An unknown IE after Identity request: the item is about the message itself.
    const unknown = dissectFull(fromHex('075501ff'), 'nas-eps').expert.find((e) => e.id === 'unknown_iei')!;
    expect(unknown.path).toBe('');
  });

  test('member names are escaped (RFC 6901 §3)', () => {
    expect(childPointer('/a', 'b/c~d')).toBe('/a/b~1c~0d');
    expect(childPointer('', 3)).toBe('/3');
  });
});
