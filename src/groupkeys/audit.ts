/**
 * Security audit of group key distribution over a capture, in order: group keys that travel in
 * clear, under null NAS algorithms or before the Security Mode procedure completed; one (GID, Gki)
 * with two sets of keys; a Gki reused after the group moved on to another.
 */
import type { DissectResult } from '../engine/dissect.js';
import { findNode, type TreeNode } from '../engine/tree.js';
import { auditExpert, type AuditExpertId } from './expert.js';
import type { ProtectionSummary } from '../security/nas-scheme.js';

interface KeySet {
  gid: string;
  gki: number;
  integrity: number;
  gk_conf: string;
  gk_integ: string;
}

type Obj = Record<string, unknown>;

/** The value keys the audit looks under: a value holding one needs the full dissection and its audit. */
export const AUDITED_KEYS: ReadonlySet<string> = new Set(['group_key_information', 'ciphered_group_key_information']);

/** Group key sets in a decoded value, with the IE value holding them and whether it is the ciphered form. */
function keySets(value: unknown, out: Array<{ holder: Obj; sets: KeySet[]; cipheredForm: boolean }> = []) {
  if (!value || typeof value !== 'object') return out;
  const v = value as Obj;
  const plain = v.group_key_information as { groups?: KeySet[] } | undefined;
  if (Array.isArray(plain?.groups)) out.push({ holder: plain as Obj, sets: plain.groups, cipheredForm: false });
  const ciphered = (v.ciphered_group_key_information as Obj | undefined)?.group_keys as { groups?: KeySet[] } | undefined;
  if (Array.isArray(ciphered?.groups)) out.push({ holder: ciphered as Obj, sets: ciphered.groups, cipheredForm: true });
  for (const k in v) if (!AUDITED_KEYS.has(k)) keySets(v[k], out);
  return out;
}

export class GroupKeyAudit {
  private keys = new Map<string, string>();
  /** Gki values of each GID in the order they were first seen. */
  private history = new Map<string, number[]>();

  /** Adds the audit's findings to the tree; true when it added any. */
  check(r: DissectResult, nas: ProtectionSummary | undefined): boolean {
    let flagged = false;
    // The dissector watched the audited keys and decoded nothing that can hold one.
    if (r.watched === false) return false;
    for (const { holder, sets, cipheredForm } of keySets(r.value)) {
      const node = findNode(r.tree, (n) => n.value === holder) ?? r.tree;
      const flag = (id: AuditExpertId, message: string, n: TreeNode = node) => {
        flagged = true;
        n.expert.push(auditExpert(id, message, '', n.bitOffset, n.bitLength));
      };
      // The ciphered IE form is judged by its own deciphering (security/group-key-ie.ts).
      if (!cipheredForm && (!nas || nas.readable)) {
        flag('keys_in_clear', nas ? `group keys readable on the wire (security header type ${nas.sht}${nas.eea === 0 ? ', EEA0' : ''})` : 'group keys in a plain NAS message');
      }
      if (nas && (nas.eea === 0 || nas.eia === 0)) flag('keys_null_algorithms', `group keys under ${nas.eia === 0 ? 'EIA0' : 'EEA0'}`);
      if (!nas || (!nas.securityModeDone && nas.sht !== 3)) flag('keys_before_security_mode', 'group keys sent before the Security Mode procedure completed');
      for (const s of sets) {
        const id = `${s.gid}/${s.gki}`;
        const material = `${s.gk_conf}/${s.gk_integ}`;
        const seen = this.history.get(s.gid) ?? [];
        const known = this.keys.get(id);
        if (known === undefined) {
          this.keys.set(id, material);
          if (!seen.includes(s.gki)) this.history.set(s.gid, [...seen, s.gki]);
        } else if (known !== material) {
          const superseded = seen.indexOf(s.gki) < seen.length - 1;
          flag(
            superseded ? 'gki_reused' : 'group_key_conflict',
            superseded ? `Gki ${s.gki} of ${s.gid} reused with new keys after a key change` : `${s.gid} Gki ${s.gki} distributed with different keys`,
          );
          this.keys.set(id, material);
        }
        if (s.integrity === 0) flag('null_integrity', `group ${s.gid} Gki ${s.gki} uses EIA0: group messages would have no integrity protection`);
      }
    }
    return flagged;
  }
}
