/**
 * NAS message security (TS 33.401 §8, TS 24.301 §4.4) as a protection scheme of the dissector:
 * verifies the MAC over SQN || message, deciphers SHT 2/4 payloads, keeps NAS COUNT per context and
 * direction across a capture, and learns the algorithms from a verified Security Mode Command.
 */
import { generated, type Opened, type ProtectionRequest, type ProtectionScheme } from '../engine/protection.js';
import type { TreeNode } from '../engine/tree.js';
import { nasExpert } from './expert.js';
import type { Direction } from '../io/frame.js';
import { EEA_NAMES, EIA_NAMES, encrypt, mac, macEqual, type AlgId } from './algorithms.js';
import { ReplayWindow, type ReplayVerdict } from './replay.js';
import { deriveNasKeys } from './kdf.js';
import type { NasKeyRecord } from './keys.js';

/** NAS uses bearer 0 (TS 33.401 §8.1). */
export const NAS_BEARER = 0;
export const directionBit = (d: Direction): number => (d === 'dl' ? 1 : 0);

interface CountState {
  overflow: number;
  /** Highest verified COUNT, -1 before the first. */
  last: number;
  window: ReplayWindow;
}

export interface ProtectionSummary {
  sht: number;
  status: 'good' | 'bad' | 'unverified';
  /** The payload travelled readable: not ciphered, under EEA0, or read without a key. */
  readable: boolean;
  eea?: AlgId;
  eia?: AlgId;
  /** The keys file record of the context, when one verified. */
  context?: string;
  /** A Security Mode Complete of this context was seen earlier in the capture. */
  securityModeDone: boolean;
}

interface NasContext {
  record: NasKeyRecord;
  /** Current algorithms: the record's, then those of each verified Security Mode Command; undefined until known. */
  eea?: AlgId;
  eia?: AlgId;
  count: Record<Direction, CountState>;
}

interface Verdict {
  status: 'good' | 'bad' | 'unverified';
  context?: NasContext;
  direction?: Direction;
  count?: number;
  calculated?: Uint8Array;
  eia?: AlgId;
  /** The ciphering algorithm the message is under (a Security Mode Command's own selection). */
  eea?: AlgId;
  replay?: ReplayVerdict;
  /** EIA0 where the record does not allow null integrity. */
  nullIntegrity?: boolean;
  truncated?: boolean;
  /** A Security Mode Command selects an algorithm identity that names no algorithm (EEA4-7, EIA4-7). */
  unknownAlgorithm?: string;
}

/** An identity that names none of the algorithms (TS 33.401 §5.1.3 reserves 4-7), as text; undefined when known. */
const unknownAlgorithm = (alg: number | undefined, names: readonly string[], kind: string): string | undefined => (alg === undefined || names[alg] !== undefined ? undefined : `${kind}${alg}`);

function keysOf(c: NasContext, eea: AlgId, eia: AlgId): { knasenc: Uint8Array; knasint: Uint8Array } {
  const r = c.record;
  return r.kasme ? deriveNasKeys(r.kasme, eea, eia) : { knasenc: r.knasenc!, knasint: r.knasint! };
}

/** COUNT = overflow(16) || SQN(8); the overflow steps when the SQN falls back by more than half its range. */
function estimateCount(s: CountState, sqn: number): number {
  if (s.last < 0) return sqn;
  const lastSqn = s.last & 0xff;
  const overflow = sqn < lastSqn && lastSqn - sqn > 128 ? s.overflow + 1 : s.overflow;
  return overflow * 256 + sqn;
}

const u32 = (b: Uint8Array) => ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
const hex32 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const SECURITY_MODE_COMMAND = 3;
/** Integrity algorithms tried for a context that has not learnt its own: never EIA0. */
const NON_NULL: readonly AlgId[] = [1, 2, 3];

type Selected = { ciphering?: number; integrity?: number } | undefined;

export class NasSecurity implements ProtectionScheme {
  private contexts: NasContext[];
  private verdicts = new WeakMap<ProtectionRequest, Verdict>();
  /** The verdict of the protected message being dissected (for IEs ciphered under its context). */
  current?: { context: NasContext; count: number; direction: Direction; eea?: AlgId; knasenc: (eea: AlgId) => Uint8Array };

