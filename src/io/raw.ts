import type { Frame } from './frame.js';

/** Raw binary: the whole input is one message. */
export function readRaw(bytes: Uint8Array, source: string): Frame[] {
  return [{ bytes: bytes.slice(), source }];
}
