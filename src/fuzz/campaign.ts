/**
 * `npm run fuzz`: a long self-fuzzing campaign (default 1,000,000 inputs across every message of the
 * grammar, all modes, 7 havoc mutations per generated input) against our dissector, split over
 * worker processes. Not part of `npm test`.
 *
 *   npm run fuzz -- [-n N] [--seed S] [--jobs J] [--havoc K] [--time SEC] [--out DIR]
 *
 * Prints the seed, the time and the rate; the last line is "N inputs, M findings" (exit 1 with findings).
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultGrammar } from '../grammar/load.js';
import { messageNames } from './arbitraries.js';
import { runFuzz } from './runner.js';
import { selfTarget } from './targets.js';

interface Options {
  n: number;
  seed: number;
  jobs: number;
  havoc: number;
  time?: number;
  out: string;
}

interface ShardResult {
  shard: number;
  seed: number;
  inputs: number;
  elapsedMs: number;
  findings: Array<{ name: string; kind: string; error: string; occurrences: number; minimised: string; file: string }>;
}

function parse(argv: string[]): Options & { shard?: number } {
  const o: Options & { shard?: number } = { n: 1_000_000, seed: Math.floor(Math.random() * 0x7fffffff), jobs: Math.min(4, availableParallelism()), havoc: 7, out: 'fuzz-out/campaign' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined || !/^\d+(\.\d+)?$/.test(x)) throw new Error(`${a} takes a number`);
      return Number(x);
    };
    if (a === '-n') o.n = v();
    else if (a === '--seed') o.seed = v();
    else if (a === '--jobs') o.jobs = Math.max(1, v());
    else if (a === '--havoc') o.havoc = v();
    else if (a === '--time') o.time = v();
    else if (a === '--shard') o.shard = v();
    else if (a === '--out') o.out = argv[++i] ?? o.out;
    else throw new Error(`unknown option "${a}"`);
  }
  return o;
}

/** One worker: its share of the inputs, its own seed, its own findings directory. */
function shard(o: Options, k: number): ShardResult {
  const ir = defaultGrammar();
  const seed = (o.seed + k * 7919) % 0x7fffffff;
  const n = Math.floor(o.n / o.jobs) + (k < o.n % o.jobs ? 1 : 0);
  let last = performance.now();
  const progress = (p: { inputs: number; findings: number; elapsedMs: number }) => {
    if (performance.now() - last < 30_000) return;
    last = performance.now();
    process.stderr.write(`job ${k}: ${p.inputs}/${n} inputs, ${p.findings} findings, ${(p.inputs / (p.elapsedMs / 1000)).toFixed(0)}/s\n`);
  };
  const r = runFuzz({
    ir,
    target: selfTarget(ir, 1000),
    n,
    seed,
    timeSec: o.time,
    mode: 'all',
    out: join(o.out, `job-${k}`),
    havoc: o.havoc,
    confirmHangs: true,
    minimiseMs: 5000,
    progress,
    log: (line) => process.stdout.write(`job ${k}: ${line}\n`),
  });
  return {
    shard: k,
    seed,
    inputs: r.inputs,
    elapsedMs: r.elapsedMs,
    findings: r.findings.map((f) => ({ name: f.name, kind: f.kind, error: f.error, occurrences: f.occurrences, minimised: Buffer.from(f.minimised).toString('hex'), file: f.files.bin })),
  };
}

async function campaign(o: Options): Promise<number> {
  const ir = defaultGrammar();
  const t0 = performance.now();
  const started = new Date();
  console.log(`campaign: seed ${o.seed}, ${o.n} inputs across ${messageNames(ir).length} messages (modes valid/edge/malformed, havoc ${o.havoc}), ${o.jobs} jobs, started ${started.toISOString()}`);
  const self = fileURLToPath(import.meta.url);
  const args = ['-n', String(o.n), '--seed', String(o.seed), '--jobs', String(o.jobs), '--havoc', String(o.havoc), '--out', o.out, ...(o.time ? ['--time', String(o.time)] : [])];
  const results = await Promise.all(
    Array.from({ length: o.jobs }, (_, k) => {
      return new Promise<ShardResult>((resolve, reject) => {
        const child = fork(self, [...args, '--shard', String(k)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        let result: ShardResult | undefined;
        child.on('message', (m) => (result = m as ShardResult));
        child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`job ${k} exited with ${code} and no result`))));
      });
    }),
  );
  const inputs = results.reduce((s, r) => s + r.inputs, 0);
  const findings = results.flatMap((r) => r.findings);
  const secs = (performance.now() - t0) / 1000;
  for (const r of results)
    console.log(`job ${r.shard}: seed ${r.seed}, ${r.inputs} inputs in ${(r.elapsedMs / 1000).toFixed(1)} s (${(r.inputs / (r.elapsedMs / 1000)).toFixed(0)}/s), ${r.findings.length} findings`);
  for (const f of findings) console.log(`${f.file}: ${f.error} (${f.occurrences}x, minimised ${f.minimised})`);
  console.log(`time ${secs.toFixed(1)} s (${started.toISOString()} to ${new Date().toISOString()}), ${(inputs / secs).toFixed(0)} inputs/s, seed ${o.seed}`);
  console.log(`${inputs} inputs, ${findings.length} findings`);
  return findings.length ? 1 : 0;
}

const o = parse(process.argv.slice(2));
if (o.shard !== undefined) {
  const r = shard(o, o.shard);
  process.send!(r, () => process.disconnect());
} else {
  process.exitCode = await campaign(o);
}
