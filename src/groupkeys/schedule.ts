/**
 * The Group GW's key schedule: random group keys, or keys derived from a group root key with the
 * TS 33.220 KDF. The FC value is provisional (no FC is allocated for group keys; see
 * docs/wire-formats.md) and can be set per call.
 */
import { BitWriter } from '../engine/bits.js';
import { imsiGroupId } from '../codecs/group-id.js';
import type { AlgId } from '../security/algorithms.js';
import { kdf } from '../security/kdf.js';
import type { GroupKeyRecord } from '../security/keys.js';

export const GROUP_KEY_FC = 0x5a;
/** Algorithm type distinguishers, as TS 33.401 A.7 uses them for NAS. */
const CONF = 0x01;
const INTEG = 0x02;

export interface GroupKeyParams {
  gid: string;
  gki: number;
  eea: AlgId;
  eia: AlgId;
}

function gidBytes(gid: string): Uint8Array {
  const w = new BitWriter();
  imsiGroupId.encode(w, gid, {});
  return w.finish();
}

/** Gk_conf and Gk_integ = last 128 bits of KDF(root, FC, distinguisher, algorithm, GID, Gki). */
export function deriveGroupKeys(root: Uint8Array, p: GroupKeyParams, fc = GROUP_KEY_FC): GroupKeyRecord {
  const derive = (distinguisher: number, alg: number) => kdf(root, fc, [Uint8Array.of(distinguisher), Uint8Array.of(alg), gidBytes(p.gid), Uint8Array.of(p.gki)]).slice(16);
  return { gid: p.gid.toLowerCase(), gki: p.gki, eea: p.eea, eia: p.eia, gkConf: derive(CONF, p.eea), gkInteg: derive(INTEG, p.eia), where: `derived(${p.gid}, Gki ${p.gki})` };
}

export function randomGroupKeys(p: GroupKeyParams): GroupKeyRecord {
  const key = () => globalThis.crypto.getRandomValues(new Uint8Array(16));
  gidBytes(p.gid); // validates the GID text
  return { gid: p.gid.toLowerCase(), gki: p.gki, eea: p.eea, eia: p.eia, gkConf: key(), gkInteg: key(), where: `random(${p.gid}, Gki ${p.gki})` };
}

/** A key rollover: the next Gki (mod 256) with new keys from `make`. */
export function rollover(current: GroupKeyRecord, make: (p: GroupKeyParams) => GroupKeyRecord = randomGroupKeys): GroupKeyRecord {
  return make({ gid: current.gid, gki: (current.gki + 1) % 256, eea: current.eea, eia: current.eia });
}
