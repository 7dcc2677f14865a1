import { concat, dataView, utf8Decoder, utf8Encode } from './binary.js';
import { InputError } from './input-error.js';
import { readTlvs, writeTlv } from './tlv.js';

/** Wireshark's "exported PDU" link type: tags (big-endian), then the PDU. Wireshark opens it with no settings. */
export const LINKTYPE_EXPORTED_PDU = 252;

const TAG_END = 0;
const TAG_DISSECTOR_NAME = 12;
const TAG_P2P_DIRECTION = 35;
const TAG_IPV4_DST = 21;

/** Wireshark dissector names whose protocol goes by another name here; other names are the same. */
const FROM_WIRESHARK = new Map([['nas-eps_plain', 'nas-eps']]);

export interface ExportedPdu {
  /** From the dissector-name tag. */
  protocol?: string;
  /** From the direction tag: true = received, false = sent. */
  inbound?: boolean;
  /** From the IPv4 destination tag, dotted. */
  destination?: string;
  pdu: Uint8Array;
}

export function decodeExportedPdu(data: Uint8Array, where: string): ExportedPdu {
  const { items, end } = readTlvs(data, 0, data.length, false, true, where);
  if (end === undefined) throw new InputError(where, 'exported PDU has no end-of-tags tag');
  const result: ExportedPdu = { pdu: data.subarray(end) };
  for (const { code, value } of items) {
    if (code === TAG_DISSECTOR_NAME) {
      const name = utf8Decoder.decode(value).replace(/\0+$/, '');
      result.protocol = FROM_WIRESHARK.get(name) ?? name;
    } else if (code === TAG_IPV4_DST && value.length === 4) {
      result.destination = Array.from(value).join('.');
    } else if (code === TAG_P2P_DIRECTION && value.length === 4) {
      const direction = dataView(value).getInt32(0); // P2P_DIR_SENT 0, P2P_DIR_RECV 1, unknown -1
      if (direction === 0 || direction === 1) result.inbound = direction === 1;
    }
  }
  return result;
}

/** `00 0c 00 08 6e 61 73 2d 65 70 73 00 00 00 00 00 <PDU>` for 'nas-eps'. */
export function encodeExportedPdu(protocol: string, pdu: Uint8Array): Uint8Array {
  return concat([writeTlv(TAG_DISSECTOR_NAME, utf8Encode(protocol), false, true), writeTlv(TAG_END, new Uint8Array(0), false, true), pdu]);
}
