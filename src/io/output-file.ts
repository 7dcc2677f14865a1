/** Writing an output file the user named (-w, --out): a failure is one line, as for unreadable input. */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './input-error.js';

/** Writes `data` to `file`; `secret` files (holding keys) are readable by their owner only. */
export function writeOutputFile(file: string, data: Uint8Array | string, o: { secret?: boolean } = {}): void {
  try {
    writeFileSync(file, data, o.secret ? { mode: 0o600 } : undefined);
    // The mode applies only when the file is created: an existing file is narrowed too.
    if (o.secret) chmodSync(file, 0o600);
  } catch (e) {
    throw new InputError(file, `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Creates the output directory `dir` and its missing parents, one level at a time (Node's recursive
 * mkdir loops forever under /proc, where a directory can never be created).
 */
export function makeOutputDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.push(d);
  try {
    for (const d of missing.reverse()) mkdirSync(d);
  } catch (e) {
    throw new InputError(dir, `cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
