/**
 * Security schemes plug into the dissector here: a struct whose grammar declares `protection`
 * hands its payload to the named scheme, which may decipher it and adds generated nodes (MAC status,
 * COUNT used) once the payload is decoded. Keys and state live in the scheme instance, per call.
 */
import { treeNode, type TreeNode } from './tree.js';

/** Direction of a message: 'ul' from the UE, 'dl' to it. */
export type Direction = 'ul' | 'dl';

export interface ProtectionRequest {
  /** Fields of the protected struct decoded so far (header, MAC, sequence number). */
  value: Record<string, unknown>;
  /** Values of the messages that contain this struct, outermost first (decoded so far). */
  enclosing: ReadonlyArray<Record<string, unknown>>;
  /** The bytes being dissected. */
  bytes: Uint8Array;
  /** Bit range the MAC covers: from `covers_from` to the end of the payload, or to a MAC that follows it. */
  coverStart: number;
  coverEnd: number;
  payloadStart: number;
  payloadEnd: number;
  /** The grammar's `ciphered_if` holds for this message. */
  ciphered: boolean;
  /** Where the MAC lies when it follows the payload: the scheme reads it before the payload is opened. */
  macField?: { start: number; bits: number };
  /** End of the window holding the struct: octets between the end of the MAC and here are trailing data. */
  end: number;
  /** Decoding stopped inside the struct (the header, payload or MAC is cut); set before close(). */
  truncated?: boolean;
  /** The payload decoded as plain, without any scheme: what a message selects, read before its MAC is checked. */
  peek(): unknown;
  direction?: Direction;
  /** The receiving endpoint of the message, when the capture says (replay state is per receiver). */
  receiver?: string;
  path: string;
}

export interface Opened {
  /** Deciphered payload; `assumed` marks bytes taken as plain without a key (null ciphering assumed). */
  plaintext?: Uint8Array;
  assumed?: boolean;
}

export interface ProtectionScheme {
  open(req: ProtectionRequest): Opened;
  /** Generated nodes for the struct, given the decoded payload value (undefined if it was not decodable). */
  close(req: ProtectionRequest, opened: Opened, payload: unknown): TreeNode[];
  /**
   * close() reports no error for any message (a scheme without keys verifies and deciphers nothing):
   * a decoder that keeps no tree need not call it.
   */
  readonly quiet?: boolean;
}

export interface DissectContext {
  direction?: Direction;
  receiver?: string;
  schemes?: Readonly<Record<string, ProtectionScheme>>;
}

/** A generated leaf: computed, not on the wire (bracketed in the tree). */
export function generated(filter: string, label: string, value: unknown, show: string, at: number, display = `${label}: ${show}`): TreeNode {
  const n = treeNode(filter, label, at, 0, display, value, show);
  n.generated = true;
  return n;
}
