/**
 * The ladder view's content: `mtcgk -z flow`'s ladder (src/flows/ladder.ts), drawn from the TUI's
 * own dissections, which go through the capture in order (so security findings are the panes').
 */
import type { DissectResult } from '../engine/dissect.js';
import { isFinding, type CheckedFrame } from '../flows/check.js';
import { ladderRows, type LadderRow } from '../flows/ladder.js';
import { parseLabel } from '../flows/model.js';
import type { Severity } from '../engine/tree.js';
import type { Frame } from '../io/index.js';
import { highest } from './packets.js';

export type { LadderRow } from '../flows/ladder.js';

export interface Ladder {
  header: string;
  /** `frame` is the packet's index in the frames the ladder was made from. */
  rows: LadderRow[];
  /** By frame index: the highest severity of the packet's security findings (what its arrow is drawn for). */
  severity: (Severity | undefined)[];
  /** The widest line, for scrolling sideways. */
  width: number;
}

/** What checkFlow makes of a frame, from a dissection made elsewhere. */
export function checked(frame: Frame, result: DissectResult): CheckedFrame {
  const label = parseLabel(frame.label);
  return { frame, label, protocol: frame.protocol ?? label?.protocol ?? result.protocol, result, findings: result.expert.filter(isFinding) };
}

/** The ladder of every frame, dissecting each (in order) with `dissect`. */
export function ladderOf(frames: readonly Frame[], dissect: (f: Frame, index: number) => DissectResult): Ladder {
  const all = frames.map((f, i) => checked(f, dissect(f, i)));
  const { header, rows } = ladderRows(all);
  const width = rows.reduce((w, r) => Math.max(w, r.text.length), header.length);
  return { header, rows, severity: all.map((c) => highest(c.findings)), width };
}
