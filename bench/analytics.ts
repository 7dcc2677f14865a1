/**
 * Output for analytics engines with the built command (dist/): on one generated hex-line capture, the
 * rate of `convert --to parquet` and of `-T ek` against `-T fields` with the same -e fields, in the
 * same run; peak RSS of the Parquet conversion on a small and on the large file (streaming keeps it
 * flat); the Parquet file's size against the `-T fields` text.
 *
 * Run: npx tsx bench/analytics.ts [--size MB (default 50)] [--small MB (5)] [--no-build]
 * `npm run bench` runs it on a 20 MB capture (MTCGK_BENCH_ANALYTICS_MB), after building.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runMtcgk, writeCapture, writeRssPreload, type RunResult } from './library.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MB = 1_000_000;
const FIELDS = ['nas_eps.nas_msg_emm_type', 'nas_eps.security_header_type', 'nas_eps.emm.cause', 'nas_eps.msg_auth_code.status', 'e212.imsi'].flatMap((f) => ['-e', f]);

export interface AnalyticsBenchOptions {
  sizeMB?: number;
  smallMB?: number;
  build?: boolean;
}

export async function analyticsBench(o: AnalyticsBenchOptions = {}): Promise<string> {
  const sizeMB = o.sizeMB ?? 50;
  const smallMB = Math.min(o.smallMB ?? 5, sizeMB);
  if (o.build ?? true) execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-bench-analytics-'));
  try {
    const preload = writeRssPreload(dir);
    const [small, large] = [join(dir, 'small.txt'), join(dir, 'large.txt')];
    const smallFrames = await writeCapture(small, smallMB * MB);
    const frames = await writeCapture(large, sizeMB * MB);
    const rss = (name: string) => join(dir, `${name}.rss`);
    const parquet = (input: string, out: string, ...more: string[]) => runMtcgk(['convert', '--to', 'parquet', '-r', input, '-w', join(dir, out), ...FIELDS, ...more], preload, rss(out));
    const fields = await runMtcgk(['-r', large, '-T', 'fields', ...FIELDS], preload, rss('fields'));
    const ek = await runMtcgk(['-r', large, '-T', 'ek', ...FIELDS], preload, rss('ek'));
    const pq = await parquet(large, 'large.parquet');
    const pqj = await parquet(large, 'large-j2.parquet', '-j', '2');
    const pqSmall = await parquet(small, 'small.parquet');
    if (fields.lines !== frames || ek.lines !== 2 * frames) throw new Error(`expected ${frames} lines of -T fields and twice as many of -T ek`);
    const row = (name: string, r: RunResult) =>
      `  ${name.padEnd(30)} ${r.seconds.toFixed(1).padStart(7)} s ${(frames / r.seconds).toFixed(0).padStart(9)} frames/s  x${(fields.seconds / r.seconds).toFixed(2)}   peak RSS ${r.maxRssMB.toFixed(0).padStart(4)} MB`;
    const parquetMB = statSync(join(dir, 'large.parquet')).size / MB;
    return [
      `Analytics output: ${(statSync(large).size / MB).toFixed(0)} MB hex lines, ${frames} messages, ${FIELDS.length / 2} -e fields (built dist/; ratio against -T fields)`,
      row('-T fields', fields),
      row('-T ek', ek),
      row('convert --to parquet', pq),
      row('convert --to parquet -j 2', pqj),
      `  memory: Parquet conversion peak RSS ${pqSmall.maxRssMB.toFixed(0)} MB on ${smallMB} MB (${smallFrames} messages), ${pq.maxRssMB.toFixed(0)} MB on ${sizeMB} MB: x${(pq.maxRssMB / pqSmall.maxRssMB).toFixed(2)}`,
      `  size: Parquet ${parquetMB.toFixed(1)} MB, ${((parquetMB * MB) / frames).toFixed(1)} bytes a message`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  console.log(await analyticsBench({ sizeMB: Number(arg('--size') ?? 50), smallMB: Number(arg('--small') ?? 5), build: !process.argv.includes('--no-build') }));
}
