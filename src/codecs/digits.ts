/** BCD digit strings as TS 24.008 §10.5.1.4 / TS 24.301 §9.9.3.12 pack them: low nibble first, filler 0xF. */
import type { BitReader, BitWriter } from '../engine/bits.js';
import { need } from '../engine/stop.js';
import { HEX_DIGITS } from '../engine/hex.js';
import { expertItem } from '../engine/expert.js';
import { treeNode, type TreeNode } from '../engine/tree.js';
import type { Codec, CodecSite } from './codec.js';
import type { CodecLeaf } from './descriptors.js';

/** A leaf node its descriptor declares; `text` follows the label in the display, `show` is its -T fields text. */
const leaf = (l: CodecLeaf, bitOffset: number, bitLength: number, value: unknown, text: string, bitField = false, show = String(value)): TreeNode => {
  const n = treeNode(l.filter, l.label, bitOffset, bitLength, `${l.label}: ${text}`, value, show);
  n.bitField = bitField;
  return n;
};

/** The digits of a number with keypad characters (TS 24.008 Table 10.5.118, TS 23.040 §9.1.2.3): 1010 is *, 1011 #, 1100-1110 a-c. */
const KEYPAD = '0123456789*#abc';

/** A nibble's hex digit. */
const HEX = '0123456789abcdef';

/**
 * Reads nibble pairs (low nibble first) to the end of the window; 0xF ends the string (filler). A
 * nibble above 9 is a keypad character with `keypad`, else a hex digit and a note.
 */
function readPairs(r: BitReader, site: CodecSite, keypad = false): string {
  let digits = '';
  while (r.remaining >= 8) {
    const byte = r.read(8);
    for (let k = 0; k < 2; k++) {
      const nib = k ? byte >> 4 : byte & 0xf;
      if (nib === 0xf) continue;
      if (keypad) {
        digits += KEYPAD[nib];
        continue;
      }
      if (nib > 9) site.node.expert.push(expertItem('invalid_value', `${site.label}: nibble 0x${HEX[nib]} is not a BCD digit`, site.path, r.pos - 8, 8));
      digits += HEX[nib];
    }
  }
  return digits;
}

/** A digit's nibble: its place on the keypad, or its hex value (NaN for no hex digit, as parseInt gives). */
function nibbleOf(digits: string, i: number, keypad: boolean): number {
  if (keypad) return KEYPAD.indexOf(digits[i]);
  const code = digits.charCodeAt(i);
  const v = code < 256 ? HEX_DIGITS[code] : -1;
  return v >= 0 ? v : Number.NaN;
}

function writePairs(w: BitWriter, digits: string, keypad = false): void {
  for (let i = 0; i < digits.length; i += 2) {
    const lo = nibbleOf(digits, i, keypad);
    const hi = i + 1 < digits.length ? nibbleOf(digits, i + 1, keypad) : 0xf;
    w.write((hi << 4) | lo, 8);
  }
}

const digitString = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || !/^[0-9]*$/.test(value)) throw new TypeError(`${what}: expected a string of decimal digits`);
  return value;
};

/**
 * An identity whose first digit shares octet 1 with the odd/even bit and the 3-bit type
 * (EPS mobile identity IMSI/IMEI, TS 24.008 mobile identity). params: type, odd_even_filter, type_filter.
 */
export const bcdIdentity: Codec = {
  decode(r, params, site) {
    const start = r.pos;
    need(r, 8, site.node, site.filter, site.label, site.path);
    const d1 = r.read(4);
    const odd = r.read(1);
    const type = r.read(3);
    const { node, leaves } = site;
    if (!site.valueOnly) {
      node.children.push(leaf(leaves.digit1, start, 4, d1, String(d1), true));
      node.children.push(leaf(leaves.odd_even, start + 4, 1, odd, odd ? 'Odd number of identity digits' : 'Even number of identity digits', true));
      node.children.push(leaf(leaves.type, start + 5, 3, type, `${String(params.type_label ?? type)} (${type})`, true));
    }
    const rest = r.pos;
    const more = readPairs(r, site);
    if (r.pos > rest && !site.valueOnly) node.children.push(leaf(leaves.digits, rest, r.pos - rest, more, more));
    const value = d1.toString(16) + more;
    const expectOdd = value.length % 2;
    if (odd !== expectOdd) node.expert.push(expertItem('invalid_value', `odd/even indication ${odd} does not match ${value.length} digits`, site.path, start + 4, 1));
    return value;
  },
  encode(w, value, params) {
    const digits = digitString(value, 'identity');
    const first = digits.length ? parseInt(digits[0], 10) : 0xf;
    w.write(first, 4);
    w.write(digits.length % 2, 1);
    w.write(Number(params.type), 3);
    writePairs(w, digits.slice(1));
  },
  show: (v) => String(v),
};

