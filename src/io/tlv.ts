import { dataView, pad4 } from './binary.js';
import { InputError } from './input-error.js';

/** One item of a 16-bit code, 16-bit length, value list: pcapng options, exported-PDU tags. */
export interface Tlv {
  code: number;
  value: Uint8Array;
}

/**
 * Reads items from bytes[start, stop) until code 0. Values are padded to 4 bytes; pcapng option
 * lengths leave the padding out, exported-PDU tag lengths include it (`lengthIncludesPadding`).
 * `end` is the offset after the code-0 item, undefined when there was none.
 */
export function readTlvs(bytes: Uint8Array, start: number, stop: number, littleEndian: boolean, lengthIncludesPadding: boolean, where: string): { items: Tlv[]; end?: number } {
  // Read by octets rather than through a DataView: there is one list for each packet.
  const u16 = (at: number) => (littleEndian ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1]);
  const items: Tlv[] = [];
  for (let pos = start; pos + 4 <= stop; ) {
    const code = u16(pos);
    const length = u16(pos + 2);
    pos += 4;
    if (code === 0) return { items, end: pos };
    if (pos + length > stop) throw new InputError(where, `option or tag ${code} runs past the end of its block`);
    items.push({ code, value: bytes.subarray(pos, pos + length) });
    pos += lengthIncludesPadding ? length : pad4(length);
  }
  return { items };
}

export function writeTlv(code: number, value: Uint8Array, littleEndian: boolean, lengthIncludesPadding: boolean): Uint8Array {
  const out = new Uint8Array(4 + pad4(value.length));
  const view = dataView(out);
  view.setUint16(0, code, littleEndian);
  view.setUint16(2, lengthIncludesPadding ? pad4(value.length) : value.length, littleEndian);
  out.set(value, 4);
  return out;
}
