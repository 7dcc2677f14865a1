import type * as fc from 'fast-check';
import type { BitReader, BitWriter } from '../engine/bits.js';
import type { TreeNode } from '../engine/tree.js';

/** Where a codec field sits: names to give the nodes it makes, and the path for expert items. */
export interface CodecSite {
  filter: string;
  label: string;
  path: string;
  /** The codec's own node; it adds its leaves to `node.children`. */
  node: TreeNode;
}

/**
 * A named codec for what grammar data cannot say (BCD digits, PLMN identities, ...).
 * decode reads from `r` (a window when the field is sized) and fills `site.node`; it calls need()
 * before each read so truncation is reported on the right leaf.
 */
export interface Codec {
  decode(r: BitReader, params: Record<string, unknown>, site: CodecSite): unknown;
  encode(w: BitWriter, value: unknown, params: Record<string, unknown>): void;
  arbitrary(params: Record<string, unknown>): fc.Arbitrary<unknown>;
  /** A value's one-line rendering (`-T fields` and the node's display). */
  show(value: unknown, params: Record<string, unknown>): string;
}
