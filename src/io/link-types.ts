import { decodeExportedPdu, LINKTYPE_EXPORTED_PDU } from './exported-pdu.js';
import { type Direction, type Frame, opposite } from './frame.js';

/** USER0; USER0-15 are 147-162. */
export const LINKTYPE_USER0 = 147;

export const DEFAULT_DLT_MAP: Readonly<Record<number, string>> = { [LINKTYPE_USER0]: 'nas-eps' };

export interface PacketReadOptions {
  /** Protocol carried by each link type (USER0-15 in practice); default {147: 'nas-eps'}. */
  dltMap?: Readonly<Record<number, string>>;
  /**
   * The direction of packets marked inbound (pcapng EPB flags, exported-PDU direction tag); outbound
   * ones get the other. Without it those marks are ignored.
   */
  inboundDirection?: Direction;
}

/** A packet as a capture file holds it. */
export interface CapturedPacket {
  linkType: number;
  data: Uint8Array;
  source: string;
  time?: number;
  inbound?: boolean;
  label?: string;
}

/**
 * The frame in a captured packet. Exported PDUs name their protocol; other link types get theirs
 * from the dltMap, or `linktype:N` when it has none.
 */
export function packetFrame(packet: CapturedPacket, options: PacketReadOptions): Frame {
  let { data, inbound } = packet;
  let protocol: string | undefined;
  let destination: string | undefined;
  if (packet.linkType === LINKTYPE_EXPORTED_PDU) {
    const exported = decodeExportedPdu(data, packet.source);
    data = exported.pdu;
    protocol = exported.protocol;
    inbound = exported.inbound ?? inbound;
    destination = exported.destination;
  } else {
    protocol = (options.dltMap ?? DEFAULT_DLT_MAP)[packet.linkType] ?? `linktype:${packet.linkType}`;
  }
  const { inboundDirection } = options;
  const direction = inboundDirection && inbound !== undefined ? (inbound ? inboundDirection : opposite(inboundDirection)) : undefined;
  return {
    bytes: data.slice(),
    ...(protocol !== undefined && { protocol }),
    ...(direction && { direction }),
    ...(destination && { destination }),
    ...(packet.time !== undefined && { time: packet.time }),
    ...(packet.label !== undefined && { label: packet.label }),
    source: packet.source,
  };
}
