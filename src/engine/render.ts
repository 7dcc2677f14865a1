/**
 * Renderings the grammar declares beyond integers and plain octets, following Wireshark's field types:
 * a field's octets shown as an address, an APN, digits or FT_BYTES (`render:` on a field), a type's octets shown once
 * more as one FT_BYTES field (`bytes_field:`), and fields derived from decoded ones (`derived:`), which
 * tshark adds as generated fields (totals, timer lengths, the parts of an IMSI). Nothing here changes a
 * decoded value: renderings touch only `show` and `display`.
 */
import type { BytesRendering, DerivedIR, InfoTemplate, TypeRendering, WhenIR } from '../grammar/ir.js';
import { plmnDigits } from '../codecs/digits.js';
import { enumLabel } from './format.js';
import { toHex } from './format.js';
import { plainHex } from './hex.js';
import { findNode, treeNode, type TreeNode } from './tree.js';

type Obj = Record<string, unknown>;

const leaf = (filter: string, label: string, bitOffset: number, bitLength: number, value: unknown, show: string, display = `${label}: ${show}`): TreeNode =>
  treeNode(filter, label, bitOffset, bitLength, display, value, show);

/** IPv6 text as RFC 5952 (and Wireshark) writes it: the longest run of two or more zero groups as `::`. */
function ipv6(data: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((data[2 * i] << 8) | data[2 * i + 1]).toString(16));
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1] && j - i >= 2) best = [i, j - i];
    i = j > i ? j : i + 1;
  }
  if (best[0] < 0) return groups.join(':');
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0] + best[1]).join(':')}`;
}

/** APN (TS 23.003 §9.1): length-prefixed labels joined with dots. */
function apn(data: Uint8Array): string {
  const labels: string[] = [];
  for (let i = 0; i < data.length; ) {
    const n = data[i];
    labels.push(String.fromCharCode(...data.subarray(i + 1, i + 1 + n)));
    i += n + 1;
  }
  return labels.join('.');
}

/** BCD digits, low nibble first; a 0xF nibble is filler. */
const bcd = (data: Uint8Array): string =>
  Array.from(data, (b) =>
    [b & 0xf, b >> 4]
      .filter((n) => n !== 0xf)
      .map((n) => n.toString(16))
      .join(''),
  ).join('');

/** `-T fields` text of octets under a rendering; undefined when the octets do not fit it (hex is shown then). */
export function renderBytes(render: BytesRendering, data: Uint8Array): string | undefined {
  switch (render) {
    case 'ipv4':
      return data.length === 4 ? data.join('.') : undefined;
    case 'ipv6':
      // A prefix (8 octets of a /64) is shown as the address it starts, as FT_IPv6 does.
      return data.length <= 16 && data.length % 2 === 0 ? ipv6(Uint8Array.from({ length: 16 }, (_, i) => data[i] ?? 0)) : undefined;
    case 'apn':
      return apn(data);
    case 'bcd':
      return bcd(data);
    case 'bytes':
      return toHex(data);
  }
}

/** Applies a field's `render:` to the node it made: the octets it spans, shown in that rendering. */
export function renderNode(render: BytesRendering, n: TreeNode | undefined, bytes: Uint8Array): void {
  if (!n || n.bitOffset % 8 || n.bitLength % 8) return;
  const show = renderBytes(render, bytes.subarray(n.bitOffset >> 3, (n.bitOffset + n.bitLength) >> 3));
  if (show === undefined) return;
  n.show = show;
  n.display = `${n.label}: ${show}`;
}

/** A list item shown with its index (a `numbered` list). */
export function numberNode(n: TreeNode | undefined, index: number): void {
  if (!n) return;
  n.show = String(index);
  n.display = `${n.label}: ${index}`;
}

/** The field type a rendering gives a bytes field in the catalogue. */
export const RENDERING_FTYPE: Record<BytesRendering, string> = { ipv4: 'FT_IPv4', ipv6: 'FT_IPv6', apn: 'FT_STRING', bcd: 'FT_STRING', bytes: 'FT_BYTES' };

const fromHexValue = (v: unknown): Uint8Array | undefined => (typeof v === 'string' ? plainHex(v) : undefined);

/** GSM 7-bit default alphabet (TS 23.038 §6.2.1), the characters at 0x00-0x7f; 0x1b escapes. */
const GSM7 = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u00a0ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The default alphabet extension table (TS 23.038 §6.2.1.1): the characters after an escape (0x1b). */
const GSM7_EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);

/** `count` septets packed from bit `bitOffset` on (TS 23.038 §6.1.2.1.1: the first septet in the low bits of octet 1). */
function septets(data: Uint8Array, bitOffset: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i * 7;
    out.push(((data[bit >> 3] | ((data[(bit >> 3) + 1] ?? 0) << 8)) >> (bit & 7)) & 0x7f);
  }
  return out;
}

/**
 * Text of default-alphabet codes: an escape takes the next code from the extension table, or shows
 * that code's own character when the table has none (TS 23.038 §6.2.1.1).
 */
function gsm7Text(codes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 0x1b && i + 1 < codes.length) {
      i++;
      out += GSM7_EXTENSION.get(codes[i]) ?? GSM7[codes[i]];
    } else out += GSM7[codes[i]];
  }
  return out;
}

/** Packed GSM 7-bit text (TS 23.038 §6.1.2.1.1) with `spare` bits unused in the last octet. */
export function gsm7(data: Uint8Array, spare: number): string {
  return gsm7Text(septets(data, 0, Math.floor((data.length * 8 - spare) / 7)));
}

/** UCS-2, big-endian 16-bit code units. */
const ucs2 = (data: Uint8Array): string => String.fromCharCode(...Array.from({ length: data.length >> 1 }, (_, i) => (data[2 * i] << 8) | data[2 * i + 1]));

const utf16be = new TextDecoder('utf-16be');

/** The alphabet of a TP-DCS (TS 23.038 §4), and whether the text is compressed; no DCS: 8-bit data. */
function smsAlphabet(dcs: unknown): { alphabet: 'gsm7' | 'ucs2' | '8bit'; compressed: boolean } {
  if (typeof dcs !== 'number') return { alphabet: '8bit', compressed: false };
  const group = dcs >> 4;
  // 00xx, 01xx: general data coding (bit 5 compressed, bits 3-2 the alphabet; 11 reserved).
  if (group < 8) return { alphabet: (['gsm7', '8bit', 'ucs2', '8bit'] as const)[(dcs >> 2) & 3], compressed: dcs !== 0 && (dcs & 0x20) !== 0 };
  // 1100 and 1101: message waiting, default alphabet; 1110: message waiting, UCS2; 1111: bit 2 the alphabet.
  if (group === 12 || group === 13) return { alphabet: 'gsm7', compressed: false };
  if (group === 14) return { alphabet: 'ucs2', compressed: false };
  if (group === 15) return { alphabet: dcs & 4 ? '8bit' : 'gsm7', compressed: false };
  // 1000-1011: reserved coding groups, read as 8-bit data.
  return { alphabet: '8bit', compressed: false };
}

/** Fill bits after a user data header of `udhl` octets (and its length octet), to the next septet (TS 23.040 §9.2.3.24). */
const fillBits = (udhl: number): number => (7 - (((udhl + 1) * 8) % 7)) % 7;

/** The short message text from [TP-DCS, TP-UDL, (user data header length,) user data after the header]. */
function smsText(from: unknown[]): string | undefined {
  const [dcs, udl, udhl, ud] = from.length === 3 ? [from[0], from[1], undefined, from[2]] : from;
  const data = fromHexValue(ud);
  if (!data || typeof udl !== 'number' || udl === 0) return undefined;
  const { alphabet, compressed } = smsAlphabet(dcs);
  if (compressed) return undefined;
  if (alphabet === 'ucs2') return utf16be.decode(data);
  if (alphabet !== 'gsm7') return undefined;
  // TP-UDL counts septets, the header's (with its fill bits) too.
  const fill = typeof udhl === 'number' ? fillBits(udhl) : 0;
  const count = typeof udhl === 'number' ? udl - ((udhl + 1) * 8 + fill) / 7 : udl;
  const n = Math.min(count, 160, Math.floor((data.length * 8 - fill) / 7));
  return n > 0 ? gsm7Text(septets(data, fill, n)) : undefined;
}

/** E.164 country code lengths by first digit (ITU-T E.164 assignments): the second digits of two-digit codes. */
const TWO_DIGIT_CC: Readonly<Record<string, string>> = { '2': '07', '3': '0123469', '4': '013456789', '5': '12345678', '6': '0123456', '8': '1246', '9': '0123458' };

/** An international number's country code (1-3 digits) and, for the shared codes 881-883, the identification code after it. */
function e164Parts(digits: string): { cc: string; id?: string } | undefined {
  if (!/^\d+$/.test(digits)) return undefined;
  const first = digits[0];
  const len = '017'.includes(first) ? 1 : TWO_DIGIT_CC[first].includes(digits[1] ?? '') ? 2 : 3;
  const cc = digits.slice(0, len);
  const rest = digits.slice(len);
  const idLen = cc === '881' ? 1 : cc === '882' ? 2 : cc === '883' ? (rest.startsWith('51') ? 4 : 3) : 0;
  return { cc, id: idLen && rest.length >= idLen ? rest.slice(0, idLen) : undefined };
}

/** APN-AMBR (TS 24.301 §9.9.4.2) in kbps: octet 3/4, overridden by the extended octet, plus 256 Mbps per extended-2 unit. */
function apnAmbr(base: number, ext: number, ext2: number): number {
  let kbps = base === 0xff ? 0 : base <= 63 ? base : base <= 127 ? 64 + (base - 64) * 8 : 576 + (base - 128) * 64;
  if (ext >= 1 && ext <= 74) kbps = 8600 + ext * 100;
  else if (ext >= 75 && ext <= 186) kbps = 16000 + (ext - 74) * 1000;
  else if (ext >= 187) kbps = 128000 + (Math.min(ext, 250) - 186) * 2000;
  return kbps + ext2 * 256000;
}

/** Multiples of the timer unit in the unit Wireshark shows the length in (TS 24.008 §10.5.7.3, §10.5.7.4a). */
const TIMER_MULTIPLE: Record<string, Record<number, number>> = {
  gprs_timer: { 0: 2, 1: 1, 2: 6 },
  gprs_timer_3: { 0: 10, 1: 1, 2: 10, 3: 2, 4: 30, 5: 1, 6: 320 },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** MCCs whose MNCs have three digits (TS 23.003 §2.2 leaves the length to the MCC's numbering plan). */
const THREE_DIGIT_MNC = new Set([302, 310, 311, 312, 313, 314, 315, 316, 334, 338, 342, 344, 346, 348, 354, 356, 358, 360, 365, 376, 708, 722, 732, 750]);

/** MCC or MNC of a PLMN identity's three octets (the -T fields text: a number). */
const plmnPart = (part: 'mcc' | 'mnc') => ({
  ftype: 'FT_UINT16',
  base: 'BASE_DEC',
  derive: ([v]: unknown[]) => {
    const d = fromHexValue(v);
    if (d?.length !== 3) return undefined;
    const digits = plmnDigits(d[0], d[1], d[2]);
    // Where Wireshark puts them: the MCC in octets 1-2, the MNC in octets 2-3.
    const within = part === 'mcc' ? { offset: 0, bits: 16 } : { offset: 8, bits: 16 };
    return digits.bcd ? { show: String(Number(digits[part])), value: digits[part], within } : undefined;
  },
});

export interface DeriveContext {
  /** Direction of the outermost message that has one (PCO link direction). */
  direction?: 'ul' | 'dl';
  /** The values of the enclosing messages, outermost first, as far as they are decoded. */
  messages?: readonly Obj[];
  /** Values kept by `keep:` so far in the message. */
  kept?: ReadonlyMap<string, number>;
  /** The bit width of each `from` field (integer fields; undefined for others). */
  widths?: ReadonlyArray<number | undefined>;
}

interface Derived {
  show: string;
  value: unknown;
  /** The bits it stands for, from the struct's start, when not the whole struct (the MNC of a PLMN). */
  within?: { offset: number; bits: number };
  children?: (at: number, bits: number) => TreeNode[];
}

/** The derivations a grammar may name with `derived: [{as: ...}]`, given the values of its `from` fields. */
export const DERIVATIONS: Record<string, { ftype: string; base: string; derive(from: unknown[], ctx: DeriveContext): Derived | Derived[] | undefined }> = {
  /** A text value again under another name (User-Name as e212.imsi). */
  text: { ftype: 'FT_STRING', base: '', derive: ([v]) => (typeof v === 'string' ? { show: v, value: v } : undefined) },
  /** A 32-bit value again under another name, in hex as FT_UINT32 BASE_HEX shows it (a flags AVP). */
  hex32: { ftype: 'FT_UINT32', base: 'BASE_HEX', derive: ([v]) => (typeof v === 'number' ? { show: `0x${v.toString(16).padStart(8, '0')}`, value: v } : undefined) },
  /** The value again under another (Wireshark's generic) name, in decimal. */
  decimal: { ftype: 'FT_UINT32', base: 'BASE_DEC', derive: ([v]) => (typeof v === 'number' ? { show: String(v), value: v } : undefined) },
  /** Total APN-AMBR: from [base, extended, extended-2]; tshark shows it when the extended octet is there. */
  apn_ambr_total: {
    ftype: 'FT_UINT32',
    base: 'BASE_DEC',
    derive: ([base, ext, ext2]) => {
      if (typeof base !== 'number' || typeof ext !== 'number') return undefined;
      const kbps = apnAmbr(base, ext, typeof ext2 === 'number' ? ext2 : 0);
      return { show: String(kbps), value: kbps };
    },
  },
  /** GPRS timer length from [unit, value] (Wireshark's gsm_a.gm.gmm.gprs_timer). */
  gprs_timer: { ftype: 'FT_UINT8', base: 'BASE_HEX', derive: (from) => timerLength('gprs_timer', from) },
  gprs_timer_3: { ftype: 'FT_UINT8', base: 'BASE_HEX', derive: (from) => timerLength('gprs_timer_3', from) },
  /** An IMSI with the MCC and MNC it starts with (e212.assoc.imsi and its e212.mcc, e212.mnc). */
  imsi: {
    ftype: 'FT_STRING',
    base: '',
    derive: ([imsi]) => {
      if (typeof imsi !== 'string' || imsi.length < 5 || !/^\d+$/.test(imsi)) return undefined;
      const mnc = imsi.slice(3, THREE_DIGIT_MNC.has(Number(imsi.slice(0, 3))) ? 6 : 5);
      return {
        show: imsi,
        value: imsi,
        children: (at, bits) => [
          leaf('e212.mcc', 'Mobile Country Code (MCC)', at, bits, imsi.slice(0, 3), String(Number(imsi.slice(0, 3)))),
          leaf('e212.mnc', 'Mobile Network Code (MNC)', at, bits, mnc, String(Number(mnc))),
        ],
      };
    },
  },
  /**
   * The TACs after the first of a partial TAI list of consecutive TACs (TS 24.301 §9.9.3.33, type of
   * list 01), from [number of elements, first TAC]: the list holds number + 1 TACs.
   */
  consecutive_tacs: {
    ftype: 'FT_UINT16',
    base: 'BASE_DEC',
    derive: ([n, tac]) =>
      typeof n === 'number' && typeof tac === 'number' ? Array.from({ length: n }, (_, i) => ({ show: String((tac + i + 1) & 0xffff), value: (tac + i + 1) & 0xffff })) : undefined,
  },
  /** The MCC and the MNC of a PLMN identity held as octets (Diameter's Visited-PLMN-Id). */
  plmn_mcc: plmnPart('mcc'),
  plmn_mnc: plmnPart('mnc'),
  /** An E.164 number from its TBCD octets (TS 29.002: Diameter's MSISDN), as `e164` shows it. */
  tbcd_e164: {
    ftype: 'FT_STRING',
    base: '',
    derive: ([v], ctx) => {
      const d = fromHexValue(v);
      return d ? DERIVATIONS.e164.derive([bcd(d)], ctx) : undefined;
    },
  },
  /** Network name text from [coding scheme, spare bits in the last octet, encoded octets]: GSM 7-bit or UCS-2. */
  network_name: {
    ftype: 'FT_STRING',
    base: '',
    derive: ([scheme, spare, text]) => {
      const data = fromHexValue(text);
      if (!data || (scheme !== 0 && scheme !== 1)) return undefined;
      const s = scheme === 1 ? ucs2(data) : gsm7(data, typeof spare === 'number' ? spare : 0);
      return { show: s, value: s };
    },
  },
  /** TI value (TS 24.008 §10.5.6.7) from [TIO, extension octet]: the extension's TIE when TIO is 7. */
  ti_value: {
    ftype: 'FT_UINT8',
    base: 'BASE_HEX',
    derive: ([tio, ext]) => {
      if (typeof tio !== 'number') return undefined;
      const tie = (ext as Obj | undefined)?.tie;
      const v = tio === 7 && typeof tie === 'number' ? tie : tio;
      return { show: `0x${v.toString(16).padStart(2, '0')}`, value: v };
    },
  },
  /** One-bit flags as the leading bits of an octet (an absent one is 0), as FT_UINT8 hex: a flags octet. */
  leading_bits: {
    ftype: 'FT_UINT8',
    base: 'BASE_HEX',
    derive: (from) => {
      const v = from.reduce<number>((n, b, i) => n | ((b === 1 ? 1 : 0) << (7 - i)), 0);
      return { show: `0x${v.toString(16).padStart(2, '0')}`, value: v };
    },
  },
  /** Time stamp from [year, month, day, hour, minute, second] digit pairs (TS 23.040 §9.2.3.11), as FT_ABSOLUTE_TIME in UTC. */
  absolute_time: {
    ftype: 'FT_ABSOLUTE_TIME',
    base: '',
    derive: (from) => {
      if (!from.every((d) => typeof d === 'string' && /^\d\d$/.test(d))) return undefined;
      const [y, mo, d, h, mi, sec] = (from as string[]).map(Number);
      if (mo < 1 || mo > 12) return undefined;
      const show = `${MONTHS[mo - 1]} ${String(d).padStart(2, ' ')}, ${2000 + y} ${from[3]}:${from[4]}:${from[5]}.000000000 UTC`;
      return { show, value: Date.UTC(2000 + y, mo - 1, d, h, mi, sec) / 1000 };
    },
  },
  /** Time zone in quarter hours from [units digit, tens digit] (TS 23.040 §9.2.3.11), as Wireshark's gsm_a.dtap.timezone. */
  quarter_hours: {
    ftype: 'FT_UINT8',
    base: 'BASE_HEX',
    derive: ([units, tens]) => {
      if (typeof units !== 'number' || typeof tens !== 'number') return undefined;
      const v = tens * 10 + units;
      return { show: `0x${v.toString(16).padStart(2, '0')}`, value: v };
    },
  },
  /** Fields joined into one number, each at its width, the first the most significant, in hex (FT_UINT8): the whole of a flags octet. */
  packed: {
    ftype: 'FT_UINT8',
    base: 'BASE_HEX',
    derive: (from, ctx) => {
      let v = 0;
      let bits = 0;
      for (const [i, x] of from.entries()) {
        const w = ctx.widths?.[i];
        if (w === undefined) return undefined;
        v = v * 2 ** w + (typeof x === 'number' ? x : 0);
        bits += w;
      }
      return { show: `0x${v.toString(16).padStart(Math.max(2, Math.ceil(bits / 4)), '0')}`, value: v };
    },
  },
  /** A two-digit number from [units digit, tens digit] (swapped BCD, TS 23.040 §9.2.3.11), in decimal. */
  digit_pair: {
    ftype: 'FT_UINT8',
    base: 'BASE_DEC',
    derive: ([units, tens]) => (typeof units === 'number' && typeof tens === 'number' ? { show: String(tens * 10 + units), value: tens * 10 + units } : undefined),
  },
  /** An international E.164 number from [digits], with its country code (and the identification code of 881-883). */
  e164: {
    ftype: 'FT_STRING',
    base: '',
    derive: ([digits]) => {
      if (typeof digits !== 'string') return undefined;
      const parts = e164Parts(digits);
      if (!parts) return undefined;
      return {
        show: digits,
        value: digits,
        children: (at, bits) => [
          leaf('e164.country_code', 'Country Code', at, bits, Number(parts.cc), String(Number(parts.cc))),
          // The identification code follows the country code, from the number's second octet.
          ...(parts.id === undefined ? [] : [leaf('e164.identification_code', 'Identification Code', at + 8, Math.max(0, bits - 8), Number(parts.id), String(Number(parts.id)))]),
        ],
      };
    },
  },
  /** The text of an alphanumeric address (TS 23.040 §9.1.2.5) from [length in semi-octets, packed GSM 7-bit octets]. */
  gsm7_address: {
    ftype: 'FT_STRING',
    base: '',
    derive: ([length, text]) => {
      const data = fromHexValue(text);
      if (!data || typeof length !== 'number') return undefined;
      const s = gsm7Text(septets(data, 0, Math.min(Math.floor((length * 4) / 7), 20, Math.floor((data.length * 8) / 7))));
      return { show: s, value: s };
    },
  },
  /** Short message text (TS 23.040 §9.2.3.24, TS 23.038) from [TP-DCS, TP-UDL, (user data header length,) user data after the header]: GSM 7-bit or UCS2. */
  sms_text: {
    ftype: 'FT_STRING',
    base: '',
    derive: (from) => {
      const s = smsText(from);
      return s === undefined ? undefined : { show: s, value: s };
    },
  },
  /** Short message octets (8-bit data, or no TP-DCS) from [TP-DCS, TP-UDL, user data after the header]. */
  sms_body: {
    ftype: 'FT_BYTES',
    base: '',
    derive: ([dcs, udl, ud]) => {
      const { alphabet, compressed } = smsAlphabet(dcs);
      if (typeof ud !== 'string' || typeof udl !== 'number' || udl === 0 || compressed || alphabet !== '8bit') return undefined;
      return { show: ud, value: ud };
    },
  },
  /** Compressed short message octets (TS 23.042) from [TP-DCS, TP-UDL, user data after the header]. */
  sms_compressed_data: {
    ftype: 'FT_BYTES',
    base: '',
    derive: ([dcs, udl, ud]) => (typeof ud === 'string' && typeof udl === 'number' && udl > 0 && smsAlphabet(dcs).compressed ? { show: ud, value: ud } : undefined),
  },
  /** The fill bits after a user data header of GSM 7-bit text, from [TP-DCS, user data header length, user data after the header], in hex. */
  sms_fill_bits: {
    ftype: 'FT_UINT8',
    base: 'BASE_HEX',
    derive: ([dcs, udhl, ud]) => {
      const data = fromHexValue(ud);
      const { alphabet, compressed } = smsAlphabet(dcs);
      if (!data?.length || typeof udhl !== 'number' || compressed || alphabet !== 'gsm7' || fillBits(udhl) === 0) return undefined;
      const v = data[0] & ((1 << fillBits(udhl)) - 1);
      return { show: `0x${v.toString(16).padStart(2, '0')}`, value: v };
    },
  },
  /** PCO link direction (Wireshark's gsm_a.gm.sm.link_dir): 0 uplink, 1 downlink, by the message's direction. */
  link_direction: {
    ftype: 'FT_INT32',
    base: 'BASE_DEC',
    derive: (_from, ctx) => (ctx.direction ? { show: ctx.direction === 'dl' ? '1' : '0', value: ctx.direction === 'dl' ? 1 : 0 } : undefined),
  },
};

function timerLength(kind: string, [unit, value]: unknown[]): Derived | undefined {
  if (typeof unit !== 'number' || typeof value !== 'number') return undefined;
  const v = value * (TIMER_MULTIPLE[kind][unit] ?? 1);
  return { show: `0x${v.toString(16).padStart(2, '0')}`, value: v };
}

/** A number's bits as Wireshark's bitmask fields: flags as 1 or 0, wider masks shifted down, in hex. */
function bitNodes(bits: NonNullable<DerivedIR['bits']>, value: number, start: number, length: number): TreeNode[] {
  return bits.map((b) => {
    const shift = Math.log2((b.mask & -b.mask) >>> 0);
    const v = ((value & b.mask) >>> 0) / 2 ** shift;
    const single = (b.mask & (b.mask - 1)) === 0;
    const n = leaf(b.filter, b.label, start, length, v, single ? String(v) : `0x${v.toString(16).padStart(8, '0')}`, `${b.label}: ${single ? (v ? 'Set' : 'Not set') : `0x${v.toString(16)}`}`);
    n.generated = true;
    return n;
  });
}

/**
 * Whether a derived field's condition holds: a value kept by `keep:`, or a field of the struct, or else
 * of an enclosing message, has one of its values.
 */
function holds(w: WhenIR, value: Obj, ctx: DeriveContext): boolean {
  if ('kept' in w) return w.in.includes(ctx.kept?.get(w.kept) as number);
  return w.field in value ? w.in.includes(value[w.field] as number) : !!ctx.messages?.some((m) => w.in.includes(m[w.field] as number));
}

/**
 * Generated nodes for a type's `derived:` declarations over its decoded value; [start, end) are the bits
 * they stand for (the struct's, or those `at:` names), `widths` the bit widths of its integer fields.
 */
export function derivedNodes(derived: readonly DerivedIR[], value: Obj, start: number, end: number, ctx: DeriveContext, widths?: ReadonlyMap<string, number>): TreeNode[] {
  const out: TreeNode[] = [];
  for (const d of derived) {
    if (d.when && !d.when.every((w) => holds(w, value, ctx))) continue;
    const r = DERIVATIONS[d.as].derive(
      d.from.map((id) => value[id]),
      widths ? { direction: ctx.direction, messages: ctx.messages, kept: ctx.kept, widths: d.from.map((id) => widths.get(id)) } : ctx,
    );
    for (const one of Array.isArray(r) ? r : r ? [r] : []) {
      const [pos, bits] = one.within ? [start + one.within.offset, one.within.bits] : [start, end - start];
      const n = leaf(d.filter, d.label, pos, bits, one.value, one.show);
      n.generated = true;
      if (one.children) {
        // Fresh nodes each call: marked in place.
        n.children = one.children(pos, bits);
        for (const c of n.children) c.generated = true;
      }
      if (d.bits && typeof one.value === 'number') n.children.push(...bitNodes(d.bits, one.value, pos, bits));
      out.push(n);
    }
  }
  return out;
}

/** What a dissection adds to the Info column, in dissection order: message names and details (causes). */
export type InfoPart = { message: string } | { detail: string } | { suffix: string };

/** A type's Info text over its decoded value and the nodes under `at`; undefined when a field it names is absent. */
export function infoDetail(t: InfoTemplate, value: Obj, at: TreeNode): string | undefined {
  let out = '';
  for (const p of t) {
    if ('text' in p) out += p.text;
    else if ('generated' in p) out += findNode(at, (n) => n.filter === p.generated)?.show ?? '';
    else {
      const v = value[p.field];
      if (p.ifSet) out += v ? p.ifSet[0] : p.ifSet[1];
      else if (typeof v !== 'number' && typeof v !== 'string') return undefined;
      else if (p.number) out += p.number === 'hex' ? BigInt(v).toString(16) : String(v);
      // An empty label adds nothing (a value for which tshark appends no text).
      else out += (typeof v === 'number' ? enumLabel(p.enum!, v) : undefined) ?? 'Unknown';
    }
  }
  return out;
}

/**
 * The FT_BYTES node of a type or IE with `bytes_field:`: it holds the nodes of what it contains, as in
 * Wireshark (the ESM message under its container, SQN/AMF/MAC under AUTN). Opened before the contents
 * are dissected into it, closed after.
 */
export function openBytesField(t: Pick<TypeRendering, 'bytesField'>, parent: TreeNode, start: number): TreeNode {
  const n = leaf(t.bytesField!.filter, t.bytesField!.label, start, 0, undefined, '');
  parent.children.push(n);
  return n;
}

export function closeBytesField(n: TreeNode, bytes: Uint8Array, end: number): void {
  n.bitLength = end - n.bitOffset;
  if (n.bitOffset % 8 || end % 8) return;
  const hex = toHex(bytes.subarray(n.bitOffset >> 3, end >> 3));
  n.value = n.show = hex;
  n.display = `${n.label}: ${hex.length > 48 ? `${hex.slice(0, 48)}…` : hex}`;
}
