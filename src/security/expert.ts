/** Expert ids of NAS-EPS security (TS 33.401): integrity and ciphering verdicts, COUNT, group keys in NAS. */
import { expertFactory, type ExpertCatalogue } from '../engine/expert.js';

/** MAC and integrity algorithm verdicts, shared by every protected format (NAS-EPS, group messages). */
export const INTEGRITY_EXPERT = {
  mac_mismatch: { severity: 'error', group: 'security', summary: 'the MAC does not verify with the keys given' },
  mac_not_verified: { severity: 'chat', group: 'security', summary: 'no key to verify the MAC with' },
  null_integrity: { severity: 'warn', group: 'security', summary: 'integrity protection with the null algorithm (EIA0)' },
  mac_truncated: { severity: 'error', group: 'security', summary: 'the message ends before its MAC does: it cannot verify' },
} as const satisfies ExpertCatalogue;

export const NAS_EXPERT = {
  ...INTEGRITY_EXPERT,
  null_ciphering: { severity: 'note', group: 'security', summary: 'ciphering with the null algorithm (EEA0)' },
  replayed_count: { severity: 'warn', group: 'sequence', summary: 'a COUNT already used in this direction: replayed or out of order' },
  keys_in_clear: { severity: 'error', group: 'security', summary: 'group keys in a message that is not ciphered (or under EEA0)' },
  unknown_algorithm: { severity: 'error', group: 'security', summary: 'a Security Mode Command selects an algorithm identity with no algorithm (4-7): it cannot verify' },
  keystream_reused: { severity: 'error', group: 'security', summary: 'two ciphered elements of one message under the same keystream' },
} as const satisfies ExpertCatalogue;

export type NasExpertId = keyof typeof NAS_EXPERT;

export const nasExpert = expertFactory(NAS_EXPERT);
