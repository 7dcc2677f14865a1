/** Building and checking protected group messages with known keys (the MTC-IWF's and a UE's side). */
import { dissectFull, encodeWith } from '../api.js';
import type { Sealer } from '../engine/encode.js';
import { fromHex, toHex } from '../engine/format.js';
import { walk } from '../engine/tree.js';
import type { AlgId } from '../security/algorithms.js';
import type { SecuritySession } from '../security/session.js';
import type { GroupKeyRecord } from '../security/keys.js';
import { groupCipher, groupMac } from './gmsg-scheme.js';

export interface GroupMessageInput {
  key: GroupKeyRecord;
  /** Sequence number, used as COUNT: 0 to MAX_GROUP_COUNT, never reused for one (GID, Gki). */
  count: number;
  payload: Uint8Array;
  /** Cipher the payload with Gk_conf and the key's EEA (otherwise EEA0: integrity only). */
  cipher: boolean;
}

/** The highest COUNT a group key protects; after it the group moves to the next Gki. */
export const MAX_GROUP_COUNT = 0xfffffffe;

/** A COUNT that must not be used: not above the last one sent, or past the key's last. */
export class CountError extends Error {}

/**
 * Header || payload (ciphered when asked) || MAC with Gk_integ over everything before it. Stateless:
 * the caller guarantees that no COUNT is used twice with a key (GroupMessageSender does).
 */
export function protectGroupMessage(m: GroupMessageInput): Uint8Array {
  const eea = (m.cipher ? m.key.eea : 0) as AlgId;
  if (m.cipher && eea === 0) throw new TypeError(`${m.key.where}: ciphering asked but the group's algorithm is EEA0`);
  if (!Number.isInteger(m.count) || m.count < 0 || m.count > MAX_GROUP_COUNT) throw new CountError(`COUNT ${m.count} is outside 0-${MAX_GROUP_COUNT}`);
  const gmsg: Sealer = {
    cipher: (plain) => groupCipher(m.key.gkConf, eea, m.count, plain),
    mac: (covered) => groupMac(m.key.gkInteg, m.key.eia, m.count, covered),
  };
  const value = { message: 'group_message', ciphering: eea, integrity: m.key.eia, gid: m.key.gid, gki: m.key.gki, sequence_number: m.count, payload: toHex(m.payload), mac: 0 };
  return encodeWith(value, 'gmsg', { seal: { gmsg } });
}

/** The sending side of one group key: owns its COUNT, so no COUNT is ever used twice. */
export class GroupMessageSender {
  /** `last`: the last COUNT already used with this key (-1 for none), e.g. restored from storage. */
  constructor(
    readonly key: GroupKeyRecord,
    private last = -1,
  ) {}

  get lastCount(): number {
    return this.last;
  }

  /** Protects `payload` with the next COUNT, or with `count` when it is above the last one. */
  send(payload: Uint8Array, cipher: boolean, count = this.last + 1): Uint8Array {
    if (count <= this.last) throw new CountError(`COUNT ${count} is not above the last COUNT ${this.last} used with ${this.key.gid} Gki ${this.key.gki}`);
    if (count > MAX_GROUP_COUNT) {
      const next = `change to Gki ${(this.key.gki + 1) % 256}`;
      throw new CountError(
        this.last === MAX_GROUP_COUNT
          ? `${this.key.gid} Gki ${this.key.gki} has used its last COUNT: ${next}`
          : `COUNT ${count} is above the last COUNT a key protects (${MAX_GROUP_COUNT}); for more messages, ${next}`,
      );
    }
    const bytes = protectGroupMessage({ key: this.key, count, payload, cipher });
    this.last = count;
    return bytes;
  }
}

export interface GroupMessageVerdict {
  mac: 'good' | 'bad' | 'unverified';
  /** Judged only after a good MAC. */
  replay?: 'ok' | 'replayed' | 'too_old';
  /** The payload, deciphered when it was ciphered: only after a good MAC. */
  payload?: Uint8Array;
  /** The payload octets as sent (the ciphertext, when ciphered), whatever the verdict. */
  wire?: Uint8Array;
}

const bytesOf = (v: unknown) => (typeof v === 'string' ? fromHex(v) : undefined);

/** Verifies group messages in order against a session (its replay windows persist across calls). */
export function verifyGroupMessage(bytes: Uint8Array, session: SecuritySession): GroupMessageVerdict {
  const r = dissectFull(bytes, 'gmsg', { session });
  const nodes = walk(r.tree);
  const generatedValue = (filter: string) => nodes.find((n) => n.filter === filter)?.value;
  const mac = (generatedValue('gmsg.mac.status') ?? 'unverified') as GroupMessageVerdict['mac'];
  // A payload left ciphered is kept as its octets; a deciphered one has them in _ciphered.
  const v = (r.value ?? {}) as { payload?: unknown; _ciphered?: unknown };
  const wire = bytesOf(v._ciphered) ?? bytesOf(v.payload);
  if (mac !== 'good') return { mac, wire };
  return { mac, replay: generatedValue('gmsg.replay.status') as GroupMessageVerdict['replay'], payload: bytesOf(v.payload), wire };
}
