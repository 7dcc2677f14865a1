/** Files the mtcgk command reads whole: a capture (or stdin as -), and the --keys files of a session. */
import { readFileSync } from 'node:fs';
import { mergeKeys, parseKeys } from '../security/keys.js';
import { SecuritySession } from '../security/session.js';
import type { Options } from './args.js';
import { Exit } from './frame-output.js';

export function readInput(path: string): Uint8Array {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (e) {
    throw new Exit(2, `The file "${path}" could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A security session with the --keys files of the options. */
export const keysSession = (o: Options): SecuritySession => new SecuritySession(mergeKeys(o.keys.map((k) => parseKeys(new TextDecoder().decode(readInput(k)), k))));
