/** The strict face: plain values, or a DecodeError naming the field path and bit offset. */
import type { ExpertItem } from './expert.js';

export class DecodeError extends Error {
  readonly path: string;
  readonly bitOffset: number;
  readonly id: string;
  constructor(readonly item: ExpertItem) {
    super(`${item.path || '/'} @ bit ${item.bitOffset}: ${item.message} (${item.id})`);
    this.name = 'DecodeError';
    this.path = item.path;
    this.bitOffset = item.bitOffset;
    this.id = item.id;
  }
}