  constructor(records: readonly NasKeyRecord[]) {
    const state = (): CountState => ({ overflow: 0, last: -1, window: new ReplayWindow() });
    this.contexts = records.map((record) => ({ record, eea: record.eea, eia: record.eia, count: { ul: state(), dl: state() } }));
  }

  /** Without keys every MAC is unverified (a chat item, never an error) and nothing is deciphered. */
  get quiet(): boolean {
    return this.contexts.length === 0;
  }

  open(req: ProtectionRequest): Opened {
    const payload = req.bytes.subarray(req.payloadStart >> 3, req.payloadEnd >> 3);
    this.current = undefined;
    // Without keys the payload is read as plain where it can be (null ciphering assumed, and marked so).
    if (!this.contexts.length) return req.ciphered ? { plaintext: payload, assumed: true } : {};
    // The MAC covers the payload as sent: it is checked before anything is deciphered or decoded.
    const v = this.verify(req);
    this.verdicts.set(req, v);
    if (v.status !== 'good') return {};
    const c = v.context!;
    const eea = v.eea;
    this.current = { context: c, count: v.count!, direction: v.direction!, eea, knasenc: (alg) => keysOf(c, alg, v.eia!).knasenc };
    if (!req.ciphered || eea === undefined) return {};
    const plaintext = encrypt(eea, keysOf(c, eea, v.eia!).knasenc, v.count!, NAS_BEARER, directionBit(v.direction!), payload, payload.length * 8);
    return { plaintext, assumed: eea === 0 };
  }

  close(req: ProtectionRequest, opened: Opened): TreeNode[] {
    const v = this.verdicts.get(req) ?? (req.truncated && this.contexts.length ? { status: 'bad' as const, truncated: true } : { status: 'unverified' as const });
    this.current = undefined;
    const sht = req.value.security_header_type as number;
    if (v.status === 'good' && sht === 4 && v.context) this.completed.add(v.context);
    this.last = {
      sht,
      status: v.status,
      readable: !req.ciphered || (opened.plaintext !== undefined && (opened.assumed === true || v.eea === 0)),
      eea: v.context?.eea,
      eia: v.eia,
      context: v.context?.record.where,
      securityModeDone: v.context ? this.completed.has(v.context) : false,
    };
    return this.nodes(req, opened, v);
  }

  /** What the last protected message showed about its protection (for the group key audit). */
  last?: ProtectionSummary;
  private completed = new Set<NasContext>();

  private directions(req: ProtectionRequest): Direction[] {
    const sht = req.value.security_header_type;
    if (sht === 3) return ['dl'];
    if (sht === 4) return ['ul'];
    return req.direction ? [req.direction] : ['dl', 'ul'];
  }

  /**
   * Tries every context (and direction, when unknown); the first whose MAC matches wins. A Security
   * Mode Command is verified under the algorithms it selects (TS 33.401 §7.2.4.4), read from its
   * plain payload before the MAC is checked; a verified one sets the context's algorithms. A context
   * that has not learnt its integrity algorithm tries EIA1-3, never EIA0.
   */
  private verify(req: ProtectionRequest): Verdict {
    const sqn = req.value.sequence_number as number;
    const wire = req.value.message_authentication_code as number;
    const covered = req.bytes.subarray(req.coverStart >> 3, req.coverEnd >> 3);
    const smc = req.value.security_header_type === SECURITY_MODE_COMMAND;
    const selected = smc ? ((req.peek() as { selected_nas_security_algorithms?: Selected } | undefined)?.selected_nas_security_algorithms ?? undefined) : undefined;
    // An attacker picks these octets: an identity with no algorithm cannot verify (nor switch the context).
    const reserved = smc && selected && (unknownAlgorithm(selected.integrity, EIA_NAMES, 'EIA') ?? unknownAlgorithm(selected.ciphering, EEA_NAMES, 'EEA'));
    if (reserved) return { status: 'bad', unknownAlgorithm: reserved };
    let first: Verdict | undefined;
    for (const c of this.contexts) {
      const eea = (smc ? selected?.ciphering : c.eea) as AlgId | undefined;
      const named = (smc ? selected?.integrity : c.eia) as AlgId | undefined;
      for (const eia of named === undefined ? NON_NULL : [named]) {
        const { knasint } = keysOf(c, eea ?? 0, eia);
        for (const d of this.directions(req)) {
          const state = c.count[d];
          const count = estimateCount(state, sqn);
          const calculated = mac(eia, knasint, count, NAS_BEARER, directionBit(d), covered, covered.length * 8);
          const v: Verdict = { status: 'bad', context: c, direction: d, count, calculated, eia, eea };
          if (eia === 0 && !c.record.allowNull) v.nullIntegrity = true;
          first ??= v;
          if (v.nullIntegrity || !macEqual(calculated, Uint8Array.of(wire >>> 24, (wire >>> 16) & 0xff, (wire >>> 8) & 0xff, wire & 0xff))) continue;
          v.status = 'good';
          v.replay = state.window.check(count);
          if (v.replay === 'ok') {
            state.window.accept(count);
            if (count > state.last) {
              state.overflow = count >>> 8;
              state.last = count;
            }
          }
          if (smc && selected) {
            c.eea = eea;
            c.eia = eia;
          }
          return v;
        }
      }
    }
    return first ?? { status: 'unverified' };
  }

