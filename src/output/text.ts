/** tshark-style text: summary lines and the `-V` tree. */
import { bitPrefix } from '../engine/format.js';
import type { TreeNode } from '../engine/tree.js';

const SEVERITY = { error: 'Error', warn: 'Warning', note: 'Note', chat: 'Chat' } as const;
const GROUP = { malformed: 'Malformed', protocol: 'Protocol', undecoded: 'Undecoded', sequence: 'Sequence', security: 'Security' } as const;

/** The tree as tshark -V prints it: 4 spaces a level, bit prefixes on bit fields, generated fields in brackets. */
export function treeText(root: TreeNode, bytesOf: (source?: string) => Uint8Array): string {
  const lines: string[] = [];
  const visit = (n: TreeNode, depth: number) => {
    const pad = '    '.repeat(depth);
    let text = n.display;
    if (n.bitField && n.children.length === 0) text = `${bitPrefix(bytesOf(n.source), n.bitOffset, n.bitLength)} = ${text}`;
    lines.push(pad + (n.generated ? `[${text}]` : text));
    for (const e of n.expert) lines.push(`${pad}    [Expert Info (${SEVERITY[e.severity]}/${GROUP[e.group]}): ${e.message}]`);
    for (const c of n.children) visit(c, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}
