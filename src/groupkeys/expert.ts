/** Expert ids of protected group messages and of the group key audit over a capture. */
import { expertFactory, type ExpertCatalogue } from '../engine/expert.js';
import { INTEGRITY_EXPERT, NAS_EXPERT } from '../security/expert.js';

export const GMSG_EXPERT = {
  ...INTEGRITY_EXPERT,
  replayed: { severity: 'warn', group: 'security', summary: 'a group message whose sequence number was already received' },
  too_old: { severity: 'warn', group: 'security', summary: 'a group message older than the replay window' },
  trailing_data: { severity: 'error', group: 'security', summary: 'octets after the MAC, which it does not cover' },
  algorithm_downgrade: { severity: 'error', group: 'security', summary: 'the header names algorithms other than those bound to the group key' },
} as const satisfies ExpertCatalogue;

/** Findings about how group keys were distributed (src/groupkeys/audit.ts). */
export const AUDIT_EXPERT = {
  keys_in_clear: NAS_EXPERT.keys_in_clear,
  null_integrity: INTEGRITY_EXPERT.null_integrity,
  keys_null_algorithms: { severity: 'warn', group: 'security', summary: 'group keys under a NAS context with EEA0 or EIA0' },
  keys_before_security_mode: { severity: 'warn', group: 'security', summary: 'group keys sent before the Security Mode procedure completed' },
  group_key_conflict: { severity: 'error', group: 'security', summary: 'one (GID, Gki) distributed with two different sets of keys' },
  gki_reused: { severity: 'error', group: 'security', summary: 'a Gki reused with new keys after the group changed keys' },
} as const satisfies ExpertCatalogue;

export type GmsgExpertId = keyof typeof GMSG_EXPERT;
export type AuditExpertId = keyof typeof AUDIT_EXPERT;

export const gmsgExpert = expertFactory(GMSG_EXPERT);
export const auditExpert = expertFactory(AUDIT_EXPERT);
