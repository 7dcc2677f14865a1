import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';

export const exec = promisify(execFile);

export const run = runCli;

export const tmp = (name: string) => mkdtempSync(join(tmpdir(), `mtcgk-flow-${name}-`));

/** tshark with no settings (and optional extra arguments); stderr kept apart. */
export async function tshark(...args: string[]): Promise<{ out: string; err: string }> {
  const r = await exec('tshark', args, { maxBuffer: 64 << 20 });
  return {
    out: r.stdout,
    err: r.stderr
      .split('\n')
      .filter((l) => l && !l.startsWith('Running as user'))
      .join('\n'),
  };
}

/** Runs async jobs, at most `n` at a time (tshark processes), results in order. */
export async function limited<T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}
