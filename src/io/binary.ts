export function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function pad4(length: number): number {
  return (length + 3) & ~3;
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

export const utf8Encode = (text: string): Uint8Array => new TextEncoder().encode(text);

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** 10^0 .. 10^22, each parsed from its decimal literal (exact). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** One decoder for every text field of a capture's headers. */
export const utf8Decoder = new TextDecoder();

/**
 * Seconds in `ticks` units of base**-exponent seconds (pcap, pcapng timestamps), as the double nearest
 * to the exact value: the same double a decimal time string reads as. A number of ticks is a safe integer.
 */
export function tickSeconds(ticks: bigint | number, base: 2 | 10, exponent: number): number {
  // Up to 2^53 ticks and 10^22 units both are exact doubles, and IEEE division rounds their quotient to the nearest.
  if (typeof ticks === 'number' || (ticks >= 0n && ticks <= MAX_EXACT)) {
    if (exponent <= 22) return Number(ticks) / (base === 2 ? 2 ** exponent : POWERS_OF_TEN[exponent]);
    ticks = BigInt(ticks);
  }
  const units = BigInt(base) ** BigInt(exponent);
  const whole = ticks / units;
  const fraction = ticks % units;
  if (base === 2 || ticks < 0n) return Number(whole) + Number(fraction) / Number(units);
  return Number(`${whole}.${fraction.toString().padStart(exponent, '0')}`);
}
