import type { BitReader } from './bits.js';
import { expertItem, type ExpertItem, type TreeNode } from './tree.js';

/**
 * Unwinds decoding to the nearest enclosing window (an IE, a length-bound field, the message),
 * which records the item and resumes after itself. Never escapes dissect().
 */
export class Stop extends Error {
  constructor(readonly item: ExpertItem) {
    super(item.message);
  }
}

/** Checks that `bits` remain; otherwise adds a truncated leaf (spanning the cut) to `parent` and stops. */
export function need(r: BitReader, bits: number, parent: TreeNode, filter: string, label: string, path: string): void {
  if (r.remaining >= bits) return;
  const item = expertItem('truncated', `${label}: needs ${bits} bits, ${r.remaining} left`, path, r.pos, bits);
  parent.children.push({ filter, label, bitOffset: r.pos, bitLength: bits, display: `${label}: [truncated]`, children: [], expert: [item] });
  throw new Stop(item);
}
