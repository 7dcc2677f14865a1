import { describe, expect, test } from 'vitest';
import { ENGINE_EXPERT, expertItem } from '../../src/engine/expert.js';
import { EXPERT, isExpertId } from '../../src/expert.js';
import { AUDIT_EXPERT, auditExpert, GMSG_EXPERT, gmsgExpert } from '../../src/groupkeys/expert.js';
import { NAS_EXPERT, nasExpert } from '../../src/security/expert.js';

describe('expert ids', () => {
  test('each layer makes items only from its own catalogue (tsc checks the @ts-expect-error lines)', () => {
    // A typo is a compile error, not a run-time surprise.
    // @ts-expect-error 'truncatd' is no engine expert id
    expect(() => expertItem('truncatd', 'x', '', 0, 8)).toThrow(TypeError);
    // @ts-expect-error a group message verdict is not a NAS-EPS one
    expect(() => nasExpert('too_old', 'x', '', 0, 8)).toThrow(TypeError);
    // @ts-expect-error the engine does not judge MACs
    expect(() => expertItem('mac_mismatch', 'x', '', 0, 8)).toThrow(TypeError);
    expect(gmsgExpert('too_old', 'old', '/sequence_number', 48, 0)).toEqual({
      id: 'too_old',
      severity: 'warn',
      group: 'security',
      message: 'old',
      path: '/sequence_number',
      bitOffset: 48,
      bitLength: 0,
    });
    expect(auditExpert('gki_reused', 'again', '', 0, 8).severity).toBe('error');
  });

  test('the ids users see are unchanged', () => {
    expect(Object.keys(EXPERT)).toEqual(
      expect.arrayContaining([
        'truncated',
        'element_too_short',
        'length_exceeds_window',
        'length_out_of_range',
        'extraneous_data',
        'missing_mandatory',
        'unknown_iei',
        'ie_out_of_order',
        'ie_repeated',
        'reserved_value',
        'spare_not_zero',
        'const_mismatch',
        'unknown_message_type',
        'list_count_out_of_range',
        'invalid_value',
        'nested_decode_failed',
        'mac_mismatch',
        'mac_not_verified',
        'null_integrity',
        'null_ciphering',
        'replayed',
        'too_old',
        'keys_in_clear',
        'keys_null_algorithms',
        'keys_before_security_mode',
        'group_key_conflict',
        'gki_reused',
        'replayed_count',
      ]),
    );
    // An id two layers share has one severity and group: the joined catalogue loses nothing.
    for (const layer of [ENGINE_EXPERT, NAS_EXPERT, GMSG_EXPERT, AUDIT_EXPERT]) {
      for (const [id, info] of Object.entries(layer)) expect(EXPERT[id as keyof typeof EXPERT], id).toEqual(info);
    }
    expect(isExpertId('null_integrity')).toBe(true);
    expect(isExpertId('toString')).toBe(false);
    expect(EXPERT.null_ciphering).toEqual({ severity: 'note', group: 'security', summary: 'ciphering with the null algorithm (EEA0)' });
  });
});
