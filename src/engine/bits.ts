import { HEX_DIGITS } from './hex.js';

/** The octet spelt by the hex digits at 2i and 2i+1, or a negative number when either is no digit. */
function hexOctet(hex: string, i: number): number {
  const hi = hex.charCodeAt(2 * i);
  const lo = hex.charCodeAt(2 * i + 1);
  return (hi | lo) < 256 ? (HEX_DIGITS[hi] << 4) | HEX_DIGITS[lo] : -1;
}

/** The `bits` (<= 53) at bit offset `pos`, MSB first, as a number. */
export function bitsAt(bytes: Uint8Array, pos: number, bits: number): number {
  const shift = pos & 7;
  // Most fields lie within one octet, or are whole octets: no loop for them.
  if (shift + bits <= 8) return (bytes[pos >> 3] >> (8 - shift - bits)) & ((1 << bits) - 1);
  if (shift === 0 && bits === 16) return (bytes[pos >> 3] << 8) | bytes[(pos >> 3) + 1];
  let v = 0;
  let p = pos;
  for (let left = bits; left > 0; ) {
    const inByte = 8 - (p & 7);
    const take = Math.min(inByte, left);
    v = v * (1 << take) + ((bytes[p >> 3] >> (inByte - take)) & ((1 << take) - 1));
    p += take;
    left -= take;
  }
  return v;
}

/**
 * The length of the octets [start, end) (bit offsets) in semi-octets as TS 23.040 §9.1.2.5 counts an
 * address: every semi-octet but a last one of 1111, which is filler. Semi-octets run bits 4-1 first,
 * then bits 8-5, so the last is bits 8-5 of the last octet. `peek` reads bits at an absolute offset.
 */
export function semiOctets(peek: (pos: number, bits: number) => number, start: number, end: number): number {
  const n = Math.floor((end - start) / 4);
  return n >= 2 && peek(end - 8, 4) === 0xf ? n - 1 : n;
}

/** MSB-first bit cursor over a byte buffer, with absolute bit offsets and a hard end (a window). */
export class BitReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length * 8,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  /** A reader limited to [pos, pos + bits); the caller advances this reader past it. */
  window(bits: number): BitReader {
    return new BitReader(this.bytes, this.pos, Math.min(this.end, this.pos + bits));
  }

  /** Reads `bits` (<= 53) as a number; the caller checks `remaining` first. */
  peek(bits: number, skip = 0): number {
    return bitsAt(this.bytes, this.pos + skip, bits);
  }

  read(bits: number): number {
    const v = this.peek(bits);
    this.pos += bits;
    return v;
  }

  readBig(bits: number): bigint {
    let v = 0n;
    for (let left = bits; left > 0; ) {
      const take = Math.min(32, left);
      v = (v << BigInt(take)) | BigInt(this.read(take));
      left -= take;
    }
    return v;
  }

  /** Bytes of [pos, pos + bits), left-aligned; a partial last byte keeps its high bits. */
  readBytes(bits: number): Uint8Array {
    if ((this.pos & 7) === 0) {
      const out = this.bytes.slice(this.pos >> 3, (this.pos + bits + 7) >> 3);
      if (bits & 7) out[out.length - 1] &= 0xff << (8 - (bits & 7));
      this.pos += bits;
      return out;
    }
    const out = new Uint8Array((bits + 7) >> 3);
    for (let i = 0; i < out.length; i++) {
      const take = Math.min(8, bits - i * 8);
      out[i] = this.read(take) << (8 - take);
    }
    return out;
  }
}

/** MSB-first bit writer that grows as needed. */
export class BitWriter {
  private buf = new Uint8Array(64);
  pos = 0;

