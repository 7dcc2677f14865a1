/**
 * A flow as files: flow.pcapng (exported PDU, link type 252, one interface per reference point),
 * flow.txt (the same messages as annotated hex lines) and keys.json.
 *
 * writePcapng (src/io) puts every packet of one link type on one interface, so the per-reference-
 * point interfaces are written here with the same pcapng helpers. Each packet is an exported PDU
 * naming its Wireshark dissector (`nas-eps`, `diameter`, `gmsg`), with the sender's and receiver's
 * addresses (so tshark fills Source and Destination) and, for `gmsg`, a protocol column text (tshark
 * has no gmsg dissector unless the Lua export is loaded); its comment is the flow label and its
 * epb_flags give the direction of NAS and group messages (inbound = downlink, as src/io reads it).
 */
import { concat, dataView, pad4, utf8Encode } from '../io/binary.js';
import { LINKTYPE_EXPORTED_PDU } from '../io/exported-pdu.js';
import { INBOUND, type Frame } from '../io/frame.js';
import { writeHexLines } from '../io/hexlines.js';
import { EPB_FLAGS, EPB_INBOUND, EPB_OUTBOUND, OPT_COMMENT, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_EPB, PCAPNG_IDB, PCAPNG_SHB } from '../io/pcapng.js';
import { pcapngBlock } from '../io/pcapng-writer.js';
import { writeTlv } from '../io/tlv.js';
import { formatLabel, INTERFACE_DESCRIPTIONS, INTERFACES, type FlowMessage } from './model.js';

const TAG_END = 0;
const TAG_DISSECTOR_NAME = 12;
const TAG_IPV4_SRC = 20;
const TAG_IPV4_DST = 21;
const TAG_COL_PROT_TEXT = 33;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const SHB_USER_APPL = 4;

/** Addresses of the nodes in exported-PDU tags: the network in 10.0.0.0/24, the UEs in 10.45.0.0/16. */
export function nodeAddress(node: string): Uint8Array {
  const fixed: Record<string, number> = { SCS: 1, 'MTC-IWF': 2, HSS: 3, MME: 4 };
  if (fixed[node] !== undefined) return Uint8Array.of(10, 0, 0, fixed[node]);
  const ue = node.match(/^UE(\d+)$/);
  if (ue) return Uint8Array.of(10, 45, (Number(ue[1]) >> 8) & 0xff, Number(ue[1]) & 0xff);
  return Uint8Array.of(10, 0, 0, 254);
}

function exportedPdu(m: FlowMessage): Uint8Array {
  const tag = (code: number, value: Uint8Array) => writeTlv(code, value, false, true);
  return concat([
    tag(TAG_DISSECTOR_NAME, utf8Encode(m.protocol)),
    tag(TAG_IPV4_SRC, nodeAddress(m.from)),
    tag(TAG_IPV4_DST, nodeAddress(m.to)),
    ...(m.protocol === 'gmsg' ? [tag(TAG_COL_PROT_TEXT, utf8Encode('GMSG'))] : []),
    tag(TAG_END, new Uint8Array(0)),
    m.bytes,
  ]);
}

const option = (code: number, value: Uint8Array) => writeTlv(code, value, true, false);
const endOfOptions = () => writeTlv(0, new Uint8Array(0), true, false);

function shb(): Uint8Array {
  const head = new Uint8Array(16);
  const view = dataView(head);
  view.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true);
  view.setBigInt64(8, -1n, true);
  return pcapngBlock(PCAPNG_SHB, concat([head, option(SHB_USER_APPL, utf8Encode('mtcgk flow')), endOfOptions()]));
}

function idb(name: string, description: string): Uint8Array {
  const head = new Uint8Array(8);
  dataView(head).setUint16(0, LINKTYPE_EXPORTED_PDU, true);
  return pcapngBlock(PCAPNG_IDB, concat([head, option(IF_NAME, utf8Encode(name)), option(IF_DESCRIPTION, utf8Encode(description)), endOfOptions()]));
}

function epb(interfaceId: number, m: FlowMessage): Uint8Array {
  const data = exportedPdu(m);
  const micros = BigInt(Math.round(m.time * 1e6));
  const head = new Uint8Array(20 + pad4(data.length));
  const view = dataView(head);
  view.setUint32(0, interfaceId, true);
  view.setUint32(4, Number(micros >> 32n), true);
  view.setUint32(8, Number(micros & 0xffffffffn), true);
  view.setUint32(12, data.length, true);
  view.setUint32(16, data.length, true);
  head.set(data, 20);
  const options = [option(OPT_COMMENT, utf8Encode(formatLabel(m)))];
  if (m.direction) {
    const flags = new Uint8Array(4);
    dataView(flags).setUint32(0, m.direction === INBOUND ? EPB_INBOUND : EPB_OUTBOUND, true);
    options.push(option(EPB_FLAGS, flags));
  }
  return pcapngBlock(PCAPNG_EPB, concat([head, ...options, endOfOptions()]));
}

/** The pcapng: one interface per reference point (in INTERFACES order, all declared up front). */
export function flowPcapng(messages: readonly FlowMessage[]): Uint8Array {
  const ids = new Map(INTERFACES.map((name, i) => [name, i]));
  return concat([shb(), ...INTERFACES.map((name) => idb(name, INTERFACE_DESCRIPTIONS[name])), ...messages.map((m) => epb(ids.get(m.iface)!, m))]);
}

/** The messages as frames (what readFrames gives back for flow.pcapng). */
export function flowFrames(messages: readonly FlowMessage[]): Frame[] {
  return messages.map((m, i) => ({ bytes: m.bytes, protocol: m.protocol, ...(m.direction && { direction: m.direction }), time: m.time, label: formatLabel(m), source: `flow#${i + 1}` }));
}

/** flow.txt: a heading, then per message a comment line (number, reference point, protocol) and its hex line. */
export function flowText(messages: readonly FlowMessage[], heading: readonly string[]): string {
  const lines = heading.map((h) => `# ${h}`);
  flowFrames(messages).forEach((f, i) => {
    const m = messages[i];
    lines.push(`# ${i + 1}  ${m.iface}  ${m.protocol}  ${m.from} -> ${m.to}`);
    lines.push(writeHexLines([f]).trimEnd());
  });
  return lines.join('\n') + '\n';
}
