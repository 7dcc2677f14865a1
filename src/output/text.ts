/** tshark-style text: summary lines and the `-V` tree. */
import { bitPrefix } from '../engine/format.js';
import type { ExpertItem, TreeNode } from '../engine/tree.js';

export const SEVERITY_NAME = { error: 'Error', warn: 'Warning', note: 'Note', chat: 'Chat' } as const;
const GROUP_NAME = { malformed: 'Malformed', protocol: 'Protocol', undecoded: 'Undecoded', sequence: 'Sequence', security: 'Security' } as const;

/** One node's line: bit fields get tshark's bit prefix (when their bytes are known), generated fields brackets. */
export function nodeText(n: TreeNode, bytes: Uint8Array | undefined): string {
  const text = n.bitField && bytes && n.children.length === 0 ? `${bitPrefix(bytes, n.bitOffset, n.bitLength)} = ${n.display}` : n.display;
  return n.generated ? `[${text}]` : text;
}

export const expertText = (e: ExpertItem): string => `[Expert Info (${SEVERITY_NAME[e.severity]}/${GROUP_NAME[e.group]}): ${e.message}]`;

/** Indents by depth: 4 spaces a level (made once per depth, not per line). */
const PADS: string[] = [''];
const pad = (depth: number): string => {
  while (PADS.length <= depth) PADS.push(PADS[PADS.length - 1] + '    ');
  return PADS[depth];
};

/** The tree as tshark -V prints it: 4 spaces a level, expert items under their node. */
export function treeText(root: TreeNode, bytesOf: (source?: string) => Uint8Array): string {
  const lines: string[] = [];
  const visit = (n: TreeNode, depth: number) => {
    // The bytes only where a bit prefix needs them (a source lookup per node costs more than the line).
    lines.push(pad(depth) + nodeText(n, n.bitField && n.children.length === 0 ? bytesOf(n.source) : undefined));
    for (const e of n.expert) lines.push(pad(depth + 1) + expertText(e));
    for (const c of n.children) visit(c, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}
