/** Building and checking protected group messages with known keys (the MTC-IWF's and a UE's side). */
import { dissectFull, encode } from '../api.js';
import { toHex } from '../engine/format.js';
import { walk } from '../engine/tree.js';
import type { AlgId } from '../security/algorithms.js';
import type { SecuritySession } from '../security/session.js';
import type { GroupKeyRecord } from '../security/keys.js';
import { groupCipher, groupMac } from './gmsg-scheme.js';

export interface GroupMessageInput {
  key: GroupKeyRecord;
  /** Sequence number, used as COUNT; never reused for one (GID, Gki). */
  count: number;
  payload: Uint8Array;
  /** Cipher the payload with Gk_conf and the key's EEA (otherwise EEA0: integrity only). */
  cipher: boolean;
}

/** Header || payload (ciphered when asked) || MAC with Gk_integ over everything before it. */
export function protectGroupMessage(m: GroupMessageInput): Uint8Array {
  const eea = (m.cipher ? m.key.eea : 0) as AlgId;
  if (m.cipher && eea === 0) throw new TypeError(`${m.key.where}: ciphering asked but the group's algorithm is EEA0`);
  const body = groupCipher(m.key.gkConf, eea, m.count, m.payload);
  const value = (macValue: number) => ({
    message: 'group_message', ciphering: eea, integrity: m.key.eia, gid: m.key.gid, gki: m.key.gki,
    sequence_number: m.count, payload: toHex(m.payload), _ciphered: eea ? toHex(body) : undefined, mac: macValue,
  });
  const draft = encode(value(0), 'gmsg');
  const macNode = [...walk(dissectFull(draft, 'gmsg').tree)].find((n) => n.filter === 'gmsg.mac');
  if (!macNode) throw new Error('group message grammar has no gmsg.mac field');
  const t = groupMac(m.key.gkInteg, m.key.eia, m.count, draft.subarray(0, macNode.bitOffset >> 3));
  return encode(value(((t[0] << 24) | (t[1] << 16) | (t[2] << 8) | t[3]) >>> 0), 'gmsg');
}

export interface GroupMessageVerdict {
  mac: 'good' | 'bad' | 'unverified';
  replay?: 'ok' | 'replayed' | 'too_old';
  /** The payload, deciphered when it was ciphered and the key is known. */
  payload?: Uint8Array;
}

/** Verifies group messages in order against a session (its replay windows persist across calls). */
export function verifyGroupMessage(bytes: Uint8Array, session: SecuritySession): GroupMessageVerdict {
  const r = dissectFull(bytes, 'gmsg', { session });
  const nodes = [...walk(r.tree)];
  const show = (f: string) => nodes.find((n) => n.filter === f)?.show;
  const payload = show('gmsg.payload');
  return {
    mac: (show('gmsg.mac.status') ?? 'unverified') as GroupMessageVerdict['mac'],
    replay: show('gmsg.replay.status') as GroupMessageVerdict['replay'],
    payload: payload === undefined ? undefined : Uint8Array.from(payload.match(/../g) ?? [], (h) => parseInt(h, 16)),
  };
}
