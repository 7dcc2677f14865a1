/**
 * The resolved grammar (IR) that every engine face shares: decoder, encoder, dissector, arbitraries.
 * Built by the loader from the data files under grammars/; immutable once built.
 */
import type { CodecLeaf } from '../codecs/descriptors.js';

export interface EnumIR {
  name: string;
  values: Map<number, string>;
  /** [lo, hi, label] ranges for values not listed one by one. */
  ranges: Array<[number, number, string]>;
  /** Label of unlisted values; when absent they are reported as reserved. */
  other?: string;
}

export type Base = 'dec' | 'hex';

/** A field relation the encoder computes and the decoder checks. */
export interface Relation {
  kind: 'length_of' | 'count_of' | 'present_of';
  /**
   * The later fields measured. count_of: the first one present counts. length_of: the span from the
   * first present target to the end of the last (e.g. an optional Vendor-ID and the data after it).
   */
  targets: string[];
  /**
   * length_of: bits per unit of the length value: 8 for octets, 1 for bits, 4 for semi-octets (TS 23.040
   * §9.1.2.5 counts an address in useful semi-octets: the extent is whole octets, and a last semi-octet
   * 1111 is filler that the length does not count).
   */
  unitBits: number;
  /** The wire value is the measured value plus adjust. */
  adjust: number;
}

export interface Meta {
  id: string;
  label: string;
  filter: string;
  doc?: string;
  specRef?: string;
  /** Where the field is declared: file and path, for messages that name grammar errors. */
  where: string;
}

/**
 * When a field is on the wire. `tail`: the optional end of a type (the spec's optional trailing octets,
 * CSN.1 truncation `//`): present while its own fixed bits (at least one) remain, and once one is not,
 * none after it is; the encoder writes the tail fields up to the last conditional field the value has.
 */
export type Presence = { kind: 'always' } | { kind: 'flag'; field: string } | { kind: 'in'; field: string; values: number[] } | { kind: 'tail' };

export interface FieldBase extends Meta {
  presence: Presence;
  /** The field's extent comes from a length relation declared on an earlier field. */
  lengthFrom?: string;
  /** The field's octets shown as Wireshark's field type would (src/engine/render.ts). */
  render?: BytesRendering;
  /** A list item shown with its index in the list, from 0 (Wireshark's "Packet filter: 0"). */
  numbered?: boolean;
}

export interface UintField extends FieldBase {
  kind: 'uint';
  bits: number;
  enum?: EnumIR;
  base: Base;
  /** The width of the Wireshark field type holding it (8, 16, 24, 32, 64), for rendering. */
  typeBits: number;
  constValue?: number;
  relation?: Relation;
  /** Displayed as a boolean flag (true/false strings). */
  tfs?: [string, string];
  /** Display scale, e.g. units appended to the value. */
  unit?: string;
  /** The field's bits shown again as the fields of this type (a struct or dispatch), under the field's node; display only. */
  view?: () => TypeIR;
  viewName?: string;
  /**
   * Presence rules the builder works out once: the later fields this 1-bit flag gives presence to
   * (`present_if: flag`), and whether a later field's presence depends on this field's value at all
   * (a flag, or `present_if: {field, in}`).
   */
  flags?: string[];
  decides?: boolean;
}

export interface SpareField extends FieldBase {
  kind: 'spare';
  /**
   * A fixed width, or 'octet': the bits up to the next octet boundary counted from the struct's start,
   * none when the field starts on one (CSN.1 spare padding).
   */
  bits: number | 'octet';
  value: number;
  /** How `-T fields` shows it: Wireshark's nas_eps.spare_bits is hex, gsm_a's spare fields decimal. */
  base: Base;
}

export interface BytesField extends FieldBase {
  kind: 'bytes';
  /** Fixed size in bits, or 'rest' (to the end of the window), or sized by lengthFrom. */
  size: number | 'rest' | 'related';
  /** Rendering of the content as text. */
  text?: 'ascii' | 'utf8';
}

/** Renderings of a field's octets: FT_IPv4, FT_IPv6, an APN as a dotted name (TS 23.003 §9.1), BCD digits, FT_BYTES. */
export type BytesRendering = 'ipv4' | 'ipv6' | 'apn' | 'bcd' | 'bytes';

