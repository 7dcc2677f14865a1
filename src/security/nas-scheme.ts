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
import { deriveNasKeys } from './kdf.js';
import type { NasKeyRecord } from './keys.js';

/** NAS uses bearer 0 (TS 33.401 §8.1). */
export const NAS_BEARER = 0;
export const directionBit = (d: Direction): number => (d === 'dl' ? 1 : 0);

interface CountState {
  overflow: number;
  /** Last verified COUNT, -1 before the first. */
  last: number;
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
  eea: AlgId;
  eia: AlgId;
  count: Record<Direction, CountState>;
}

interface Verdict {
  status: 'good' | 'bad' | 'unverified';
  context?: NasContext;
  direction?: Direction;
  count?: number;
  calculated?: Uint8Array;
  eia?: AlgId;
  replayed?: boolean;
}

function keysOf(c: NasContext, eea = c.eea, eia = c.eia): { knasenc: Uint8Array; knasint: Uint8Array } {
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

export class NasSecurity implements ProtectionScheme {
  private contexts: NasContext[];
  private verdicts = new WeakMap<ProtectionRequest, Verdict>();
  /** The verdict of the protected message being dissected (for IEs ciphered under its context). */
  current?: { context: NasContext; count: number; direction: Direction; knasenc: (eea: AlgId) => Uint8Array };

  constructor(records: readonly NasKeyRecord[]) {
    this.contexts = records.map((record) => ({ record, eea: record.eea, eia: record.eia, count: { ul: { overflow: 0, last: -1 }, dl: { overflow: 0, last: -1 } } }));
  }

  open(req: ProtectionRequest): Opened {
    const payload = req.bytes.subarray(req.payloadStart >> 3, req.payloadEnd >> 3);
    this.current = undefined;
    if (!this.contexts.length) return req.ciphered ? { plaintext: payload, assumed: true } : {};
    // The MAC covers the payload as sent, so it is checked before anything is deciphered or decoded.
    const v = this.verify(req);
    this.verdicts.set(req, v);
    if (v.status === 'good') {
      const c = v.context!;
      this.current = { context: c, count: v.count!, direction: v.direction!, knasenc: (eea) => keysOf(c, eea, v.eia).knasenc };
    }
    if (!req.ciphered) return {};
    if (v.status !== 'good') return this.contexts.some((c) => c.eea === 0) ? { plaintext: payload, assumed: true } : {};
    const c = v.context!;
    const plaintext = encrypt(c.eea, keysOf(c).knasenc, v.count!, NAS_BEARER, directionBit(v.direction!), payload, payload.length * 8);
    return { plaintext, assumed: c.eea === 0 };
  }

  close(req: ProtectionRequest, opened: Opened, payload: unknown): TreeNode[] {
    const v = this.verdicts.get(req) ?? { status: 'unverified' };
    this.current = undefined;
    // A verified Security Mode Command starts a context with the algorithms it names.
    const algs = (payload as { selected_nas_security_algorithms?: { ciphering?: number; integrity?: number } } | undefined)?.selected_nas_security_algorithms;
    const sht = req.value.security_header_type as number;
    if (v.status === 'good' && sht === 3 && algs && v.context) {
      v.context.eea = (algs.ciphering ?? 0) as AlgId;
      v.context.eia = (algs.integrity ?? 0) as AlgId;
    }
    if (v.status === 'good' && sht === 4 && v.context) this.completed.add(v.context);
    this.last = {
      sht,
      status: v.status,
      readable: !req.ciphered || (opened.plaintext !== undefined && (opened.assumed === true || v.context?.eea === 0)),
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
   * Mode Command (SHT 3) starts a new context whose integrity algorithm it names: with K_ASME each
   * algorithm is tried, since the MAC is checked before the message is decoded.
   */
  private verify(req: ProtectionRequest): Verdict {
    const sqn = req.value.sequence_number as number;
    const wire = req.value.message_authentication_code as number;
    const covered = req.bytes.subarray(req.coverStart >> 3, req.coverEnd >> 3);
    const smc = req.value.security_header_type === 3;
    let first: Verdict | undefined;
    for (const c of this.contexts) for (const eia of smc && c.record.kasme ? ([c.eia, 0, 1, 2, 3] as AlgId[]) : [c.eia]) {
      const { knasint } = keysOf(c, c.eea, eia);
      for (const d of this.directions(req)) {
        const state = c.count[d];
        const count = estimateCount(state, sqn);
        const calculated = mac(eia, knasint, count, NAS_BEARER, directionBit(d), covered, covered.length * 8);
        const v: Verdict = { status: 'bad', context: c, direction: d, count, calculated, eia };
        first ??= v;
        if (!macEqual(calculated, Uint8Array.of(wire >>> 24, (wire >>> 16) & 0xff, (wire >>> 8) & 0xff, wire & 0xff))) continue;
        v.status = 'good';
        v.replayed = count <= state.last;
        if (!v.replayed) {
          state.overflow = count >>> 8;
          state.last = count;
        }
        return v;
      }
    }
    return first ?? { status: 'unverified' };
  }

  private nodes(req: ProtectionRequest, opened: Opened, v: Verdict): TreeNode[] {
    const at = req.payloadEnd;
    const status = generated('nas_eps.msg_auth_code.status', 'MAC status', v.status, v.status, at, `MAC status: ${v.status === 'good' ? 'Good' : v.status === 'bad' ? 'Bad' : 'Unverified'}`);
    const out = [status];
    const wire = req.value.message_authentication_code as number;
    if (v.status === 'unverified') {
      status.expert.push(nasExpert('mac_not_verified', 'no NAS security context: MAC not verified', req.path, req.coverStart - 40, 32));
    } else {
      const calc = u32(v.calculated!);
      out.push(generated('nas_eps.msg_auth_code.calculated', 'Calculated MAC', calc, hex32(calc), at));
      const input = `COUNT ${hex32(v.count!)} (overflow ${v.count! >>> 8}, SQN ${v.count! & 0xff}), BEARER ${NAS_BEARER}, DIRECTION ${v.direction === 'dl' ? 'Downlink (1)' : 'Uplink (0)'}, ${EIA_NAMES[v.eia!]}, key ${v.context!.record.where}`;
      out.push(generated('nas_eps.msg_auth_code.input', 'MAC input', input, input, at));
      out.push(generated('nas_eps.count', 'NAS COUNT', v.count!, String(v.count!), at));
      if (v.status === 'bad') {
        status.expert.push(nasExpert('mac_mismatch', `Bad MAC 0x${wire.toString(16).padStart(8, '0')} [should be ${hex32(calc)}]`, req.path, req.coverStart - 40, 32));
      }
      if (v.status === 'good' && v.eia === 0) status.expert.push(nasExpert('null_integrity', 'EIA0: the message has no integrity protection', req.path, req.coverStart - 40, 32));
      if (v.replayed) status.expert.push(nasExpert('replayed_count', `COUNT ${hex32(v.count!)} was already used in this direction (replayed or out of order)`, req.path, req.coverStart, 8));
    }
    if (req.ciphered && opened.plaintext) {
      const how = opened.assumed && v.status !== 'good' ? 'EEA0 assumed (no key)' : EEA_NAMES[v.context?.eea ?? 0];
      const n = generated('nas_eps.ciphering', 'Ciphering', how, how, at);
      if (v.status === 'good' && v.context?.eea === 0) n.expert.push(nasExpert('null_ciphering', 'EEA0: the message is not ciphered', req.path, req.payloadStart, 0));
      out.push(n);
    }
    return out;
  }
}
