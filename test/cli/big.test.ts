/**
 * Big captures stream: every output runs over 150,000 messages without holding per-message arrays,
 * and a reader that closes stdout (`| head -1`) ends the run at once, before the input is read.
 * The capture is generated in a temporary folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const MESSAGES = 150_000;
const dir = mkdtempSync(join(tmpdir(), 'mtcgk-big-'));
const big = join(dir, 'big.txt');
const sample = readFileSync('captures/nas-eps-samples.txt', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));
const line = (i: number) => sample[i % sample.length] + '\n';

beforeAll(() => {
  const lines: string[] = [];
  for (let i = 0; i < MESSAGES; i++) lines.push(line(i));
  writeFileSync(big, lines.join(''));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bin/mtcgk.js runs, from the sources. */
const CLI = `import { cli } from './src/cli/main.ts'; await cli(process.argv.slice(1));`;

/** Runs the command, reads its first line of output and closes the pipe; resolves to the exit code and stderr. */
function firstLine(args: string[], stdin?: (write: (s: string) => boolean, child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; first: string; err: string; signal: NodeJS.Signals | null }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLI, '--', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let first = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0 && !first) {
        first = out.slice(0, nl);
        child.stdout.destroy();
      }
    });
    child.stdin.on('error', () => undefined); // the child may exit while it is being written to
    if (stdin) stdin((s) => child.stdin.write(s), child);
    else child.stdin.end();
    child.on('exit', (code, signal) => resolve({ code, first, err, signal }));
  });
}

describe('big captures', () => {
  it('prints every message of a 150,000-message capture', async () => {
    let lines = 0;
    let last = '';
    const code = await main(['-r', big], (s) => {
      lines += s.split('\n').length;
      last = s;
    });
    expect(code).toBe(0);
    expect(lines).toBe(MESSAGES);
    expect(last.split('\n').at(-1)).toMatch(new RegExp(`^${MESSAGES} ${big}:${MESSAGES} `));
  }, 300_000);

  for (const args of [[], ['-V'], ['-x'], ['-T', 'json'], ['-T', 'fields', '-e', 'frame.number']]) {
    it(`ends quietly when stdout closes (${args.join(' ') || 'summary lines'})`, async () => {
      const r = await firstLine(['-r', big, ...args]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.first).toMatch(args[0] === '-T' ? (args[1] === 'json' ? /^\[$/ : /^1$/) : /^ {4}1 .*big\.txt:1 UL NAS-EPS 3 /);
    }, 120_000);
  }

  it('stops reading stdin once stdout is closed', async () => {
    // stdin is fed as long as the child runs and never ended: the child exits only if it stops reading
    let written = 0;
    const r = await firstLine(['-r', '-'], (write, child) => {
      const feed = () => {
        while (child.exitCode === null && written < 10 * MESSAGES) {
          if (!write(line(written++))) return void child.stdin!.once('drain', feed);
        }
      };
      feed();
    });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.first).toMatch(/^ {4}1 stdin:1 UL /);
    expect(written).toBeLessThan(10 * MESSAGES);
  }, 120_000);
});