/** A field computed from a struct's decoded fields and shown as generated (src/engine/render.ts). */
export interface DerivedIR {
  filter: string;
  label: string;
  /** The derivation (a name in render.ts DERIVATIONS). */
  as: string;
  /**
   * Shown only where every condition holds: the field `field` of the struct, or else of an enclosing
   * message (a Diameter application), has one of the values; or a value kept earlier in the same
   * message does (a Feature-List-ID).
   */
  when?: WhenIR[];
  /** Ids of the struct's fields it is computed from, in the order the derivation takes them. */
  from: string[];
  /**
   * Ids of the struct's fields whose bits it spans (the first present to the last), shown before the
   * first one's node (PER's choice index before the protocol's own field for the same bits); without
   * it, the struct's bits, after its fields. Not shown when none of them is present.
   */
  at?: string[];
  /**
   * The derived number's bits shown under it, as Wireshark's bitmask fields: a one-bit mask as a
   * flag (1 or 0), a wider one as the masked bits shifted down, in hex.
   */
  bits?: Array<{ filter: string; label: string; mask: number }>;
  where: string;
}

/** A condition of a derived field: on a field of the struct or an enclosing message, or on a value kept by `keep:`. */
export type WhenIR = { field: string; in: number[] } | { kept: string; in: number[] };

/** What a type shows besides its fields, as Wireshark does: declared on a struct or dispatch type. */
export interface TypeRendering {
  /**
   * Integer fields whose value the dissection keeps, under a name, for the rest of the message: what
   * a later sibling's derived fields depend on (Feature-List after its Feature-List-ID).
   */
  keep?: Array<{ name: string; field: string }>;
  /** Filter of the element ID leaf when the type is an IE's value (Wireshark names it after its IE table). */
  elemId?: string;
  /** The type's octets are also shown as one FT_BYTES field (a container, a whole AUTN). */
  bytesField?: { filter: string; label: string };
  derived?: DerivedIR[];
  /** Text the type adds to the Info column after its message's name, in parentheses (a cause). */
  info?: InfoTemplate;
  /** Text the type appends to the Info column as it is, where it begins (a lower layer's summary: "(DTAP) (SMS) CP-ACK "). */
  infoSuffix?: InfoTemplate;
}

/**
 * An Info text: literal text; a field's enum label (its own enum or the one named), its number
 * (decimal or hex), or one of two texts by whether it is nonzero; or the text of a generated field.
 */
export type InfoTemplate = Array<{ text: string } | { field: string; enum?: EnumIR; number?: 'dec' | 'hex'; ifSet?: [string, string] } | { generated: string }>;

export interface RefField extends FieldBase {
  kind: 'ref';
  type: () => TypeIR;
  typeName: string;
  /** Take the window to the end of the enclosing one. */
  rest: boolean;
  /** The nested type's bits also shown as one number (`render: hex|dec`), as Wireshark's field over a CSN.1 struct. */
  asNumber?: { base: Base; typeBits: number };
}

export interface CodecField extends FieldBase {
  kind: 'codec';
  codec: string;
  /** Checked against the codec's descriptor when the grammar loaded. */
  params: Record<string, unknown>;
  /** The leaf fields the codec adds under this field's node, named for it, by key in declared order. */
  leaves: Readonly<Record<string, CodecLeaf>>;
  /** Fixed size in bits, to the window end, or the size the codec itself reads. */
  size: number | 'rest' | 'own' | 'related';
}

export interface ListField extends FieldBase {
  kind: 'list';
  item: FieldIR;
  /** Count from a relation, bytes from a relation, or until the window ends. */
  bound: 'count' | 'length' | 'rest';
  minItems: number;
  maxItems?: number;
}

export interface SwitchField extends FieldBase {
  kind: 'switch';
  on: string;
  cases: Map<number, () => TypeIR>;
  caseNames: Map<number, string>;
  default?: () => TypeIR;
  defaultName?: string;
  /**
   * Cases that take precedence while another earlier integer field has one of `values` (`cases_when`):
   * the same key in a second namespace, as a Diameter AVP code under a Vendor-ID.
   */
  when: SwitchOverride[];
}

export interface SwitchOverride {
  field: string;
  values: number[];
  cases: Map<number, () => TypeIR>;
  caseNames: Map<number, string>;
}

/** The layout a switch field takes, given the values of the fields before it; undefined when it has none. */
export function switchCase(f: SwitchField, get: (id: string) => number | undefined): (() => TypeIR) | undefined {
  const key = get(f.on);
  if (key === undefined) return f.default;
  for (const o of f.when) {
    const v = get(o.field);
    if (v !== undefined && o.values.includes(v)) {
      const c = o.cases.get(key);
      if (c) return c;
    }
  }
  return f.cases.get(key) ?? f.default;
}

/** Every layout a switch field can take. */
export const switchCases = (f: SwitchField): Array<() => TypeIR> => [...f.cases.values(), ...f.when.flatMap((o) => [...o.cases.values()]), ...(f.default ? [f.default] : [])];

export type FieldIR = UintField | SpareField | BytesField | RefField | CodecField | ListField | SwitchField;

export type IEFormat = 'V' | 'LV' | 'LV-E' | 'T' | 'TV' | 'TLV' | 'TLV-E';

