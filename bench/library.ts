/**
 * Big captures with the built command (dist/): a generated hex-line capture of a given size, read by
 * `mtcgk -r FILE -T fields -e nas_eps.nas_msg_emm_type`.
 *
 * - memory: peak RSS on a small file (10 MB) and on the large one, with -j 1: streaming keeps it flat;
 * - speed: wall time of -j 1 and -j 2 on the large file, and their ratio (same output, checked).
 *
 * Run: npm run bench:library -- [--size MB (default 200)] [--small MB (10)] [--jobs 2] [--no-build] [--keep]
 * or MTCGK_BENCH_MB=1024 npm run bench:library. `npm run bench` runs it on a smaller file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MB = 1_000_000;

export interface LibraryBenchOptions {
  /** Size of the large capture in MB (1e6 bytes). */
  sizeMB?: number;
  /** Size of the small capture in MB. */
  smallMB?: number;
  /** Threads to compare with 1. */
  jobs?: number;
  /** Build dist/ first (tsc), so the command runs the current sources. */
  build?: boolean;
  /** Keep the generated captures (their folder is printed). */
  keep?: boolean;
}

/** Writes a hex-line capture of about `bytes` bytes: the sample captures' messages over and over, labelled. */
export async function writeCapture(file: string, bytes: number): Promise<number> {
  const lines = readFileSync(join(ROOT, 'captures/nas-eps-samples.txt'), 'utf8')
    .split('\n')
    .filter((l) => /^(UL|DL) /.test(l));
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let written = 0;
  let n = 0;
  while (written < bytes) {
    let block = '';
    while (block.length < 1 << 20) {
      const line = lines[n % lines.length];
      const colon = line.lastIndexOf(': ');
      block += `${line.slice(0, colon)}-${n}${line.slice(colon)}\n`;
      n++;
    }
    written += block.length;
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return n;
}

export interface RunResult {
  seconds: number;
  maxRssMB: number;
  lines: number;
  sha256: string;
}

/** One run of the built command; peak RSS from the process itself (a preload reports resourceUsage at exit). */
export function runMtcgk(args: string[], preload: string, rssFile: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, join(ROOT, 'bin/mtcgk.js'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, MTCGK_RSS_FILE: rssFile },
    });
    const hash = createHash('sha256');
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      hash.update(b);
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`mtcgk ${args.join(' ')} exited with ${code}`));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve({ seconds, maxRssMB: Number(readFileSync(rssFile, 'utf8')) / 1024, lines, sha256: hash.digest('hex') });
    });
  });
}

/** A preload module (in dir) that makes the child write its peak RSS to MTCGK_RSS_FILE at exit. */
export function writeRssPreload(dir: string): string {
  const preload = join(dir, 'rss.mjs');
  writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.MTCGK_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
  return preload;
}

export async function libraryBench(o: LibraryBenchOptions = {}): Promise<string> {
  const sizeMB = o.sizeMB ?? 200;
  const smallMB = Math.min(o.smallMB ?? 10, sizeMB);
  const jobs = o.jobs ?? 2;
  if (o.build ?? true) execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-bench-'));
  try {
    const preload = writeRssPreload(dir);
    const small = join(dir, 'small.txt');
    const large = join(dir, 'large.txt');
    const smallFrames = await writeCapture(small, smallMB * MB);
    const largeFrames = await writeCapture(large, sizeMB * MB);
    const fields = ['-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type'];
    const rss = (f: string) => join(dir, `${f}.rss`);
    const s1 = await runMtcgk(['-r', small, ...fields], preload, rss('s1'));
    const l1 = await runMtcgk(['-r', large, ...fields], preload, rss('l1'));
    const lj = await runMtcgk(['-r', large, ...fields, '-j', String(jobs)], preload, rss('lj'));
    if (l1.sha256 !== lj.sha256 || l1.lines !== largeFrames) throw new Error(`-j ${jobs} output differs from -j 1 (${lj.lines} and ${l1.lines} lines, ${largeFrames} frames)`);
    const mb = (f: string) => (statSync(f).size / MB).toFixed(0);
    const row = (name: string, r: RunResult, frames: number) =>
      `  ${name.padEnd(26)} ${r.seconds.toFixed(1).padStart(8)} s ${(frames / r.seconds).toFixed(0).padStart(9)} frames/s   peak RSS ${r.maxRssMB.toFixed(0).padStart(5)} MB`;
    const growth = l1.maxRssMB / s1.maxRssMB;
    const lines = [
      `Big captures: mtcgk -r FILE ${fields.join(' ')} (built dist/, ${availableParallelism()} CPUs)`,
      row(`${mb(small)} MB, -j 1`, s1, smallFrames),
      row(`${mb(large)} MB, -j 1`, l1, largeFrames),
      row(`${mb(large)} MB, -j ${jobs}`, lj, largeFrames),
      `  memory: peak RSS x${growth.toFixed(2)} for a file x${(statSync(large).size / statSync(small).size).toFixed(0)} larger (${growth < 1.5 ? 'flat' : 'NOT flat'})`,
      `  speed: -j ${jobs} takes x${(lj.seconds / l1.seconds).toFixed(2)} the time of -j 1 (speed-up x${(l1.seconds / lj.seconds).toFixed(2)}); same output (sha256 ${l1.sha256.slice(0, 12)})`,
    ];
    if (o.keep) lines.push(`  captures kept in ${dir}`);
    return lines.join('\n');
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  console.log(
    await libraryBench({
      sizeMB: Number(arg('--size') ?? process.env.MTCGK_BENCH_MB ?? 200),
      smallMB: Number(arg('--small') ?? 10),
      jobs: Number(arg('--jobs') ?? 2),
      build: !process.argv.includes('--no-build'),
      keep: process.argv.includes('--keep'),
    }),
  );
}
