/** The dissection tree (modelled on Wireshark's proto_tree); its expert items are in expert.ts. */

import type { ExpertItem } from './expert.js';

export type { ExpertGroup, ExpertItem, Severity } from './expert.js';

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

/**
 * A node with every property of TreeNode in one order (the optional ones undefined until set): all
 * nodes share one shape, so the code that builds and walks trees stays monomorphic.
 */
export const treeNode = (filter: string, label: string, bitOffset: number, bitLength: number, display: string, value?: unknown, show?: string): TreeNode => ({
  filter,
  label,
  bitOffset,
  bitLength,
  value,
  display,
  show,
  children: [],
  expert: [],
  generated: undefined,
  source: undefined,
  bitField: undefined,
});

/** Every expert item of a tree, in tree order (a plain loop: it runs once per dissected message). */
export function expertOf(root: TreeNode): ExpertItem[] {
  const out: ExpertItem[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    for (const e of n.expert) out.push(e);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

/** The first node in depth-first order that `test` accepts. */
export function findNode(root: TreeNode, test: (n: TreeNode) => boolean): TreeNode | undefined {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (test(n)) return n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return undefined;
}

/** Every node, depth first (an array: cheaper to make and loop over than a generator's steps). */
export function walk(node: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
