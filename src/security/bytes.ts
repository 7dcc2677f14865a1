/** Byte count holding `lengthBits` bits of `data`; throws if the length is invalid or too long. */
export function byteLength(data: Uint8Array, lengthBits: number): number {
  if (!Number.isSafeInteger(lengthBits) || lengthBits < 0 || lengthBits > data.length * 8) {
    throw new RangeError(`lengthBits ${lengthBits} out of range for ${data.length} bytes`);
  }
  return Math.ceil(lengthBits / 8);
}

/**
 * A fresh copy of the first `n` bytes. `Uint8Array.prototype.slice` is called directly because a Node
 * Buffer's own `slice` returns a view, and writing into that view would change the caller's input.
 */
export const copyPrefix = (data: Uint8Array, n: number): Uint8Array => Uint8Array.prototype.slice.call(data, 0, n);

/** Zeroes, in place, the bits of the last byte beyond `lengthBits`. */
export function maskTail(buf: Uint8Array, lengthBits: number): Uint8Array {
  const used = lengthBits & 7;
  if (used && buf.length) buf[buf.length - 1] &= 0xff << (8 - used);
  return buf;
}

/** The first `lengthBits` bits of `data` as big-endian words, zero-padded to `wordCount` words. */
export function packWords(data: Uint8Array, lengthBits: number, wordCount: number): Uint32Array {
  const n = byteLength(data, lengthBits);
  const words = new Uint32Array(wordCount);
  for (let i = 0; i < n; i++) words[i >>> 2] |= data[i] << (24 - ((i & 3) << 3));
  const used = lengthBits & 31;
  if (used) words[lengthBits >>> 5] &= -1 << (32 - used);
  return words;
}

export function u32be(word: number): Uint8Array {
  return Uint8Array.of(word >>> 24, word >>> 16, word >>> 8, word);
}

/** `data` XOR a keystream of big-endian words, over `lengthBits` bits (trailing bits zeroed). */
export function xorKeystream(data: Uint8Array, keystream: Uint32Array, lengthBits: number): Uint8Array {
  const out = copyPrefix(data, byteLength(data, lengthBits));
  for (let i = 0; i < out.length; i++) out[i] ^= keystream[i >>> 2] >>> (24 - ((i & 3) << 3));
  return maskTail(out, lengthBits);
}

/** Checks the inputs common to every 128-EEAx / 128-EIAx algorithm. */
export function checkParams(key: Uint8Array, count: number, bearer: number, direction: number): void {
  if (key.length !== 16) throw new RangeError(`key must be 16 bytes, got ${key.length}`);
  if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) throw new RangeError(`COUNT ${count} is not 32-bit`);
  if (!Number.isInteger(bearer) || bearer < 0 || bearer > 31) throw new RangeError(`BEARER ${bearer} is not 5-bit`);
  if (direction !== 0 && direction !== 1) throw new RangeError(`DIRECTION ${direction} is not 0 or 1`);
}

/** A zeroed buffer of `size` bytes starting with COUNT‖BEARER‖DIRECTION‖0^26 (64 bits). */
export function countBearerDirection(count: number, bearer: number, direction: number, size: number): Uint8Array {
  const buf = new Uint8Array(size);
  buf.set(u32be(count));
  buf[4] = (bearer << 3) | (direction << 2);
  return buf;
}
