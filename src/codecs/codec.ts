import type { BitReader, BitWriter } from '../engine/bits.js';
import type { TreeNode } from '../engine/tree.js';
import type { CodecLeaf } from './descriptors.js';

/** Where a codec field sits: names to give the nodes it makes, and the path for expert items. */
export interface CodecSite {
  filter: string;
  label: string;
  path: string;
  /** The codec's own node; it adds its leaves to `node.children`. */
  node: TreeNode;
  /** The leaves its descriptor declares, named for this field, by key. */
  leaves: Readonly<Record<string, CodecLeaf>>;
  /** Only the value is wanted (the compiled decoder): no leaves are made; expert items still are. */
  valueOnly?: boolean;
}

/**
 * The implementation of a codec its descriptor (descriptors.ts) declares.
 * decode reads from `r` (a window when the field is sized) and fills `site.node`; it calls need()
 * before each read so truncation is reported on the right leaf. Value generators are in arbitraries.ts.
 */
export interface Codec {
  decode(r: BitReader, params: Record<string, unknown>, site: CodecSite): unknown;
  encode(w: BitWriter, value: unknown, params: Record<string, unknown>): void;
  /** A value's one-line rendering (`-T fields` and the node's display). */
  show(value: unknown, params: Record<string, unknown>): string;
}
