/**
 * Lazy dissection: the packet list asks for the summaries of the rows it shows, the panes for the
 * selected packet's tree. Nothing is dissected before it is looked at, so large inputs open at once.
 */
import type { DissectResult } from '../engine/dissect.js';
import type { ExpertItem, Severity } from '../engine/tree.js';
import { infoColumn } from '../output/info.js';
import type { Frame } from '../io/index.js';

export interface Summary {
  protocol: string;
  /** The Info column (src/output/info.ts). */
  info: string;
  /** The highest expert severity, if the packet has expert items. */
  severity?: Severity;
}

const RANK: Record<Severity, number> = { chat: 0, note: 1, warn: 2, error: 3 };

export const highest = (items: readonly ExpertItem[]): Severity | undefined =>
  items.reduce<Severity | undefined>((top, e) => (top === undefined || RANK[e.severity] > RANK[top] ? e.severity : top), undefined);

const summarize = (r: DissectResult): Summary => ({ protocol: r.protocol, info: infoColumn(r), severity: highest(r.expert) });

export class PacketCache {
  private readonly summaries = new Map<number, Summary>();
  private last?: { frame: Frame; result: DissectResult };

  constructor(readonly dissect: (f: Frame) => DissectResult) {}

  /** The full dissection; the last one is kept, since the panes ask for it on every redraw. */
  result(frame: Frame): DissectResult {
    if (this.last?.frame !== frame) this.last = { frame, result: this.dissect(frame) };
    return this.last.result;
  }

  summary(index: number, frame: Frame): Summary {
    let s = this.summaries.get(index);
    if (!s) this.summaries.set(index, (s = summarize(this.last?.frame === frame ? this.last.result : this.dissect(frame))));
    return s;
  }

  /** Keeps a summary computed elsewhere (while filtering, which dissects every packet anyway). */
  remember(index: number, r: DissectResult): void {
    if (!this.summaries.has(index)) this.summaries.set(index, summarize(r));
  }

  /** Forgets everything, after the keys change what dissection yields. */
  clear(): void {
    this.summaries.clear();
    this.last = undefined;
  }
}
