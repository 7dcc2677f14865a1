/** Group key sets as NAS IE values: the plain Group key information and its ciphered form. */
import { BitWriter } from '../engine/bits.js';
import { Encoder } from '../engine/encode.js';
import { toHex } from '../engine/format.js';
import { defaultGrammar } from '../grammar/default.js';
import type { AlgId } from '../security/algorithms.js';
import { cipherGroupKeyInformation } from '../security/group-key-ie.js';
import type { GroupKeyRecord } from '../security/keys.js';

export interface GroupKeySetOptions {
  /** Key lifetime in seconds. */
  lifetime?: number;
  startCount?: number;
}

/** The value of one group key set (grammar type group_key_set) for a key record. */
export function groupKeySet(k: GroupKeyRecord, o: GroupKeySetOptions = {}): Record<string, unknown> {
  return {
    gid: k.gid,
    gki: k.gki,
    ciphering: k.eea,
    integrity: k.eia,
    gk_conf: toHex(k.gkConf),
    gk_integ: toHex(k.gkInteg),
    ...(o.lifetime === undefined ? {} : { lifetime: o.lifetime }),
    ...(o.startCount === undefined ? {} : { start_count: o.startCount }),
  };
}

/** Group key information IE value for some key records. */
export const groupKeyInformation = (keys: readonly GroupKeyRecord[], o?: GroupKeySetOptions) => ({ groups: keys.map((k) => groupKeySet(k, o)) });

/**
 * Ciphered group key information IE value: the plain value ciphered under K_NASenc for the carrying
 * downlink message's NAS COUNT (see security/group-key-ie.ts for the keystream inputs).
 */
export function cipheredGroupKeyInformation(keys: readonly GroupKeyRecord[], knasenc: Uint8Array, eea: AlgId, count: number, o?: GroupKeySetOptions) {
  const plain = groupKeyInformation(keys, o);
  const ir = defaultGrammar();
  const w = new BitWriter();
  new Encoder(ir).type(ir.types.get('group_key_information')!, plain, w, '');
  return { group_keys: plain, _ciphered: toHex(cipherGroupKeyInformation(w.finish(), knasenc, eea, count)) };
}
