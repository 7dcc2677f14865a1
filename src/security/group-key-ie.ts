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

export class CipheredGroupKeys implements ProtectionScheme {
  private used = new WeakMap<ProtectionRequest, { how: string; reused: boolean }>();
  /** Carrying messages whose keystream an IE already took: a second IE would reuse it. */
  private keystreamTaken = new WeakSet<object>();

  constructor(private nas: NasSecurity) {}

  open(req: ProtectionRequest): Opened {
    const cur = this.nas.current;
    if (!cur || cur.eea === undefined) return {};
    const eea = cur.eea;
    const payload = req.bytes.subarray(req.payloadStart >> 3, req.payloadEnd >> 3);
    const reused = this.keystreamTaken.has(cur);
    this.keystreamTaken.add(cur);
    this.used.set(req, {
      how: `${EEA_NAMES[eea]}, COUNT 0x${cur.count.toString(16).padStart(8, '0')}, BEARER ${GROUP_KEY_IE_BEARER}, DIRECTION Downlink (1), key ${cur.context.record.where}`,
      reused,
    });
    return { plaintext: cipherGroupKeyInformation(payload, cur.knasenc(eea), eea, cur.count), assumed: eea === 0 };
  }

  close(req: ProtectionRequest, opened: Opened): TreeNode[] {
    const used = this.used.get(req);
    if (used) {
      const n = generated('nas_eps.gk.deciphering', 'Group key information deciphering', used.how, used.how, req.payloadEnd);
      const span = req.payloadEnd - req.payloadStart;
      if (opened.assumed) n.expert.push(nasExpert('keys_in_clear', 'group keys "ciphered" with EEA0 travel in clear', req.path, req.payloadStart, span));
      if (used.reused)
        n.expert.push(
          nasExpert(
            'keystream_reused',
            'a second ciphered group key IE in this message uses the same keystream (COUNT, BEARER 1, DIRECTION): XOR of the two gives XOR of the plain keys',
            req.path,
            req.payloadStart,
            span,
          ),
        );
      return [n];
    }
    const n = generated('nas_eps.gk.deciphering', 'Group key information deciphering', 'not deciphered', 'not deciphered: no verified NAS security context for the carrying message', req.payloadEnd);
    return [n];
  }
}
