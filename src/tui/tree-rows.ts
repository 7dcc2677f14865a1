/** The details tree flattened into the rows the DetailTree pane shows, with expand/collapse state. */
import { expertText, nodeText } from '../output/text.js';
import type { ExpertItem, TreeNode } from '../engine/tree.js';

export interface Row {
  /**
   * Expansion key: the chain of filter names from the root. Keying by names rather than positions
   * keeps a subtree open from one packet to the next, as Wireshark does.
   */
  key: string;
  node: TreeNode;
  depth: number;
  /** Set on the rows that show an expert item under its node. */
  expert?: ExpertItem;
  expandable: boolean;
  open: boolean;
}

const childKey = (parent: string, node: TreeNode) => `${parent}/${node.filter}`;
const expandable = (n: TreeNode) => n.children.length > 0 || n.expert.length > 0;

/** The open nodes when the user has not chosen any: the root, so that its fields show. */
export const defaultExpanded = (root: TreeNode): ReadonlySet<string> => new Set([root.filter]);

/** Rows in tree order; a node's expert items come first under it, as in tshark -V. */
export function treeRows(root: TreeNode, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const visit = (node: TreeNode, key: string, depth: number) => {
    const open = expanded.has(key);
    rows.push({ key, node, depth, expandable: expandable(node), open });
    if (!open) return;
    for (const expert of node.expert) rows.push({ key: `${key}!${expert.id}`, node, depth: depth + 1, expert, expandable: false, open: false });
    for (const c of node.children) visit(c, childKey(key, c), depth + 1);
  };
  visit(root, root.filter, 0);
  return rows;
}

/** Keys of every expandable node, for expand-all. */
export function allKeys(root: TreeNode): Set<string> {
  const keys = new Set<string>();
  const visit = (node: TreeNode, key: string) => {
    if (!expandable(node)) return;
    keys.add(key);
    for (const c of node.children) visit(c, childKey(key, c));
  };
  visit(root, root.filter);
  return keys;
}

/** Index of the row's parent (the nearest shallower row above it), or the row itself at the root. */
export function parentRow(rows: readonly Row[], index: number): number {
  const depth = rows[index].depth;
  for (let i = index - 1; i >= 0; i--) if (rows[i].depth < depth) return i;
  return index;
}

/** Data source of a node's bit range. */
export const sourceOf = (n: TreeNode): string => n.source ?? 'frame';

/**
 * The deepest node of `source` whose bytes include `byte`, and the expanded set that makes it
 * visible: what moving the cursor in the hex pane selects.
 */
export function revealByte(root: TreeNode, source: string, byte: number, expanded: ReadonlySet<string>): { node: TreeNode; expanded: Set<string> } {
  const covers = (n: TreeNode) => n.bitLength > 0 && sourceOf(n) === source && n.bitOffset >> 3 <= byte && byte <= (n.bitOffset + n.bitLength - 1) >> 3;
  let best = { node: root, depth: -1, ancestors: [] as string[] };
  const visit = (n: TreeNode, key: string, depth: number, ancestors: string[]) => {
    if (covers(n) && depth > best.depth) best = { node: n, depth, ancestors };
    for (const c of n.children) visit(c, childKey(key, c), depth + 1, [...ancestors, key]);
  };
  visit(root, root.filter, 0, []);
  return { node: best.node, expanded: new Set([...expanded, ...best.ancestors]) };
}

/** The row's text, as the -V tree has it. */
export function rowText(row: Row, sources: ReadonlyMap<string, Uint8Array>): string {
  return row.expert ? expertText(row.expert) : nodeText(row.node, sources.get(sourceOf(row.node)));
}

/** Wireshark's expert colours. */
export const SEVERITY_COLOR = { error: 'red', warn: 'yellow', note: 'cyan', chat: 'blue' } as const;

/** The expanded set that makes `target` (and, with `open`, the rows under it) visible. */
export function revealNode(root: TreeNode, target: TreeNode, expanded: ReadonlySet<string>, open = false): Set<string> {
  const path = (n: TreeNode, key: string): string[] | undefined => {
    if (n === target) return open ? [key] : [];
    for (const c of n.children) {
      const below = path(c, childKey(key, c));
      if (below) return [key, ...below];
    }
    return undefined;
  };
  return new Set([...expanded, ...(path(root, root.filter) ?? [])]);
}
