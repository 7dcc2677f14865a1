import type { BitReader } from './bits.js';
import { expertItem, type ExpertItem } from './expert.js';
import { treeNode, type TreeNode } from './tree.js';

/**
 * Unwinds decoding to the nearest enclosing window (an IE, a length-bound field, the message),
 * which records the item and resumes after itself. Never escapes dissect(), so it is not an Error:
 * no stack is captured on a path that malformed input takes at every cut.
 */
export class Stop {
  constructor(readonly item: ExpertItem) {}
}

/**
 * Checks that `bits` remain; otherwise adds a leaf to `parent` and stops. Where the data ends, the
 * leaf is `truncated` and spans the cut; where an enclosing element's length ends first, the leaf
 * stays inside the element (`element_too_short`), so it never overlaps what follows.
 */
export function need(r: BitReader, bits: number, parent: TreeNode, filter: string, label: string, path: string): void {
  if (r.remaining >= bits) return;
  const dataEnds = r.end >= r.bytes.length * 8;
  const item = dataEnds
    ? expertItem('truncated', `${label}: needs ${bits} bits, ${r.remaining} left`, path, r.pos, bits)
    : expertItem('element_too_short', `${label}: needs ${bits} bits, its element has ${r.remaining} left`, path, r.pos, r.remaining);
  const n = treeNode(filter, label, r.pos, item.bitLength, `${label}: [${dataEnds ? 'truncated' : 'element too short'}]`);
  n.expert.push(item);
  parent.children.push(n);
  throw new Stop(item);
}
