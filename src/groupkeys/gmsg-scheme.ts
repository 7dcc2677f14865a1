/**
 * Verifying and deciphering protected group messages: keys by (GID, Gki) from the keys file, MAC with
 * Gk_integ over header || payload as sent, payload deciphered with Gk_conf, COUNT = the sequence
 * number, BEARER 0, DIRECTION downlink; replay checked per (GID, Gki) in capture order.
 */
import { generated, type Opened, type ProtectionRequest, type ProtectionScheme } from '../engine/protection.js';
import type { TreeNode } from '../engine/tree.js';
import { gmsgExpert } from './expert.js';
import { EIA_NAMES, encrypt, mac, macEqual, type AlgId } from '../security/algorithms.js';
import type { GroupKeyRecord } from '../security/keys.js';
import { ReplayWindow } from './replay.js';

export const GROUP_MESSAGE_BEARER = 0;
export const GROUP_MESSAGE_DIRECTION = 1;

interface Header {
  gid: string;
  gki: number;
  ciphering: number;
  integrity: number;
  sequence_number: number;
  mac?: number;
}

export const groupMac = (key: Uint8Array, eia: AlgId, count: number, covered: Uint8Array) =>
  mac(eia, key, count, GROUP_MESSAGE_BEARER, GROUP_MESSAGE_DIRECTION, covered, covered.length * 8);
export const groupCipher = (key: Uint8Array, eea: AlgId, count: number, data: Uint8Array) =>
  encrypt(eea, key, count, GROUP_MESSAGE_BEARER, GROUP_MESSAGE_DIRECTION, data, data.length * 8);

const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export class GroupMessageSecurity implements ProtectionScheme {
  private windows = new Map<string, ReplayWindow>();

  constructor(private groups: readonly GroupKeyRecord[]) {}

  private keyOf(h: Header): GroupKeyRecord | undefined {
    return this.groups.find((g) => g.gid === String(h.gid).toLowerCase() && g.gki === h.gki);
  }

  open(req: ProtectionRequest): Opened {
    const h = req.value as unknown as Header;
    const key = this.keyOf(h);
    if (!req.ciphered || !key || h.ciphering > 3) return {};
    const payload = req.bytes.subarray(req.payloadStart >> 3, req.payloadEnd >> 3);
    return { plaintext: groupCipher(key.gkConf, h.ciphering as AlgId, h.sequence_number, payload) };
  }

  close(req: ProtectionRequest): TreeNode[] {
    const h = req.value as unknown as Header;
    const at = req.coverEnd;
    const key = this.keyOf(h);
    const status = (s: string, display: string) => generated('gmsg.mac.status', 'MAC status', s, s, at, `MAC status: ${display}`);
    if (!key || h.integrity > 3 || h.mac === undefined) {
      const n = status('unverified', 'Unverified');
      n.expert.push(gmsgExpert('mac_not_verified', `no group key for ${h.gid} Gki ${h.gki}`, req.path, at, 32));
      return [n];
    }
    const covered = req.bytes.subarray(req.coverStart >> 3, req.coverEnd >> 3);
    const calc = groupMac(key.gkInteg, h.integrity as AlgId, h.sequence_number, covered);
    const calcN = ((calc[0] << 24) | (calc[1] << 16) | (calc[2] << 8) | calc[3]) >>> 0;
    const good = macEqual(calc, Uint8Array.of(h.mac >>> 24, (h.mac >>> 16) & 0xff, (h.mac >>> 8) & 0xff, h.mac & 0xff));
    const st = status(good ? 'good' : 'bad', good ? 'Good' : 'Bad');
    const out = [st, generated('gmsg.mac.calculated', 'Calculated MAC', calcN, hex32(calcN), at)];
    const input = `COUNT ${hex32(h.sequence_number)}, BEARER ${GROUP_MESSAGE_BEARER}, DIRECTION Downlink (1), ${EIA_NAMES[h.integrity]}, key ${key.where}`;
    out.push(generated('gmsg.mac.input', 'MAC input', input, input, at));
    if (!good) {
      st.expert.push(gmsgExpert('mac_mismatch', `Bad MAC ${hex32(h.mac)} [should be ${hex32(calcN)}]`, req.path, at, 32));
      return out;
    }
    if (h.integrity === 0) st.expert.push(gmsgExpert('null_integrity', 'EIA0: the group message has no integrity protection', req.path, at, 32));
    // A group message reaches every member: replay is judged per receiver when the capture names it.
    const id = `${req.receiver ?? ''}/${key.gid}/${key.gki}`;
    const window = this.windows.get(id) ?? this.windows.set(id, new ReplayWindow()).get(id)!;
    const verdict = window.check(h.sequence_number);
    const replay = generated('gmsg.replay.status', 'Replay status', verdict, verdict, at);
    if (verdict === 'ok') window.accept(h.sequence_number);
    else replay.expert.push(gmsgExpert(verdict, `sequence number ${h.sequence_number} ${verdict === 'replayed' ? 'was already received' : 'is older than the replay window'}`, req.path, req.coverStart, 0));
    out.push(replay);
    return out;
  }
}
