/**
 * IMSI-Group Identifier (TS 23.003 §19.9): Group Service Identifier (4 octets), the PLMN (MCC, MNC as
 * TS 24.008 §10.5.1.13 packs them) and a Local Group Id of 1-10 octets, shown in the text form
 * `GGGGGGGG-MCC-MNC-LL..` (TS 29.571 GroupId). Reads to the end of its window.
 */
import type { BitWriter } from '../engine/bits.js';
import { toHex } from '../engine/format.js';
import { need } from '../engine/stop.js';
import { expertItem } from '../engine/expert.js';
import { treeNode } from '../engine/tree.js';
import type { Codec } from './codec.js';
import type { CodecLeaf } from './descriptors.js';
import { plmn, type Plmn } from './digits.js';

const TEXT = /^([0-9a-fA-F]{8})-([0-9]{3})-([0-9]{2,3})-((?:[0-9a-fA-F]{2}){1,10})$/;

export function parseGroupId(text: string): { gsi: number; plmn: Plmn; lgi: string } {
  const m = TEXT.exec(text);
  if (!m) throw new TypeError(`"${text}" is not an IMSI-Group Identifier (GGGGGGGG-MCC-MNC-LocalGroupId, e.g. 00000001-001-01-01)`);
  return { gsi: parseInt(m[1], 16), plmn: { mcc: m[2], mnc: m[3] }, lgi: m[4].toLowerCase() };
}

export const imsiGroupId: Codec = {
  decode(r, params, site) {
    const start = r.pos;
    need(r, 8 * 8, site.node, site.filter, site.label, site.path);
    const gsi = r.read(32);
    const leaf = ({ filter, label }: CodecLeaf, at: number, bits: number, value: unknown, show: () => string) => {
      if (site.valueOnly) return;
      const text = show();
      site.node.children.push(treeNode(filter, label, at, bits, `${label}: ${text}`, value, text));
    };
    leaf(site.leaves.gsi, start, 32, gsi, () => `0x${gsi.toString(16).padStart(8, '0')}`);
    const p = plmn.decode(r, params, site) as Plmn;
    const at = r.pos;
    const lgiBits = r.remaining;
    const lgi = toHex(r.readBytes(lgiBits));
    leaf(site.leaves.lgi, at, lgiBits, lgi, () => lgi);
    if (lgiBits > 80) site.node.expert.push(expertItem('length_out_of_range', `Local Group Id of ${lgiBits / 8} octets: TS 23.003 allows 1-10`, site.path, at, lgiBits));
    return `${gsi.toString(16).padStart(8, '0')}-${p.mcc}-${p.mnc}-${lgi}`;
  },
  encode(w: BitWriter, value) {
    const g = parseGroupId(String(value));
    w.write(g.gsi, 32);
    plmn.encode(w, g.plmn, {});
    for (const h of g.lgi.match(/../g)!) w.write(parseInt(h, 16), 8);
  },
  show: (v) => String(v),
};
