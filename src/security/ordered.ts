/**
 * Random access to a capture's dissections whose security state depends on order (NAS COUNT,
 * algorithms learnt from a Security Mode Command, replay windows): asking for a frame dissects every
 * earlier one first, once, under one session.
 */
import type { DissectResult } from '../engine/dissect.js';
import type { Frame } from '../io/frame.js';
import { dissectFull } from '../api.js';
import type { SecuritySession } from './session.js';

export class OrderedDissection {
  private results: DissectResult[] = [];
  private index: Map<Frame, number>;

  constructor(
    private frames: readonly Frame[],
    private protocol: string,
    private session: () => SecuritySession,
  ) {
    this.index = new Map(frames.map((f, i) => [f, i]));
    this.current = session();
  }

  private current: SecuritySession;

  dissect(frame: Frame): DissectResult {
    const i = this.index.get(frame);
    // Frames added later (pasted) have no place in the capture's order: dissected on their own.
    if (i === undefined) return dissectFull(frame.bytes, frame.protocol ?? this.protocol, { session: this.current, direction: frame.direction, receiver: frame.destination });
    while (this.results.length <= i) {
      const f = this.frames[this.results.length];
      this.results.push(dissectFull(f.bytes, f.protocol ?? this.protocol, { session: this.current, direction: f.direction, receiver: f.destination }));
    }
    return this.results[i];
  }

  /** New keys: start again from the first frame. */
  reset(): void {
    this.current = this.session();
    this.results = [];
  }
}
