/**
 * What each codec declares, with no code behind it: its name, the parameters a grammar gives it and
 * the leaf fields it adds under its node. The grammar builder reads these (checks parameters when the
 * grammar loads, puts the leaves in the field catalogue); the implementations (index.ts) are looked up
 * by name when a message is dissected, encoded or generated.
 */
import { FILTER_NAME } from '../grammar/names.js';

/** A parameter's kind: a filter name, an integer, a label, or an inclusive [min, max] of integers. */
export type ParamKind = 'filter' | 'integer' | 'string' | 'range';

export interface ParamSpec {
  kind: ParamKind;
  required?: boolean;
  doc: string;
}

/**
 * A leaf the codec adds: its filter name comes from a parameter, else from the default, else is the
 * field's own plus a suffix; a leaf with none of these is left out. Where a grammar field has the same
 * filter name, the leaf takes that field's label.
 */
export interface LeafSpec {
  key: string;
  filter: { param: string; default?: string; suffix?: string } | { suffix: string };
  label: string;
  /** Wireshark field type and display base, for the catalogue (`mtcgk fields`) and the Lua export. */
  ftype: string;
  base?: string;
}

export interface CodecDescriptor {
  name: string;
  doc: string;
  params: Readonly<Record<string, ParamSpec>>;
  leaves: readonly LeafSpec[];
}

/** A leaf as one codec field of a grammar names it. */
export interface CodecLeaf {
  key: string;
  filter: string;
  label: string;
  ftype: string;
  base: string;
}

const MCC: LeafSpec = { key: 'mcc', filter: { param: 'mcc_filter', default: 'e212.mcc' }, label: 'Mobile Country Code (MCC)', ftype: 'FT_UINT16', base: 'BASE_DEC' };
const MNC: LeafSpec = { key: 'mnc', filter: { param: 'mnc_filter', default: 'e212.mnc' }, label: 'Mobile Network Code (MNC)', ftype: 'FT_UINT16', base: 'BASE_DEC' };
const PLMN_PARAMS: Record<string, ParamSpec> = {
  mcc_filter: { kind: 'filter', doc: 'filter name of the MCC leaf (default e212.mcc)' },
  mnc_filter: { kind: 'filter', doc: 'filter name of the MNC leaf (default e212.mnc)' },
};

export const BCD_IDENTITY: CodecDescriptor = {
  name: 'bcd_identity',
  doc: 'an identity whose first digit shares octet 1 with the odd/even bit and the 3-bit type (IMSI, IMEI, IMEISV, MSISDN)',
  params: {
    type: { kind: 'integer', required: true, doc: 'the type of identity the encoder writes' },
    type_label: { kind: 'string', doc: 'the name of that type, shown beside its value' },
    odd_even_filter: { kind: 'filter', required: true, doc: 'filter name of the odd/even indication' },
    type_filter: { kind: 'filter', required: true, doc: 'filter name of the type of identity' },
    digits: { kind: 'range', doc: '[min, max] digits that generated values have (default [15, 15])' },
    digit1_filter: { kind: 'filter', doc: "filter name of identity digit 1 (default: the field's own plus _digit1)" },
  },
  leaves: [
    { key: 'digit1', filter: { param: 'digit1_filter', suffix: '_digit1' }, label: 'Identity digit 1', ftype: 'FT_UINT8', base: 'BASE_DEC' },
    { key: 'odd_even', filter: { param: 'odd_even_filter' }, label: 'Odd/even indication', ftype: 'FT_BOOLEAN' },
    { key: 'type', filter: { param: 'type_filter' }, label: 'Type of identity', ftype: 'FT_UINT8', base: 'BASE_DEC' },
    { key: 'digits', filter: { suffix: '_digits' }, label: 'Identity digits', ftype: 'FT_STRING' },
  ],
};

export const BCD_DIGITS: CodecDescriptor = {
  name: 'bcd_digits',
  doc: 'a BCD digit string, low nibble first, to the end of its window (filler 0xF); hex digits or keypad characters above 9',
  params: {
    min: { kind: 'integer', doc: 'fewest digits of generated values (default 1)' },
    max: { kind: 'integer', doc: 'most digits of generated values (default 20)' },
    number: { kind: 'integer', doc: '1: shown as the number the digits make, as an FT_UINT field shows it (a time stamp digit pair "05" as 5)' },
    keypad: { kind: 'integer', doc: '1: semi-octets 1010-1110 are the keypad characters * # a b c (TS 24.008 Table 10.5.118), not hex digits' },
  },
  leaves: [],
};

export const PLMN: CodecDescriptor = {
  name: 'plmn',
  doc: 'a PLMN identity (TS 24.008 §10.5.1.13): MCC and a 2- or 3-digit MNC in 3 octets',
  params: PLMN_PARAMS,
  leaves: [MCC, MNC],
};

export const IMSI_GROUP_ID: CodecDescriptor = {
  name: 'imsi_group_id',
  doc: 'an IMSI-Group Identifier (TS 23.003 §19.9): Group Service Identifier, PLMN, Local Group Id',
  params: {
    gsi_filter: { kind: 'filter', required: true, doc: 'filter name of the Group Service Identifier' },
    lgi_filter: { kind: 'filter', required: true, doc: 'filter name of the Local Group Id' },
    ...PLMN_PARAMS,
  },
  leaves: [
    { key: 'gsi', filter: { param: 'gsi_filter' }, label: 'Group Service Identifier', ftype: 'FT_UINT32', base: 'BASE_HEX' },
    MCC,
    MNC,
    { key: 'lgi', filter: { param: 'lgi_filter' }, label: 'Local Group Id', ftype: 'FT_BYTES' },
  ],
};

/** Codecs a grammar may name with `codec:`. */
export const CODEC_DESCRIPTORS: ReadonlyMap<string, CodecDescriptor> = new Map([BCD_IDENTITY, BCD_DIGITS, PLMN, IMSI_GROUP_ID].map((d) => [d.name, d]));

/** What is wrong with one parameter value, or undefined. */
export function paramProblem(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'filter':
      return typeof value === 'string' && FILTER_NAME.test(value) ? undefined : 'a filter name (proto.field, [a-z0-9_])';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'an integer';
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'range':
      return Array.isArray(value) && value.length === 2 && value.every(Number.isInteger) && value[0] <= value[1] ? undefined : '[min, max] integers with min <= max';
  }
}

/** The leaves of one codec field, named from its filter and parameters (already checked). */
export function codecLeaves(d: CodecDescriptor, filter: string, params: Readonly<Record<string, unknown>>): Record<string, CodecLeaf> {
  const name = (f: LeafSpec['filter']): string | undefined => {
    const given = 'param' in f ? (params[f.param] ?? f.default) : undefined;
    return given !== undefined ? String(given) : f.suffix !== undefined ? filter + f.suffix : undefined;
  };
  return Object.fromEntries(
    d.leaves.flatMap((l) => {
      const f = name(l.filter);
      return f === undefined ? [] : [[l.key, { key: l.key, filter: f, label: l.label, ftype: l.ftype, base: l.base ?? '' }]];
    }),
  );
}
