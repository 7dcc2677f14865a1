/** Unusable input. The message is one line, `where: reason`, e.g. `caps.txt:3:7: odd number of hex digits`. */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

/** Throws an InputError at a 0-based index of a line of text, reported 1-based as `source:line:column`. */
export type { Fail } from '../engine/hex.js';
import type { Fail } from '../engine/hex.js';

export function failAt(source: string, line: number): Fail {
  return (index, reason) => {
    throw new InputError(`${source}:${line}:${index + 1}`, reason);
  };
}
