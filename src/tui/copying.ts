/** Copy mode (c): what it selects in the details and bytes panes, the text it copies, and the clipboard escape. */
import { toHex } from '../engine/format.js';
import { expertText, treeText } from '../output/text.js';
import { parentRow, sourceOf, type Row } from './tree-rows.js';

/** The row `up` levels above the cursor's (no further than the root), and how many levels that is. */
export function copiedRow(rows: readonly Row[], cursor: number, up: number): { index: number; up: number } {
  let index = cursor;
  let levels = 0;
  while (levels < up && parentRow(rows, index) !== index) {
    index = parentRow(rows, index);
    levels++;
  }
  return { index, up: levels };
}

/** The rows a copied tree row stands for: it and the rows under it. */
export function subtreeEnd(rows: readonly Row[], index: number): number {
  let end = index + 1;
  while (end < rows.length && rows[end].depth > rows[index].depth) end++;
  return end;
}

/** The details pane copies the field and everything under it, as tshark -V prints it. */
export function treeCopy(row: Row, sources: ReadonlyMap<string, Uint8Array>): string {
  return row.expert ? expertText(row.expert) : treeText(row.node, (source) => sources.get(source ?? 'frame') ?? new Uint8Array());
}

/** The bytes pane copies the field's octets as a hex stream (Wireshark's "Copy as Hex Stream"). */
export function bytesCopy(row: Row, sources: ReadonlyMap<string, Uint8Array>): string {
  const { bitOffset, bitLength } = row.expert ?? row.node;
  const bytes = sources.get(sourceOf(row.node)) ?? new Uint8Array();
  return toHex(bytes.subarray(bitOffset >> 3, (bitOffset + bitLength + 7) >> 3));
}

/**
 * OSC 52: the terminal puts the text on the clipboard. Terminals that do not support it ignore it;
 * tmux takes it with `set -s set-clipboard on`.
 */
export const osc52 = (text: string): string => `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
