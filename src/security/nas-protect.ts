/**
 * Protecting and unprotecting single NAS messages with a known context (TS 33.401 §8.1, TS 24.301
 * §4.4.3): cipher the plain message (SHT 2/4), MAC over SQN || message, security header in front.
 * The outer layout comes from the grammar (security_protected_nas_message).
 */
import { encodeWith } from '../api.js';
import { Dissector } from '../engine/dissect.js';
import type { Sealer } from '../engine/encode.js';
import { toHex } from '../engine/format.js';
import type { ProtectionRequest, ProtectionScheme } from '../engine/protection.js';
import { defaultGrammar } from '../grammar/default.js';
import type { Direction } from '../io/frame.js';
import { encrypt, mac, macEqual, type AlgId } from './algorithms.js';
import { directionBit, NAS_BEARER } from './nas-scheme.js';

export interface NasProtectContext {
  knasint: Uint8Array;
  /** Needed for SHT 2 and 4. */
  knasenc?: Uint8Array;
  eea: AlgId;
  eia: AlgId;
  /** Full NAS COUNT: overflow(16) || SQN(8). */
  count: number;
  direction: Direction;
}

export type SecurityHeaderType = 1 | 2 | 3 | 4;

const ciphered = (sht: number) => sht === 2 || sht === 4;

function cipher(payload: Uint8Array, sht: number, ctx: NasProtectContext): Uint8Array {
  if (!ciphered(sht)) return payload;
  if (!ctx.knasenc) throw new TypeError('SHT 2 and 4 need knasenc');
  return encrypt(ctx.eea, ctx.knasenc, ctx.count, NAS_BEARER, directionBit(ctx.direction), payload, payload.length * 8);
}

const macOf = (covered: Uint8Array, ctx: NasProtectContext) => mac(ctx.eia, ctx.knasint, ctx.count, NAS_BEARER, directionBit(ctx.direction), covered, covered.length * 8);

/** The last NAS COUNT: overflow(16) || SQN(8) (TS 24.301 §4.4.3.1). */
export const MAX_NAS_COUNT = 0xffffff;

/**
 * A plain NAS message (a value or its bytes) as a security protected NAS message. Stateless: the
 * caller guarantees that no COUNT is used twice in a direction (NasSender does).
 */
export function protect(plain: unknown, sht: SecurityHeaderType, ctx: NasProtectContext): Uint8Array {
  if (ciphered(sht) && !ctx.knasenc) throw new TypeError('SHT 2 and 4 need knasenc');
  const nas: Sealer = { cipher: (payload) => cipher(payload, sht, ctx), mac: (covered) => macOf(covered, ctx) };
  return encodeWith(
    {
      message: 'security_protected_nas_message',
      security_header_type: sht,
      message_authentication_code: 0,
      sequence_number: ctx.count & 0xff,
      nas_message: plain instanceof Uint8Array ? { _raw: toHex(plain) } : plain,
    },
    'nas-eps',
    { seal: { nas } },
  );
}

/** The sending side of one NAS security context in one direction: owns its COUNT, never reused. */
export class NasSender {
  private next: number;

  /** `ctx.count` is the first COUNT to use. */
  constructor(private ctx: NasProtectContext) {
    this.next = ctx.count;
  }

  protect(plain: unknown, sht: SecurityHeaderType): Uint8Array {
    if (this.next > MAX_NAS_COUNT) throw new RangeError(`NAS COUNT exhausted in the ${this.ctx.direction === 'dl' ? 'downlink' : 'uplink'}: a new K_ASME is needed`);
    const bytes = protect(plain, sht, { ...this.ctx, count: this.next });
    this.next++;
    return bytes;
  }
}

/**
 * The outer header as the grammar's protection block lays it out: what the dissector hands its `nas`
 * scheme (here one that only looks) is the header, where MAC coverage starts and where the payload is.
 */
function outerHeader(bytes: Uint8Array): { sht: number; mac: number; coverStart: number; payloadStart: number } {
  let seen: ProtectionRequest | undefined;
  // Only the message's own header counts: a protected message nested in a plain one (a replayed NAS
  // message container) must not lend its MAC to the octets around it.
  const look: ProtectionScheme = {
    open: (req) => {
      if (req.enclosing[0] === req.value && req.payloadEnd === bytes.length * 8) seen ??= req;
      return {};
    },
    close: () => [],
  };
  new Dissector(defaultGrammar()).dissect(bytes, 'nas-eps', { schemes: { nas: look } });
  const v = seen?.value as { security_header_type?: number; message_authentication_code?: number } | undefined;
  if (!seen || v?.message_authentication_code === undefined) throw new TypeError('not a security protected NAS message');
  return { sht: v.security_header_type!, mac: v.message_authentication_code, coverStart: seen.coverStart >> 3, payloadStart: seen.payloadStart >> 3 };
}

export interface Unprotected {
  mac: 'good' | 'bad';
  securityHeaderType: number;
  /** The plain NAS message (deciphered for SHT 2/4): only when the MAC is good. */
  plain?: Uint8Array;
}

/** Verifies, then (only after a good MAC) deciphers a security protected NAS message with a known context. */
export function unprotect(bytes: Uint8Array, ctx: NasProtectContext): Unprotected {
  const h = outerHeader(bytes);
  const expected = macOf(bytes.subarray(h.coverStart), ctx);
  const wire = Uint8Array.of(h.mac >>> 24, (h.mac >>> 16) & 0xff, (h.mac >>> 8) & 0xff, h.mac & 0xff);
  if (!macEqual(expected, wire)) return { mac: 'bad', securityHeaderType: h.sht };
  return { mac: 'good', securityHeaderType: h.sht, plain: cipher(bytes.subarray(h.payloadStart), h.sht, ctx) };
}
