/**
 * The ciphered form of the Group key information IE (the seed's "partial encryption"): a Security
 * Mode Command is never ciphered, so the IE value is ciphered on its own under K_NASenc with the
 * NAS algorithm, the COUNT of the carrying message, DIRECTION downlink and BEARER 1. NAS messages
 * always use BEARER 0 (TS 33.401 §8.1), so this keystream can never be one a NAS message uses.
 */
import { generated, type Opened, type ProtectionRequest, type ProtectionScheme } from '../engine/protection.js';
import type { TreeNode } from '../engine/tree.js';
import { nasExpert } from './expert.js';
import { EEA_NAMES, encrypt, type AlgId } from './algorithms.js';
import type { NasSecurity } from './nas-scheme.js';

export const GROUP_KEY_IE_BEARER = 1;
const DOWNLINK = 1;

/** Ciphers (or deciphers) a Group key information value for the message sent with NAS COUNT `count`. */
export function cipherGroupKeyInformation(value: Uint8Array, knasenc: Uint8Array, eea: AlgId, count: number): Uint8Array {
  return encrypt(eea, knasenc, count, GROUP_KEY_IE_BEARER, DOWNLINK, value, value.length * 8);
}

/** The ciphering algorithm: named by the enclosing Security Mode Command, else the context's. */
function algorithmOf(req: ProtectionRequest, contextEea: AlgId): AlgId {
  for (let i = req.enclosing.length - 1; i >= 0; i--) {
    const algs = req.enclosing[i].selected_nas_security_algorithms as { ciphering?: number } | undefined;
    if (algs) return (algs.ciphering ?? 0) as AlgId;
  }
  return contextEea;
}

export class CipheredGroupKeys implements ProtectionScheme {
  private used = new WeakMap<ProtectionRequest, string>();

  constructor(private nas: NasSecurity) {}

  open(req: ProtectionRequest): Opened {
    const cur = this.nas.current;
    if (!cur) return {};
    const eea = algorithmOf(req, cur.context.eea);
    const payload = req.bytes.subarray(req.payloadStart >> 3, req.payloadEnd >> 3);
    this.used.set(req, `${EEA_NAMES[eea]}, COUNT 0x${cur.count.toString(16).padStart(8, '0')}, BEARER ${GROUP_KEY_IE_BEARER}, DIRECTION Downlink (1), key ${cur.context.record.where}`);
    return { plaintext: cipherGroupKeyInformation(payload, cur.knasenc(eea), eea, cur.count), assumed: eea === 0 };
  }

  close(req: ProtectionRequest, opened: Opened): TreeNode[] {
    const how = this.used.get(req);
    if (how) {
      const n = generated('nas_eps.gk.deciphering', 'Group key information deciphering', how, how, req.payloadEnd);
      if (opened.assumed) n.expert.push(nasExpert('keys_in_clear', 'group keys "ciphered" with EEA0 travel in clear', req.path, req.payloadStart, req.payloadEnd - req.payloadStart));
      return [n];
    }
    const n = generated('nas_eps.gk.deciphering', 'Group key information deciphering', 'not deciphered', 'not deciphered: no verified NAS security context for the carrying message', req.payloadEnd);
    return [n];
  }
}
