/** The dissection tree and expert info (modelled on Wireshark's proto_tree and expert items). */

export type Severity = 'error' | 'warn' | 'note' | 'chat';
export type ExpertGroup = 'malformed' | 'protocol' | 'undecoded' | 'sequence' | 'security';

export interface ExpertItem {
  id: string;
  severity: Severity;
  group: ExpertGroup;
  message: string;
  path: string;
  bitOffset: number;
  bitLength: number;
}

export interface TreeNode {
  /** Stable filter name (`nas_eps.msg_auth_code`). */
  filter: string;
  label: string;
  bitOffset: number;
  bitLength: number;
  /** Plain value of this subtree (the decoded value is the root's). */
  value?: unknown;
  /** Tree text after the bit prefix, e.g. `Security header type: Plain NAS message (0)`. */
  display: string;
  /** The value as `-T fields` renders it; absent on nodes that carry no field value. */
  show?: string;
  children: TreeNode[];
  expert: ExpertItem[];
  /** Computed, not on the wire (shown in brackets). */
  generated?: boolean;
  /** Data source of the bit range: 'frame' unless the bytes came from a transformation (deciphering). */
  source?: string;
  /** The node is a bit field: render with a bit-mask prefix. */
  bitField?: boolean;
}

/** The expert catalogue: every id with its fixed severity and group. */
export const EXPERT: Record<string, { severity: Severity; group: ExpertGroup; summary: string }> = {
  truncated: { severity: 'error', group: 'malformed', summary: 'data ends before the field does' },
  element_too_short: { severity: 'error', group: 'malformed', summary: 'an element ends (by its length) before a field inside it does' },
  length_exceeds_window: { severity: 'error', group: 'malformed', summary: 'a length points past its enclosing element' },
  length_out_of_range: { severity: 'warn', group: 'protocol', summary: 'a length outside the range the specification allows' },
  extraneous_data: { severity: 'note', group: 'protocol', summary: 'octets left after the last known field (later version of the specification?)' },
  missing_mandatory: { severity: 'error', group: 'protocol', summary: 'a mandatory element is absent' },
  unknown_iei: { severity: 'note', group: 'undecoded', summary: 'an optional IE this version does not know, skipped by TS 24.007 rules' },
  ie_out_of_order: { severity: 'note', group: 'protocol', summary: 'an optional IE before one that precedes it in the message table' },
  ie_repeated: { severity: 'warn', group: 'protocol', summary: 'an IE that occurs more than once; only the first is used' },
  reserved_value: { severity: 'note', group: 'protocol', summary: 'a value the specification reserves' },
  spare_not_zero: { severity: 'note', group: 'protocol', summary: 'spare bits with a value other than the specified one' },
  const_mismatch: { severity: 'warn', group: 'protocol', summary: 'a field with a fixed value has another value' },
  unknown_message_type: { severity: 'warn', group: 'protocol', summary: 'a message type with no definition' },
  list_count_out_of_range: { severity: 'warn', group: 'protocol', summary: 'a list with more or fewer items than allowed' },
  invalid_value: { severity: 'warn', group: 'malformed', summary: 'a value a codec cannot interpret (e.g. a non-BCD digit)' },
  nested_decode_failed: { severity: 'warn', group: 'malformed', summary: 'a contained message could not be decoded; its bytes are kept' },
  mac_mismatch: { severity: 'error', group: 'security', summary: 'the MAC does not verify with the keys given' },
  mac_not_verified: { severity: 'chat', group: 'security', summary: 'no key to verify the MAC with' },
  null_integrity: { severity: 'warn', group: 'security', summary: 'integrity protection with the null algorithm (EIA0)' },
  null_ciphering: { severity: 'note', group: 'security', summary: 'ciphering with the null algorithm (EEA0)' },
  replayed: { severity: 'warn', group: 'security', summary: 'a group message whose sequence number was already received' },
  too_old: { severity: 'warn', group: 'security', summary: 'a group message older than the replay window' },
  keys_in_clear: { severity: 'error', group: 'security', summary: 'group keys in a message that is not ciphered (or under EEA0)' },
  keys_null_algorithms: { severity: 'warn', group: 'security', summary: 'group keys under a NAS context with EEA0 or EIA0' },
  keys_before_security_mode: { severity: 'warn', group: 'security', summary: 'group keys sent before the Security Mode procedure completed' },
  group_key_conflict: { severity: 'error', group: 'security', summary: 'one (GID, Gki) distributed with two different sets of keys' },
  gki_reused: { severity: 'error', group: 'security', summary: 'a Gki reused with new keys after the group changed keys' },
  unreadable_input: { severity: 'error', group: 'malformed', summary: 'a line of a text capture that could not be read as a message' },
  replayed_count: { severity: 'warn', group: 'sequence', summary: 'a COUNT already used in this direction: replayed or out of order' },
};

export function expertItem(id: string, message: string, path: string, bitOffset: number, bitLength: number): ExpertItem {
  const e = EXPERT[id];
  return { id, severity: e.severity, group: e.group, message, path, bitOffset, bitLength };
}

/** Depth-first walk over every node. */
export function* walk(node: TreeNode): Generator<TreeNode> {
  // An explicit stack: nested `yield*` costs a step per level for every node.
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}
