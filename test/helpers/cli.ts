import { main } from '../../src/cli/main.js';

/** Runs the mtcgk command in process: its exit status, and what it printed on stdout and stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => void out.push(s),
    (s) => void err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}
