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

/**
 * Seconds in `ticks` units of base**-exponent seconds (pcap, pcapng timestamps), as the double nearest
 * to the exact value: the same double a decimal time string reads as.
 */
export function tickSeconds(ticks: bigint, base: 2 | 10, exponent: number): number {
  const units = BigInt(base) ** BigInt(exponent);
  const whole = ticks / units;
  const fraction = ticks % units;
  if (base === 2 || ticks < 0n) return Number(whole) + Number(fraction) / Number(units);
  return Number(`${whole}.${fraction.toString().padStart(exponent, '0')}`);
}
