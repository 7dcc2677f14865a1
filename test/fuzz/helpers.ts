// The CLI's main with captured output, and a scratch folder removed after the file's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCliLines } from '../helpers/cli.js';

export const run = runCliLines;

/** A folder under the system's temporary one, removed when the calling test file is done. */
export function scratch(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mtcgk-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