  private grow(bits: number): void {
    const next = new Uint8Array(Math.max((this.pos + bits + 7) >> 3, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }

  /** Starts over, keeping the buffer: what a writer used for one message after another does. */
  reset(): void {
    this.buf.fill(0, 0, (this.pos + 7) >> 3);
    this.pos = 0;
  }

  write(value: number, bits: number): void {
    const pos = this.pos;
    if ((pos + bits + 7) >> 3 > this.buf.length) this.grow(bits);
    const buf = this.buf;
    const room = 8 - (pos & 7);
    if (bits <= room) {
      // Within one octet (most fields): one OR, no loop; the value cut to its width, as the loop cuts it.
      buf[pos >> 3] |= (value & ((1 << bits) - 1)) << (room - bits);
      this.pos = pos + bits;
      return;
    }
    if (this.octetsAt(pos, value, bits)) {
      this.pos = pos + bits;
      return;
    }
    for (let left = bits; left > 0; ) {
      const inByte = 8 - (this.pos & 7);
      const take = Math.min(inByte, left);
      const chunk = Math.floor(value / 2 ** (left - take)) & ((1 << take) - 1);
      buf[this.pos >> 3] |= chunk << (inByte - take);
      this.pos += take;
      left -= take;
    }
  }

  /**
   * Puts a 32-bit integer's whole octets at an octet boundary `at` (shifts, no division, no OR) and
   * says so; does nothing and says false for anything else.
   */
  private octetsAt(at: number, value: number, bits: number): boolean {
    if ((at & 7) !== 0 || (bits & 7) !== 0 || bits > 32 || value >>> 0 !== value) return false;
    let i = at >> 3;
    for (let s = bits - 8; s >= 0; s -= 8) this.buf[i++] = (value >>> s) & 0xff;
    return true;
  }

  writeBig(value: bigint, bits: number): void {
    for (let left = bits; left > 0; ) {
      const take = Math.min(32, left);
      this.write(Number((value >> BigInt(left - take)) & 0xffffffffn), take);
      left -= take;
    }
  }

  writeBytes(bytes: Uint8Array, bits = bytes.length * 8): void {
    if ((this.pos + bits + 7) >> 3 > this.buf.length) this.grow(bits);
    if ((this.pos & 7) === 0 && (bits & 7) === 0) {
      const n = bits >> 3;
      const at = this.pos >> 3;
      // A few octets are copied faster one by one than through a subarray.
      if (n <= 16) for (let i = 0; i < n; i++) this.buf[at + i] = bytes[i];
      else this.buf.set(bytes.subarray(0, n), at);
      this.pos += bits;
      return;
    }
    for (let i = 0; i * 8 < bits; i++) {
      const take = Math.min(8, bits - i * 8);
      this.write(bytes[i] >> (8 - take), take);
    }
  }

  /** Overwrites `bits` at an earlier absolute offset (length fields computed after their value). */
  patch(at: number, value: number, bits: number): void {
    // Whole octets (most length fields) are overwritten as they are written: no bits to clear first.
    if (this.octetsAt(at, value, bits)) return;
    const save = this.pos;
    this.pos = at;
    for (let i = 0; i < bits; i++) {
      const p = at + i;
      this.buf[p >> 3] &= ~(0x80 >> (p & 7));
    }
    this.write(value, bits);
    this.pos = save;
  }

  /** `bits` (<= 53) written at an earlier absolute offset. */
  peek(at: number, bits: number): number {
    return bitsAt(this.buf, at, bits);
  }

  /** A copy of the whole octets in [start, end) bits written so far. */
  octets(start: number, end: number): Uint8Array {
    return this.buf.slice(start >> 3, end >> 3);
  }

  /** Overwrites whole octets at an earlier, octet-aligned bit offset. */
  overwrite(at: number, bytes: Uint8Array): void {
    this.buf.set(bytes, at >> 3);
  }

  /**
   * Writes the octets spelt by plain hex (two digits an octet, nothing else: what toHex gives) and
   * says so; writes nothing and says false for any other text.
   */
  writeHex(hex: string): boolean {
    const n = hex.length >> 1;
    if (hex.length & 1) return false;
    for (let i = 0; i < n; i++) if (hexOctet(hex, i) < 0) return false;
    if ((this.pos + n * 8 + 7) >> 3 > this.buf.length) this.grow(n * 8);
    if (this.pos & 7) {
      for (let i = 0; i < n; i++) this.write(hexOctet(hex, i), 8);
      return true;
    }
    const at = this.pos >> 3;
    for (let i = 0; i < n; i++) this.buf[at + i] = hexOctet(hex, i);
    this.pos += n * 8;
    return true;
  }

  /** Writes text as Latin-1: an octet a UTF-16 unit, its low 8 bits (what 'ascii' text fields hold). */
  writeLatin1(text: string): void {
    if ((this.pos + text.length * 8 + 7) >> 3 > this.buf.length) this.grow(text.length * 8);
    if (this.pos & 7) {
      for (let i = 0; i < text.length; i++) this.write(text.charCodeAt(i) & 0xff, 8);
      return;
    }
    const buf = this.buf;
    const at = this.pos >> 3;
    for (let i = 0; i < text.length; i++) buf[at + i] = text.charCodeAt(i) & 0xff;
    this.pos += text.length * 8;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, (this.pos + 7) >> 3);
  }
}

/** Bits from `at` up to the next octet boundary counted from `origin` (none when `at` is on one). */
export const toOctet = (origin: number, at: number): number => (8 - ((at - origin) & 7)) & 7;

/** How many bits a `tail` field needs to be present: its own fixed size, or at least one. */
export const tailNeed = (f: { kind: string; bits?: number | 'octet' }): number => ((f.kind === 'uint' || f.kind === 'spare') && typeof f.bits === 'number' ? f.bits : 1);