/**
 * A plain BCD digit string to the end of the window (emergency numbers, called party numbers); with
 * `keypad: 1` its nibbles above 9 are the keypad characters * # a b c, otherwise hex digits.
 */
export const bcdDigits: Codec = {
  decode(r, params, site) {
    return readPairs(r, site, params.keypad === 1);
  },
  encode(w, value, params) {
    const keypad = params.keypad === 1;
    if (typeof value !== 'string' || !(keypad ? /^[0-9*#abc]*$/ : /^[0-9a-e]*$/).test(value)) {
      throw new TypeError(`digits: expected a string of decimal digits${keypad ? ' and * # a b c' : ''}`);
    }
    writePairs(w, value, keypad);
  },
  show: (v, params) => (params.number === 1 && /^\d+$/.test(String(v)) ? String(Number(v)) : String(v)),
};

export interface Plmn {
  mcc: string;
  mnc: string;
}

/** The MCC and MNC of a PLMN identity's three octets; `bcd` is false when a digit is not BCD. */
export function plmnDigits(a: number, b: number, c: number): Plmn & { bcd: boolean } {
  const [mcc1, mcc2, mcc3, mnc1, mnc2, mnc3] = [a & 0xf, a >> 4, b & 0xf, c & 0xf, c >> 4, b >> 4];
  return {
    mcc: HEX[mcc1] + HEX[mcc2] + HEX[mcc3],
    mnc: HEX[mnc1] + HEX[mnc2] + (mnc3 === 0xf ? '' : HEX[mnc3]),
    bcd: mcc1 < 10 && mcc2 < 10 && mcc3 < 10 && mnc1 < 10 && mnc2 < 10 && (mnc3 < 10 || mnc3 === 0xf),
  };
}

/** PLMN identity (TS 24.008 §10.5.1.13): MCC2 MCC1 | MNC3 MCC3 | MNC2 MNC1; MNC3 = F for 2-digit MNCs. */
export const plmn: Codec = {
  decode(r, _params, site) {
    need(r, 24, site.node, site.filter, site.label, site.path);
    const start = r.pos;
    const { mcc, mnc, bcd } = plmnDigits(r.read(8), r.read(8), r.read(8));
    if (!bcd) site.node.expert.push(expertItem('invalid_value', `${site.label}: a digit is not BCD`, site.path, start, 24));
    if (!site.valueOnly) {
      // -T fields shows them as numbers, as Wireshark's e212.mcc and e212.mnc (FT_UINT16).
      site.node.children.push(leaf(site.leaves.mcc, start, 16, mcc, mcc, false, String(Number(mcc))));
      site.node.children.push(leaf(site.leaves.mnc, start + 16, 8, mnc, mnc, false, String(Number(mnc))));
    }
    return { mcc, mnc };
  },
  encode(w, value) {
    const v = value as Plmn;
    if (!v || !/^[0-9]{3}$/.test(v.mcc) || !/^[0-9]{2,3}$/.test(v.mnc)) throw new TypeError('plmn: expected {mcc: 3 digits, mnc: 2 or 3 digits}');
    const d = (s: string, i: number) => (i < s.length ? Number(s[i]) : 0xf);
    w.write((d(v.mcc, 1) << 4) | d(v.mcc, 0), 8);
    w.write((d(v.mnc, 2) << 4) | d(v.mcc, 2), 8);
    w.write((d(v.mnc, 1) << 4) | d(v.mnc, 0), 8);
  },
  show: (v) => `${(v as Plmn).mcc}-${(v as Plmn).mnc}`,
};
