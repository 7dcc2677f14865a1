/** The strict face: plain values, or a DecodeError naming the field (a JSON Pointer into the value) and bit offset. */
import type { ExpertItem } from './expert.js';
import { showPointer } from './pointer.js';

export class DecodeError extends Error {
  readonly path: string;
  readonly bitOffset: number;
  readonly id: string;
  constructor(readonly item: ExpertItem) {
    super(`${showPointer(item.path)} @ bit ${item.bitOffset}: ${item.message} (${item.id})`);
    this.name = 'DecodeError';
    this.path = item.path;
    this.bitOffset = item.bitOffset;
    this.id = item.id;
  }
}
