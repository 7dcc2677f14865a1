/**
 * Expert info (modelled on Wireshark's expert items): the item type, the catalogue shape, and the ids
 * the engine itself emits. Each protocol layer keeps its own catalogue beside its code
 * (src/security/expert.ts, src/groupkeys/expert.ts) and makes items through expertFactory, so an id
 * that is in no catalogue fails to compile; src/expert.ts joins them into the public catalogue.
 */

export type Severity = 'error' | 'warn' | 'note' | 'chat';
export type ExpertGroup = 'malformed' | 'protocol' | 'undecoded' | 'sequence' | 'security';

/** An id's fixed severity and group, and a one-line summary for the catalogue. */
export interface ExpertInfo {
  severity: Severity;
  group: ExpertGroup;
  summary: string;
}

export type ExpertCatalogue = Readonly<Record<string, ExpertInfo>>;

export interface ExpertItem {
  id: string;
  severity: Severity;
  group: ExpertGroup;
  message: string;
  /** JSON Pointer (RFC 6901) into the decoded value: the field or element the item is about. */
  path: string;
  bitOffset: number;
  bitLength: number;
}

/** The item maker for one catalogue: its ids are the only ones it accepts. */
export function expertFactory<C extends ExpertCatalogue>(catalogue: C) {
  return (id: keyof C & string, message: string, path: string, bitOffset: number, bitLength: number): ExpertItem => {
    const e = catalogue[id];
    if (!e) throw new TypeError(`"${id}" is not in this expert catalogue`);
    return { id, severity: e.severity, group: e.group, message, path, bitOffset, bitLength };
  };
}

/** What the engine and the codecs report about the bytes themselves. */
export const ENGINE_EXPERT = {
  truncated: { severity: 'error', group: 'malformed', summary: 'data ends before the field does' },
  element_too_short: { severity: 'error', group: 'malformed', summary: 'an element ends (by its length) before a field inside it does' },
  length_exceeds_window: { severity: 'error', group: 'malformed', summary: 'a length points past its enclosing element' },
  length_out_of_range: { severity: 'warn', group: 'protocol', summary: 'a length outside the range the specification allows' },
  extraneous_data: { severity: 'note', group: 'protocol', summary: 'octets left after the last known field (later version of the specification?)' },
  missing_mandatory: { severity: 'error', group: 'protocol', summary: 'a mandatory element is absent' },
  unknown_iei: { severity: 'note', group: 'undecoded', summary: 'an optional IE this version does not know, skipped by TS 24.007 rules' },
  not_decoded: { severity: 'note', group: 'undecoded', summary: 'a part the grammar leaves undecoded (an ASN.1 extension or alternative); the enclosing element is kept as octets' },
  ie_out_of_order: { severity: 'note', group: 'protocol', summary: 'an optional IE before one that precedes it in the message table' },
  ie_repeated: { severity: 'warn', group: 'protocol', summary: 'an IE that occurs more than once; only the first is used' },
  reserved_value: { severity: 'note', group: 'protocol', summary: 'a value the specification reserves' },
  spare_not_zero: { severity: 'note', group: 'protocol', summary: 'spare bits with a value other than the specified one' },
  const_mismatch: { severity: 'warn', group: 'protocol', summary: 'a field with a fixed value has another value' },
  unknown_message_type: { severity: 'warn', group: 'protocol', summary: 'a message type with no definition' },
  list_count_out_of_range: { severity: 'warn', group: 'protocol', summary: 'a list with more or fewer items than allowed' },
  invalid_value: { severity: 'warn', group: 'malformed', summary: 'a value a codec cannot interpret (e.g. a non-BCD digit)' },
  unreadable_input: { severity: 'error', group: 'malformed', summary: 'a line of a text capture that could not be read as a message' },
  nesting_too_deep: { severity: 'error', group: 'malformed', summary: 'types nested deeper than the dissector follows; the rest of the element is kept as bytes' },
  nested_decode_failed: { severity: 'warn', group: 'malformed', summary: 'a contained message could not be decoded; its bytes are kept' },
} as const satisfies ExpertCatalogue;

export type EngineExpertId = keyof typeof ENGINE_EXPERT;

export const expertItem = expertFactory(ENGINE_EXPERT);
