/**
 * Feature-List bits (TS 29.272 §7.3.10) depend on the Feature-List-ID beside them in Supported-Features
 * and on the application: the grammar keeps the ID (`keep:`) and the derived field asks for it (`when:`).
 */
import { describe, expect, it } from 'vitest';
import { dissectFull, walk } from '../../src/index.js';
import { baseAvp, diameterMessage, grouped, tgppAvp, u32, utf8 } from '../interop/diameter-bytes.js';

const S6A = 16777251;
const TSP = 16777309;

const fieldsOf = (app: number, ...avps: Uint8Array[]) => {
  const tree = dissectFull(diameterMessage({ code: 318, app, request: true, hop: 1, e2e: 1 }, baseAvp(263, utf8('s;1')), ...avps), 'diameter').tree;
  const out = new Map<string, string>();
  for (const n of walk(tree)) if (n.filter.startsWith('diameter.3gpp.feature_list')) out.set(n.filter, n.show ?? '');
  return out;
};
const features = (id: number | undefined, list: number) =>
  tgppAvp(628, grouped(baseAvp(266, u32(10415)), ...(id === undefined ? [] : [tgppAvp(629, u32(id), false)]), tgppAvp(630, u32(list), false)), false);

describe('Feature-List', () => {
  it('shows the bits of the list its Feature-List-ID names', () => {
    const one = fieldsOf(S6A, features(1, 0x80000001));
    expect(one.get('diameter.3gpp.feature_list_flags')).toBe('0x80000001');
    expect(one.get('diameter.3gpp.feature_list1_s6a_flags_bit0')).toBe('1');
    expect(one.get('diameter.3gpp.feature_list1_s6a_flags_bit31')).toBe('1');
    expect(one.get('diameter.3gpp.feature_list1_s6a_flags_bit1')).toBe('0');
    expect([...one.keys()].some((k) => k.includes('list2'))).toBe(false);

    const two = fieldsOf(S6A, features(2, 0x30000002));
    expect(two.get('diameter.3gpp.feature_list2_s6a_flags_bit1')).toBe('1');
    expect(two.get('diameter.3gpp.feature_list2_s6a_flags_spare')).toBe('0x00000003');
    expect([...two.keys()].some((k) => k.includes('list1'))).toBe(false);
  });

  it('shows no bits without a Feature-List-ID, for a list S6a does not define, or outside S6a', () => {
    expect(fieldsOf(S6A, features(undefined, 1)).size).toBe(0);
    expect(fieldsOf(S6A, features(3, 1)).size).toBe(0);
    expect(fieldsOf(TSP, features(1, 1)).size).toBe(0);
  });

  it('takes the Feature-List-ID of its own message only', () => {
    fieldsOf(S6A, features(1, 1));
    expect(fieldsOf(S6A, features(undefined, 1)).size).toBe(0);
  });
});
