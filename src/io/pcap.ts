import { dataView, tickSeconds } from './binary.js';
import type { Frame } from './frame.js';
import { InputError } from './input-error.js';
import { type PacketReadOptions, packetFrame } from './link-types.js';

/** Magic numbers as read big-endian, and the decimal places of their timestamps' fractions. */
export const PCAP_MAGIC = new Map([
  [0xa1b2c3d4, 6],
  [0xa1b23c4d, 9],
]);

/** libpcap files in either byte order, with micro- or nanosecond timestamps. */
export function readPcap(bytes: Uint8Array, source: string, options: PacketReadOptions = {}): Frame[] {
  if (bytes.length < 24) throw new InputError(source, 'truncated pcap file header');
  const view = dataView(bytes);
  const littleEndian = !PCAP_MAGIC.has(view.getUint32(0, false));
  const places = PCAP_MAGIC.get(view.getUint32(0, littleEndian));
  if (places === undefined) throw new InputError(source, 'not a pcap file (bad magic number)');
  const linkType = view.getUint32(20, littleEndian) & 0xffff; // the upper bits carry FCS information
  const frames: Frame[] = [];
  for (let pos = 24; pos < bytes.length; ) {
    const where = `${source}#${frames.length + 1}`;
    if (pos + 16 > bytes.length) throw new InputError(where, 'truncated packet record header');
    const length = view.getUint32(pos + 8, littleEndian);
    const data = pos + 16;
    if (data + length > bytes.length) {
      throw new InputError(where, `truncated packet: ${length} bytes recorded, ${bytes.length - data} present`);
    }
    const ticks = BigInt(view.getUint32(pos, littleEndian)) * 10n ** BigInt(places) + BigInt(view.getUint32(pos + 4, littleEndian));
    const time = tickSeconds(ticks, 10, places);
    frames.push(packetFrame({ linkType, data: bytes.subarray(data, data + length), source: where, time }, options));
    pos = data + length;
  }
  return frames;
}
