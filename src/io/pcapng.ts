import { dataView, pad4, tickSeconds, utf8Decoder } from './binary.js';
import type { Frame } from './frame.js';
import { InputError } from './input-error.js';
import { type CapturedPacket, type PacketReadOptions, packetFrame } from './link-types.js';
import { readTlvs, type Tlv } from './tlv.js';

/** Section header block type; the same in both byte orders. */
export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const SWAPPED_BYTE_ORDER_MAGIC = 0x4d3c2b1a;
export const PCAPNG_IDB = 1;
const PCAPNG_SPB = 3;
export const PCAPNG_EPB = 6;
export const OPT_COMMENT = 1;
export const EPB_FLAGS = 2;
/** Direction bits of epb_flags. */
export const EPB_INBOUND = 1;
export const EPB_OUTBOUND = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/**
 * pcapng in either byte order, with any number of sections and interfaces, each interface with its
 * own link type. Reads EPB and SPB packets and skips other blocks. An EPB's first comment becomes the
 * frame's label.
 */
export function readPcapng(bytes: Uint8Array, source: string, options: PacketReadOptions = {}): Frame[] {
  const view = dataView(bytes);
  const frames: Frame[] = [];
  let interfaces: Interface[] | undefined;
  let littleEndian = true;
  for (let pos = 0; pos < bytes.length; ) {
    const where = `${source}: block at byte ${pos}`;
    if (pos + 12 > bytes.length) throw new InputError(where, 'truncated block header');
    if (view.getUint32(pos, true) === PCAPNG_SHB) {
      const magic = view.getUint32(pos + 8, true);
      if (magic !== PCAPNG_BYTE_ORDER_MAGIC && magic !== SWAPPED_BYTE_ORDER_MAGIC) throw new InputError(where, 'bad byte-order magic');
      littleEndian = magic === PCAPNG_BYTE_ORDER_MAGIC;
      interfaces = [];
    } else if (!interfaces) {
      throw new InputError(source, 'not a pcapng file (no section header block)');
    }
    const type = view.getUint32(pos, littleEndian);
    const length = view.getUint32(pos + 4, littleEndian);
    if (length < 12 || length % 4 !== 0 || pos + length > bytes.length) {
      throw new InputError(where, `bad or truncated block length ${length}`);
    }
    const block: Block = { bytes, view, littleEndian, body: pos + 8, end: pos + length - 4, where };
    if (type === PCAPNG_IDB) {
      interfaces.push(readInterface(block));
    } else if (type === PCAPNG_EPB || type === PCAPNG_SPB) {
      const packetWhere = `${source}#${frames.length + 1}`;
      const packet = type === PCAPNG_EPB ? readEpb(block, interfaces, packetWhere) : readSpb(block, interfaces, packetWhere);
      frames.push(packetFrame(packet, options));
    }
    pos += length;
  }
  return frames;
}

interface Interface {
  linkType: number;
  snapLength: number;
  /** Timestamps count base**-exponent seconds (if_tsresol). */
  base: 2 | 10;
  exponent: number;
  offsetSeconds: bigint;
}

interface Block {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
  /** Offsets of the block body and of the trailing length. */
  body: number;
  end: number;
  where: string;
}

function blockOptions(block: Block, start: number): Tlv[] {
  return readTlvs(block.bytes, start, block.end, block.littleEndian, false, block.where).items;
}

function readInterface(block: Block): Interface {
  const { view, body, littleEndian } = block;
  const iface: Interface = {
    linkType: view.getUint16(body, littleEndian),
    snapLength: view.getUint32(body + 4, littleEndian),
    base: 10,
    exponent: 6,
    offsetSeconds: 0n,
  };
  for (const { code, value } of blockOptions(block, body + 8)) {
    if (code === IF_TSRESOL && value.length >= 1) {
      const resolution = value[0]!;
      iface.base = resolution & 0x80 ? 2 : 10;
      iface.exponent = resolution & 0x7f;
    } else if (code === IF_TSOFFSET && value.length >= 8) {
      iface.offsetSeconds = dataView(value).getBigInt64(0, littleEndian);
    }
  }
  return iface;
}

function interfaceAt(interfaces: readonly Interface[], id: number, where: string): Interface {
  const iface = interfaces[id];
  if (!iface) throw new InputError(where, `packet on undeclared interface ${id}`);
  return iface;
}

function packetData(block: Block, iface: Interface, start: number, captured: number, where: string): CapturedPacket {
  if (start + captured > block.end) throw new InputError(where, `captured length ${captured} runs past the end of its block`);
  return { linkType: iface.linkType, data: block.bytes.subarray(start, start + captured), source: where };
}

function readEpb(block: Block, interfaces: readonly Interface[], where: string): CapturedPacket {
  const { view, body, littleEndian } = block;
  const iface = interfaceAt(interfaces, view.getUint32(body, littleEndian), where);
  const captured = view.getUint32(body + 12, littleEndian);
  const packet = packetData(block, iface, body + 20, captured, where);
  const high = view.getUint32(body + 4, littleEndian);
  const low = view.getUint32(body + 8, littleEndian);
  const { base, exponent, offsetSeconds } = iface;
  // Most timestamps are safe integers: no BigInt for them.
  const ticks = offsetSeconds === 0n && high < 0x200000 ? high * 2 ** 32 + low : ((BigInt(high) << 32n) | BigInt(low)) + offsetSeconds * BigInt(base) ** BigInt(exponent);
  packet.time = tickSeconds(ticks, base, exponent);
  for (const { code, value } of blockOptions(block, body + 20 + pad4(captured))) {
    if (code === OPT_COMMENT && packet.label === undefined) packet.label = utf8Decoder.decode(value);
    if (code === EPB_FLAGS && value.length === 4) {
      const bits = dataView(value).getUint32(0, littleEndian) & 3;
      if (bits === EPB_INBOUND || bits === EPB_OUTBOUND) packet.inbound = bits === EPB_INBOUND;
    }
  }
  return packet;
}

/** An SPB is on interface 0 and records only the original length. */
function readSpb(block: Block, interfaces: readonly Interface[], where: string): CapturedPacket {
  const iface = interfaceAt(interfaces, 0, where);
  const original = block.view.getUint32(block.body, block.littleEndian);
  const captured = Math.min(original, block.end - block.body - 4, iface.snapLength || Infinity);
  return packetData(block, iface, block.body + 4, captured, where);
}
