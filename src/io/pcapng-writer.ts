import { concat, dataView, pad4, utf8Encode } from './binary.js';
import { encodeExportedPdu, LINKTYPE_EXPORTED_PDU } from './exported-pdu.js';
import { type Frame, INBOUND } from './frame.js';
import { InputError } from './input-error.js';
import { DEFAULT_DLT_MAP, type LINKTYPE_USER0 } from './link-types.js';
import { EPB_FLAGS, EPB_INBOUND, EPB_OUTBOUND, OPT_COMMENT, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_EPB, PCAPNG_IDB, PCAPNG_SHB } from './pcapng.js';
import { writeTlv } from './tlv.js';

export interface PcapngWriteOptions {
  /**
   * 252: exported PDU, each packet tagged with its protocol; Wireshark opens it with no settings.
   * 147: user link types, one interface for each link type that dltMap gives the frames' protocols.
   */
  linkType: typeof LINKTYPE_EXPORTED_PDU | typeof LINKTYPE_USER0;
  /** For user link types; default {147: 'nas-eps'}. */
  dltMap?: Readonly<Record<number, string>>;
  /** Protocol of frames that have none; default 'nas-eps'. */
  defaultProtocol?: string;
}

/**
 * A little-endian pcapng. Timestamps come from frame.time, or are one microsecond after the previous
 * packet's; a direction becomes the inbound (dl) or outbound (ul) epb_flags, a label a comment.
 */
export function writePcapng(frames: readonly Frame[], options: PcapngWriteOptions): Uint8Array {
  const { linkType, dltMap = DEFAULT_DLT_MAP, defaultProtocol = 'nas-eps' } = options;
  const userLinkTypes = new Map(Object.entries(dltMap).map(([dlt, protocol]) => [protocol, Number(dlt)]));
  const interfaces = new Map<number, number>(); // link type -> interface id
  const blocks = [pcapngBlock(PCAPNG_SHB, shbBody())];
  let micros = -1;
  for (const frame of frames) {
    const protocol = frame.protocol ?? defaultProtocol;
    let packetLinkType: number = linkType;
    let data = frame.bytes;
    if (linkType === LINKTYPE_EXPORTED_PDU) {
      data = encodeExportedPdu(protocol, frame.bytes);
    } else {
      packetLinkType = userLinkTypes.get(protocol) ?? noLinkType(frame, protocol);
    }
    let id = interfaces.get(packetLinkType);
    if (id === undefined) {
      id = interfaces.size;
      interfaces.set(packetLinkType, id);
      blocks.push(pcapngBlock(PCAPNG_IDB, idbBody(packetLinkType)));
    }
    micros = frame.time === undefined ? micros + 1 : Math.round(frame.time * 1e6);
    if (!(micros >= 0)) throw new InputError(frame.source, `cannot write time ${frame.time}`);
    blocks.push(pcapngBlock(PCAPNG_EPB, epbBody(id, micros, data, frame)));
  }
  return concat(blocks);
}

function noLinkType(frame: Frame, protocol: string): never {
  throw new InputError(frame.source, `no user link type for protocol "${protocol}" in the DLT map`);
}

/** A pcapng block: type, total length, body, total length again (little-endian). */
export function pcapngBlock(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = dataView(out);
  view.setUint32(0, type, true);
  view.setUint32(4, out.length, true);
  out.set(body, 8);
  view.setUint32(out.length - 4, out.length, true);
  return out;
}

function shbBody(): Uint8Array {
  const body = new Uint8Array(16);
  const view = dataView(body);
  view.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true); // version 1.0
  view.setBigInt64(8, -1n, true); // section length not given
  return body;
}

function idbBody(linkType: number): Uint8Array {
  const body = new Uint8Array(8); // snap length 0: no limit; default microsecond timestamps
  dataView(body).setUint16(0, linkType, true);
  return body;
}

function epbBody(interfaceId: number, micros: number, data: Uint8Array, frame: Frame): Uint8Array {
  const head = new Uint8Array(20 + pad4(data.length));
  const view = dataView(head);
  view.setUint32(0, interfaceId, true);
  view.setUint32(4, Math.floor(micros / 2 ** 32), true);
  view.setUint32(8, micros % 2 ** 32, true);
  view.setUint32(12, data.length, true);
  view.setUint32(16, data.length, true);
  head.set(data, 20);
  const options: Uint8Array[] = [];
  if (frame.label !== undefined) options.push(writeTlv(OPT_COMMENT, utf8Encode(frame.label), true, false));
  if (frame.direction) {
    const flags = new Uint8Array(4);
    dataView(flags).setUint32(0, frame.direction === INBOUND ? EPB_INBOUND : EPB_OUTBOUND, true);
    options.push(writeTlv(EPB_FLAGS, flags, true, false));
  }
  if (options.length > 0) options.push(writeTlv(0, new Uint8Array(0), true, false));
  return concat([head, ...options]);
}