export interface IEIR {
  id: string;
  name: string;
  label: string;
  filter: string;
  format: IEFormat;
  /** Bits of the format's length field: 0, 8 (LV, TLV) or 16 (LV-E, TLV-E). */
  lengthBits: 0 | 8 | 16;
  /** Full IEI octet, or the high nibble (0x0-0xf) for type 1 IEs when half is true. */
  iei?: number;
  half: boolean;
  presence: 'M' | 'O' | 'C';
  /** Whole IE length range in octets as the spec counts it (IEI and length included). */
  minLen: number;
  maxLen?: number;
  /** Value type; for a half-octet IE its fields must total 4 bits. */
  type?: () => TypeIR;
  typeName?: string;
  specRef?: string;
  where: string;
  /** The IE's value octets are also shown as one FT_BYTES field (Wireshark's container fields). */
  bytesField?: { filter: string; label: string };
}

/** A struct whose payload a security scheme verifies and may decipher. */
export interface ProtectionIR {
  scheme: string;
  /** The field holding the (possibly ciphered) payload. */
  payload: string;
  /** The field where MAC coverage starts; it runs to the end of the payload, or to the MAC when that follows. */
  coversFrom: string;
  /** The MAC field, when the struct has its own. */
  mac?: string;
  cipheredIf?: { field: string; values: number[] } | 'always';
  /** Filter and label of the payload's bytes when they stay ciphered. */
  cipheredFilter: string;
  cipheredLabel: string;
}

export interface StructType extends TypeRendering {
  kind: 'struct';
  name: string;
  label: string;
  fields: FieldIR[];
  protection?: ProtectionIR;
  /** Padding after the fields to a multiple of this many bits from the struct's start (Diameter AVPs, a PER encoding). */
  padTo?: { bits: number; filter: string };
  /**
   * A part the grammar does not decode (an ASN.1 extension, an alternative it leaves out), with the
   * reason: the dissector stops there with a note and keeps the enclosing element as octets; the
   * encoder and the arbitraries never produce it. Such a struct has no fields.
   */
  undecoded?: string;
  /** The value carries `message: name` (it is a message a user can name). */
  message?: boolean;
  specRef?: string;
  doc?: string;
  where: string;
}

export interface DispatchType extends TypeRendering {
  kind: 'dispatch';
  name: string;
  label: string;
  peekOffset: number;
  peekBits: number;
  /**
   * Instead of peeking: the case is picked by an integer field of an earlier IE of the enclosing L3
   * message (the generic message container by its container type IE). Such a dispatch is an IE's type.
   */
  on?: { ie: string; field: string };
  /** Value key holding the dispatched value (the encoder picks the case by it); messages are picked by name instead. */
  key?: string;
  cases: Map<number, () => TypeIR>;
  caseNames: Map<number, string>;
  default?: () => TypeIR;
  defaultName?: string;
  /** The default is a layout of its own, not an unknown message: it gets no unknown_message_type item. */
  quietDefault?: boolean;
  /** Keys two messages share, told apart only by the direction of the message (Detach request). */
  byDirection: Map<number, { ul: () => TypeIR; dl: () => TypeIR }>;
  where: string;
}

export interface L3MessageType {
  kind: 'l3';
  name: string;
  label: string;
  message: true;
  header: FieldIR[];
  /** Header field constants set by this message (e.g. message type). */
  set: Map<string, number>;
  ies: IEIR[];
  /**
   * The imperative part in wire order: single IEs, and half-octet pairs [first, second] sharing an
   * octet, where the first takes bits 4-1 (TS 24.007 §11.2.1.1.2).
   */
  imperative: Array<[IEIR] | [IEIR, IEIR]>;
  /** The non-imperative part: IEs matched by IEI. */
  optional: IEIR[];
  direction?: 'ul' | 'dl' | 'both';
  specRef?: string;
  doc?: string;
  where: string;
  /** Filter prefix for the shared IEI/length leaves ("nas_eps.emm"). */
  ieFilterPrefix: string;
}

export type TypeIR = StructType | DispatchType | L3MessageType;

export interface ProtocolIR {
  name: string;
  label: string;
  root: string;
  filterPrefix: string;
}

export interface GrammarIR {
  protocols: Map<string, ProtocolIR>;
  types: Map<string, TypeIR>;
  enums: Map<string, EnumIR>;
  /** Every message type by its value name. */
  messages: Map<string, TypeIR>;
  /** The protocol each message belongs to. */
  messageProtocols: Map<string, string>;
  /** Filter name -> label, type of field: the field catalogue (`mtcgk fields`), generated fields included. */
  fields: Map<string, FieldInfo>;
}

export interface FieldInfo {
  filter: string;
  label: string;
  ftype: string;
  base: string;
  protocol: string;
}
