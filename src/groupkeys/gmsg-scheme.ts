/**
 * Verifying and deciphering protected group messages: keys by (GID, Gki) from the keys file, MAC with
 * Gk_integ over header || payload as sent, payload deciphered with Gk_conf, COUNT = the sequence
 * number, BEARER 0, DIRECTION downlink; replay checked per (GID, Gki) in capture order.
 */
import { generated, type Opened, type ProtectionRequest, type ProtectionScheme } from '../engine/protection.js';
import type { TreeNode } from '../engine/tree.js';
import { gmsgExpert } from './expert.js';
import { EEA_NAMES, EIA_NAMES, encrypt, mac, macEqual, type AlgId } from '../security/algorithms.js';
import type { GroupKeyRecord } from '../security/keys.js';
import { ReplayWindow, type ReplayVerdict } from '../security/replay.js';

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

export const groupMac = (key: Uint8Array, eia: AlgId, count: number, covered: Uint8Array) => mac(eia, key, count, GROUP_MESSAGE_BEARER, GROUP_MESSAGE_DIRECTION, covered, covered.length * 8);
export const groupCipher = (key: Uint8Array, eea: AlgId, count: number, data: Uint8Array) => encrypt(eea, key, count, GROUP_MESSAGE_BEARER, GROUP_MESSAGE_DIRECTION, data, data.length * 8);

const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** Why a message with a known key is bad before any MAC is computed, or undefined when it can be verified. */
function refusal(req: ProtectionRequest, h: Header, key: GroupKeyRecord): { id: 'algorithm_downgrade' | 'mac_truncated' | 'trailing_data'; message: string } | undefined {
  // The key's algorithms are bound to it at delivery; the header only echoes them.
  const bound = `GID ${key.gid} Gki ${key.gki} is bound to ${EIA_NAMES[key.eia]} and ${EEA_NAMES[key.eea]}`;
  if (h.integrity !== key.eia) return { id: 'algorithm_downgrade', message: `the header names ${EIA_NAMES[h.integrity] ?? `EIA ${h.integrity}`}; ${bound}` };
  if (h.ciphering !== key.eea && h.ciphering !== 0) return { id: 'algorithm_downgrade', message: `the header names ${EEA_NAMES[h.ciphering] ?? `EEA ${h.ciphering}`}; ${bound}` };
  const m = req.macField;
  if (req.truncated || !m || m.start + m.bits > req.end) return { id: 'mac_truncated', message: 'the message ends before its MAC does' };
  if (m.start + m.bits < req.end) return { id: 'trailing_data', message: `${(req.end - m.start - m.bits) / 8} octets after the MAC` };
  return undefined;
}

interface Verdict {
  status: 'good' | 'bad' | 'unverified';
  key?: GroupKeyRecord;
  calculated?: number;
  refused?: ReturnType<typeof refusal>;
  replay?: ReplayVerdict;
}

export class GroupMessageSecurity implements ProtectionScheme {
  private windows = new Map<string, ReplayWindow>();
  private verdicts = new WeakMap<ProtectionRequest, Verdict>();

  constructor(private groups: readonly GroupKeyRecord[]) {}

  private keyOf(h: Header): GroupKeyRecord | undefined {
    return this.groups.find((g) => g.gid === String(h.gid).toLowerCase() && g.gki === h.gki);
  }

  /** The MAC is checked first; only a good MAC deciphers the payload and moves the replay window. */
  open(req: ProtectionRequest): Opened {
    const v = this.judge(req);
    this.verdicts.set(req, v);
    if (v.status !== 'good' || !req.ciphered) return {};
    const h = req.value as unknown as Header;
    const payload = req.bytes.subarray(req.payloadStart >> 3, req.payloadEnd >> 3);
    return { plaintext: groupCipher(v.key!.gkConf, v.key!.eea, h.sequence_number, payload) };
  }

  private judge(req: ProtectionRequest): Verdict {
    const h = req.value as unknown as Header;
    const key = this.keyOf(h);
    if (!key) return { status: 'unverified' };
    const refused = refusal(req, h, key);
    if (refused) return { status: 'bad', key, refused };
    const macAt = req.macField!.start;
    const mac = groupMac(key.gkInteg, key.eia, h.sequence_number, req.bytes.subarray(req.coverStart >> 3, macAt >> 3));
    const calculated = u32(mac, 0);
    if (!macEqual(mac, req.bytes.subarray(macAt >> 3, (macAt >> 3) + 4))) return { status: 'bad', key, calculated };
    // A group message reaches every member: replay is judged per receiver when the capture names it.
    const id = `${req.receiver ?? ''}/${key.gid}/${key.gki}`;
    const window = this.windows.get(id) ?? this.windows.set(id, new ReplayWindow()).get(id)!;
    const replay = window.check(h.sequence_number);
    if (replay === 'ok') window.accept(h.sequence_number);
    return { status: 'good', key, calculated, replay };
  }

  close(req: ProtectionRequest): TreeNode[] {
    const h = req.value as unknown as Header;
    const at = req.coverEnd;
    // Cut before the payload: open() never ran.
    const v = this.verdicts.get(req) ?? this.judge(req);
    const st = generated('gmsg.mac.status', 'MAC status', v.status, v.status, at, `MAC status: ${v.status[0].toUpperCase()}${v.status.slice(1)}`);
    if (!v.key) {
      st.expert.push(gmsgExpert('mac_not_verified', `no group key for ${h.gid} Gki ${h.gki}`, req.path, at, 32));
      return [st];
    }
    if (v.refused) {
      st.expert.push(gmsgExpert(v.refused.id, v.refused.message, req.path, at, 32));
      return [st];
    }
    const calc = v.calculated!;
    const out = [st, generated('gmsg.mac.calculated', 'Calculated MAC', calc, hex32(calc), at)];
    const input = `COUNT ${hex32(h.sequence_number)}, BEARER ${GROUP_MESSAGE_BEARER}, DIRECTION Downlink (1), ${EIA_NAMES[v.key.eia]}, key ${v.key.where}`;
    out.push(generated('gmsg.mac.input', 'MAC input', input, input, at));
    if (v.status === 'bad') {
      st.expert.push(gmsgExpert('mac_mismatch', `Bad MAC ${hex32(h.mac ?? 0)} [should be ${hex32(calc)}]`, req.path, at, 32));
      return out;
    }
    const replay = generated('gmsg.replay.status', 'Replay status', v.replay, v.replay!, at);
    if (v.replay !== 'ok')
      replay.expert.push(
        gmsgExpert(v.replay!, `sequence number ${h.sequence_number} ${v.replay === 'replayed' ? 'was already received' : 'is older than the replay window'}`, req.path, req.coverStart, 0),
      );
    out.push(replay);
    return out;
  }
}
