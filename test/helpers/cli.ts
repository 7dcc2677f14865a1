import { main } from '../../src/cli/main.js';

/** Runs the mtcgk command in process: its exit status, and the lines it printed on stdout and stderr. */
export async function runCliLines(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => void out.push(s),
    (s) => void err.push(s),
  );
  return { code, out, err };
}

/** runCliLines with stdout and stderr each as one text. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCliLines(...argv);
  return { code: r.code, out: r.out.join('\n'), err: r.err.join('\n') };
}
