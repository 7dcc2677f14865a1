/** Find (ctrl-F, then n and N): a case-insensitive search of a packet's list row, then of its details. */
import type { DissectResult } from '../engine/dissect.js';
import { walk, type ExpertItem, type TreeNode } from '../engine/tree.js';
import { expertText, nodeText } from '../output/text.js';
import { sourceOf } from './tree-rows.js';

/** Where the text was found: the list row (no node), or a field of the details or an expert item under it. */
export interface Hit {
  node?: TreeNode;
  expert?: ExpertItem;
}

/** `line` is the packet's list row; the details are searched in tree order. */
export function findIn(text: string, line: string, result: DissectResult): Hit | undefined {
  const want = text.toLowerCase();
  const has = (s: string) => s.toLowerCase().includes(want);
  if (has(line)) return {};
  for (const node of walk(result.tree)) {
    if (has(nodeText(node, result.sources.get(sourceOf(node))))) return { node };
    const expert = node.expert.find((e) => has(expertText(e)));
    if (expert) return { node, expert };
  }
  return undefined;
}
