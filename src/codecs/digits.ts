/** BCD digit strings as TS 24.008 §10.5.1.4 / TS 24.301 §9.9.3.12 pack them: low nibble first, filler 0xF. */
import * as fc from 'fast-check';
import type { BitReader, BitWriter } from '../engine/bits.js';
import { need } from '../engine/stop.js';
import { expertItem } from '../engine/expert.js';
import type { TreeNode } from '../engine/tree.js';
import type { Codec, CodecSite } from './codec.js';

const leaf = (filter: string, label: string, bitOffset: number, bitLength: number, value: unknown, display: string, bitField = false): TreeNode => ({
  filter, label, bitOffset, bitLength, value, display, show: String(value), children: [], expert: [], bitField,
});

/** Reads nibble pairs (low nibble first) to the end of the window; 0xF ends the string (filler). */
function readPairs(r: BitReader, site: CodecSite, digits: string[]): void {
  while (r.remaining >= 8) {
    const byte = r.read(8);
    for (const nib of [byte & 0xf, byte >> 4]) {
      if (nib === 0xf) continue;
      if (nib > 9) site.node.expert.push(expertItem('invalid_value', `${site.label}: nibble 0x${nib.toString(16)} is not a BCD digit`, site.path, r.pos - 8, 8));
      digits.push(nib.toString(16));
    }
  }
}

function writePairs(w: BitWriter, digits: string): void {
  for (let i = 0; i < digits.length; i += 2) {
    const lo = parseInt(digits[i], 16);
    const hi = i + 1 < digits.length ? parseInt(digits[i + 1], 16) : 0xf;
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
    const { node } = site;
    node.children.push(leaf(site.filter + '_digit1', 'Identity digit 1', start, 4, d1, `Identity digit 1: ${d1}`, true));
    node.children.push(leaf(String(params.odd_even_filter), 'Odd/even indication', start + 4, 1, odd, `Odd/even indication: ${odd ? 'Odd number of identity digits' : 'Even number of identity digits'}`, true));
    node.children.push(leaf(String(params.type_filter), 'Type of identity', start + 5, 3, type, `Type of identity: ${String(params.type_label ?? type)} (${type})`, true));
    const digits = [d1.toString(16)];
    const rest = r.pos;
    readPairs(r, site, digits);
    if (r.pos > rest) node.children.push(leaf(site.filter + '_digits', 'Identity digits', rest, r.pos - rest, digits.slice(1).join(''), `Identity digits: ${digits.slice(1).join('')}`));
    const value = digits.join('');
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
  arbitrary(params) {
    const [min, max] = (params.digits as [number, number]) ?? [15, 15];
    return fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
  },
  show: (v) => String(v),
};

/** A plain BCD digit string to the end of the window (emergency numbers, called party numbers). */
export const bcdDigits: Codec = {
  decode(r, _params, site) {
    const digits: string[] = [];
    readPairs(r, site, digits);
    return digits.join('');
  },
  encode(w, value) {
    writePairs(w, digitString(value, 'digits'));
  },
  arbitrary: (params) => fc.stringMatching(new RegExp(`^[0-9]{${Number(params.min ?? 1)},${Number(params.max ?? 20)}}$`)),
  show: (v) => String(v),
};

export interface Plmn {
  mcc: string;
  mnc: string;
}

/** PLMN identity (TS 24.008 §10.5.1.13): MCC2 MCC1 | MNC3 MCC3 | MNC2 MNC1; MNC3 = F for 2-digit MNCs. */
export const plmn: Codec = {
  decode(r, params, site) {
    need(r, 24, site.node, site.filter, site.label, site.path);
    const start = r.pos;
    const [a, b, c] = [r.read(8), r.read(8), r.read(8)];
    const nib = [a & 0xf, a >> 4, b & 0xf, c & 0xf, c >> 4, b >> 4];
    if (nib.some((n, i) => n > 9 && !(i === 5 && n === 0xf))) {
      site.node.expert.push(expertItem('invalid_value', `${site.label}: a digit is not BCD`, site.path, start, 24));
    }
    const hex = (n: number) => n.toString(16);
    const mcc = nib.slice(0, 3).map(hex).join('');
    const mnc = nib.slice(3, nib[5] === 0xf ? 5 : 6).map(hex).join('');
    const mccF = String(params.mcc_filter ?? 'e212.mcc');
    const mncF = String(params.mnc_filter ?? 'e212.mnc');
    site.node.children.push(leaf(mccF, 'Mobile Country Code (MCC)', start, 16, mcc, `Mobile Country Code (MCC): ${mcc}`));
    site.node.children.push(leaf(mncF, 'Mobile Network Code (MNC)', start + 16, 8, mnc, `Mobile Network Code (MNC): ${mnc}`));
    site.node.children[site.node.children.length - 2].show = String(Number(mcc));
    site.node.children[site.node.children.length - 1].show = String(Number(mnc));
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
  arbitrary: () => fc.record({ mcc: fc.stringMatching(/^[0-9]{3}$/), mnc: fc.stringMatching(/^[0-9]{2,3}$/) }),
  show: (v) => `${(v as Plmn).mcc}-${(v as Plmn).mnc}`,
};
