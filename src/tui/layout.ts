/** Where the three panes go on the screen, in either layout, or one pane maximised. */
import type { Layout, Pane } from './state.js';

/** Rows of each pane's body (0: not shown); every shown pane also has a title line. */
export type Heights = Record<Pane, number>;

/** A hex dump line: offset, 16 octets, their characters. */
const HEX_WIDTH = 72;

/**
 * The screen less the filter and status lines, shared out. The list takes no more rows than it has
 * packets; stacked, the details tree gets what the list and bytes leave; side by side, the details
 * and bytes share the rows under the list. Maximised, the focused pane has them all.
 */
export function paneHeights(rows: number, packets: number, layout: Layout, maximised: Pane | undefined): Heights {
  if (maximised) return { list: 0, tree: 0, hex: 0, [maximised]: Math.max(1, rows - 3) };
  const titles = layout === 'stacked' ? 3 : 2;
  const body = Math.max(4, rows - 2 - titles);
  const list = Math.max(1, Math.min(Math.floor(body * 0.4), packets));
  if (layout === 'side') return { list, tree: body - list, hex: body - list };
  const hex = Math.max(2, Math.floor(body * 0.25));
  return { list, tree: body - list - hex, hex };
}

/**
 * Columns of the details and bytes panes: each the whole width stacked; side by side, the bytes as
 * wide as a dump line (at most half) and a blank column between the two.
 */
export function paneWidths(columns: number, layout: Layout): { tree: number; hex: number } {
  if (layout === 'stacked') return { tree: columns, hex: columns };
  const hex = Math.min(HEX_WIDTH, Math.floor(columns / 2));
  return { tree: columns - hex - 1, hex };
}
