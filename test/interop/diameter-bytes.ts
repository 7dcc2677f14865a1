/**
 * A tiny Diameter byte builder, written from RFC 6733 alone and independent of mtcgk's encoder: the
 * message header (§3) and the AVP (§4.1), with the basic data formats of §4.2 (Unsigned32/Enumerated as
 * four octets in network order, UTF8String/DiameterIdentity/OctetString as their octets, Grouped as the
 * concatenated AVPs). Used by diameter-independent.test.ts to give tshark and mtcgk the same octets.
 */

const VENDOR_3GPP = 10415;

const u8 = (...parts: Array<Uint8Array | number[]>) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** n as `octets` octets, most significant first. */
export const be = (n: number, octets: number): number[] => Array.from({ length: octets }, (_, i) => Math.floor(n / 2 ** (8 * (octets - 1 - i))) & 0xff);

export const utf8 = (s: string) => new TextEncoder().encode(s);
export const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
export const u32 = (n: number) => Uint8Array.from(be(n, 4));

/**
 * One AVP (RFC 6733 §4.1): AVP Code (4), flags V M P r r r r r (1), AVP Length (3: header, Vendor-ID and
 * data, not the padding), Vendor-ID (4, when V), data, then zero padding to a multiple of four octets.
 */
export function avp(code: number, flags: { v?: boolean; m?: boolean }, data: Uint8Array, vendor = flags.v ? VENDOR_3GPP : undefined): Uint8Array {
  const head = 8 + (vendor === undefined ? 0 : 4);
  const length = head + data.length;
  const flagOctet = (vendor !== undefined ? 0x80 : 0) | (flags.m ? 0x40 : 0);
  return u8(be(code, 4), [flagOctet], be(length, 3), vendor === undefined ? [] : be(vendor, 4), data, new Array((4 - (length % 4)) % 4).fill(0));
}

/** A base protocol AVP with the M bit (RFC 6733 §4.5 marks all but a few "MUST"). */
export const baseAvp = (code: number, data: Uint8Array) => avp(code, { m: true }, data);
/** A 3GPP AVP (TS 29.272 §7.3.1 Table 7.3.1/1: V set, vendor 10415, M as the table says). */
export const tgppAvp = (code: number, data: Uint8Array, m = true) => avp(code, { v: true, m }, data);
/** Grouped data: the AVPs one after another (RFC 6733 §4.4). */
export const grouped = (...avps: Uint8Array[]) => u8(...avps);

/**
 * A message (RFC 6733 §3): Version 1, Message Length (3), flags R P E T r r r r (1), Command Code (3),
 * Application-ID, Hop-by-Hop and End-to-End Identifiers, then the AVPs.
 */
export function diameterMessage(h: { code: number; app: number; request: boolean; error?: boolean; hop: number; e2e: number }, ...avps: Uint8Array[]): Uint8Array {
  const body = u8(...avps);
  const flags = (h.request ? 0x80 : 0) | 0x40 | (h.error ? 0x20 : 0);
  return u8([1], be(20 + body.length, 3), [flags], be(h.code, 3), be(h.app, 4), be(h.hop, 4), be(h.e2e, 4), body);
}