  private nodes(req: ProtectionRequest, opened: Opened, v: Verdict): TreeNode[] {
    const at = req.payloadEnd;
    const status = generated('nas_eps.msg_auth_code.status', 'MAC status', v.status, v.status, at, `MAC status: ${v.status === 'good' ? 'Good' : v.status === 'bad' ? 'Bad' : 'Unverified'}`);
    const out = [status];
    const wire = req.value.message_authentication_code as number;
    const macAt = req.coverStart - 40;
    if (v.status === 'unverified') {
      status.expert.push(nasExpert('mac_not_verified', 'no NAS security context: MAC not verified', req.path, macAt, 32));
    } else if (v.truncated) {
      status.expert.push(nasExpert('mac_truncated', 'the message ends inside its security header', req.path, req.coverStart, 0));
    } else if (v.unknownAlgorithm) {
      status.expert.push(nasExpert('unknown_algorithm', `the Security Mode Command selects ${v.unknownAlgorithm}, which names no algorithm: the MAC cannot verify`, req.path, macAt, 32));
    } else {
      const calc = u32(v.calculated!);
      out.push(generated('nas_eps.msg_auth_code.calculated', 'Calculated MAC', calc, hex32(calc), at));
      const input = `COUNT ${hex32(v.count!)} (overflow ${v.count! >>> 8}, SQN ${v.count! & 0xff}), BEARER ${NAS_BEARER}, DIRECTION ${v.direction === 'dl' ? 'Downlink (1)' : 'Uplink (0)'}, ${EIA_NAMES[v.eia!]}, key ${v.context!.record.where}`;
      out.push(generated('nas_eps.msg_auth_code.input', 'MAC input', input, input, at));
      out.push(generated('nas_eps.count', 'NAS COUNT', v.count!, String(v.count!), at));
      if (v.nullIntegrity)
        status.expert.push(nasExpert('null_integrity', 'EIA0: null integrity is not accepted for this context (the keys file does not say "allow_null": true)', req.path, macAt, 32));
      else if (v.status === 'bad') status.expert.push(nasExpert('mac_mismatch', `Bad MAC 0x${wire.toString(16).padStart(8, '0')} [should be ${hex32(calc)}]`, req.path, macAt, 32));
      if (v.status === 'good' && v.eia === 0) status.expert.push(nasExpert('null_integrity', 'EIA0: the message has no integrity protection', req.path, macAt, 32));
      if (v.replay) {
        const replay = generated('nas_eps.replay.status', 'Replay status', v.replay, v.replay, at);
        if (v.replay !== 'ok')
          replay.expert.push(
            nasExpert('replayed_count', `COUNT ${hex32(v.count!)} ${v.replay === 'replayed' ? 'was already used in this direction' : 'is older than the replay window'}`, req.path, req.coverStart, 8),
          );
        out.push(replay);
      }
    }
    if (req.ciphered && opened.plaintext) {
      const how = opened.assumed && v.status !== 'good' ? 'EEA0 assumed (no key)' : EEA_NAMES[v.eea ?? 0];
      const n = generated('nas_eps.ciphering', 'Ciphering', how, how, at);
      if (v.status === 'good' && v.eea === 0) n.expert.push(nasExpert('null_ciphering', 'EEA0: the message is not ciphered', req.path, req.payloadStart, 0));
      out.push(n);
    }
    return out;
  }
}
