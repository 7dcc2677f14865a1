/**
 * The engine's targets, each measured against its reference in the same run, on the real-message mix
 * (the corpus repeated): in-process rates beside the interpreter they replace and the target rate;
 * whole-process `-V` and `-T fields` beside tshark on the same messages (a pcapng); self-fuzzing;
 * heap kept per decoded message beside the size of the values themselves.
 *
 * Run alone: npx tsx bench/engine.ts [--messages N] (default 20 000 for the whole-process rows).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fromHex } from '../src/index.js';
import { writePcapng } from '../src/io/index.js';
import { realCorpus } from '../test/helpers/fixtures.js';
import { measure } from './harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const corpus = realCorpus().map((l) => fromHex(l.hex));

interface Row {
  what: string;
  measured: string;
  reference: string;
  target: string;
  met: boolean;
}

const rate = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;

/** The built package (dist/), as users run it: the TypeScript loader's transform slows closures down. */
type Built = typeof import('../src/index.js');

/** The closure compiler alone, as a grammar given at run time gets it (the built package's module). */
type Closures = (bytes: Uint8Array) => unknown;

/** The encoding interpreter alone, as a grammar given at run time gets it (the built package's module). */
type Interpreted = (value: unknown) => Uint8Array;

function inProcess({ decode, dissectFull, encode }: Built, closures: Closures, interpretedEncode: Interpreted): Row[] {
  const values = corpus.map((b) => dissectFull(b).value);
  const interpreted = measure('interpreter', 'msg', () => {
    for (const b of corpus) {
      const r = dissectFull(b);
      if (r.expert.some((e) => e.severity === 'error')) continue;
    }
    return corpus.length;
  });
  // The generated functions are long: V8 takes about a second of calls to optimise them all.
  const each = <T>(name: string, items: readonly T[], run: (x: T) => void) =>
    measure(
      name,
      'msg',
      () => {
        for (const x of items) run(x);
        return items.length;
      },
      1500,
    );
  const closed = each('closures', corpus, closures);
  const compiled = each('decode', corpus, (b) => {
    try {
      decode(b);
    } catch {
      // a DecodeError counts as a decoded message
    }
  });
  const encodedByInterpreter = each('encode (interpreter)', values, interpretedEncode);
  const encoded = each('encode', values, (v) => encode(v));
  const vs = (x: number) => `interpreter ${rate(interpreted.perSecond)} (x${(x / interpreted.perSecond).toFixed(1)})`;
  return [
    {
      what: 'in-process decode()',
      measured: rate(compiled.perSecond),
      reference: `${vs(compiled.perSecond)}; closures alone (a run-time grammar) ${rate(closed.perSecond)} (x${(compiled.perSecond / closed.perSecond).toFixed(1)})`,
      target: '>= 1,000,000/s',
      met: compiled.perSecond >= 1e6,
    },
    {
      what: 'in-process encode()',
      measured: rate(encoded.perSecond),
      reference: `interpreter ${rate(encodedByInterpreter.perSecond)} (x${(encoded.perSecond / encodedByInterpreter.perSecond).toFixed(1)})`,
      target: '>= 1,000,000/s',
      met: encoded.perSecond >= 1e6,
    },
    { what: 'full dissection tree', measured: rate(interpreted.perSecond), reference: 'the same code: the interpreter builds the tree', target: '>= 200,000/s', met: interpreted.perSecond >= 2e5 },
  ];
}

/** Seconds of the fastest of `runs` runs of a command, its output discarded. */
function seconds(cmd: string, args: string[], runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function wholeProcess(messages: number): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-engine-'));
  try {
    const frames = Array.from({ length: messages }, (_, i) => ({ bytes: corpus[i % corpus.length], protocol: 'nas-eps', source: `#${i + 1}` }));
    const pcap = join(dir, 'mix.pcapng');
    writeFileSync(pcap, writePcapng(frames, { linkType: 252 }));
    const mtcgk = (args: string[]) => seconds(process.execPath, [join(ROOT, 'bin/mtcgk.js'), '-r', pcap, ...args]);
    const field = ['-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type'];
    const rows: Array<[string, string[], number]> = [
      ['whole-process -V', ['-V'], 0.5],
      ['whole-process -T fields, one field', field, 0.25],
    ];
    if (!hasTshark()) return rows.map(([what]) => ({ what, measured: '-', reference: 'tshark not installed', target: '-', met: false }));
    const dlt = ['-o', 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""'];
    return rows.map(([what, args, target]) => {
      const ours = mtcgk(args);
      const theirs = seconds('tshark', ['-r', pcap, ...dlt, ...args]);
      return {
        what: `${what} (${messages.toLocaleString('en')} msgs)`,
        measured: `${ours.toFixed(2)} s`,
        reference: `tshark ${theirs.toFixed(2)} s (x${(ours / theirs).toFixed(2)})`,
        target: `<= x${target}`,
        met: ours / theirs <= target,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fuzzing({ dissectFull }: Built): Row {
  // Enough inputs that generating the first valid input of every message does not dominate.
  const n = 20_000;
  const out = mkdtempSync(join(tmpdir(), 'mtcgk-fuzz-'));
  const t0 = performance.now();
  const printed = execFileSync(process.execPath, [join(ROOT, 'bin/mtcgk.js'), 'fuzz', '--target', 'self', '-n', String(n), '--seed', '1', '--out', out], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const perSecond = n / ((performance.now() - t0) / 1000);
  rmSync(out, { recursive: true, force: true });
  // The run's own rate (its `time ..., N inputs/s` line): the fuzzing loop without start-up.
  const loop = Number(/([\d.]+) inputs\/s/.exec(printed)?.[1] ?? Number.NaN);
  const plain = measure('dissect', 'msg', () => {
    for (const b of corpus) dissectFull(b);
    return corpus.length;
  });
  return {
    what: `fuzz --target self (${n} inputs, whole process)`,
    measured: rate(perSecond),
    reference: `the loop alone ${rate(loop)}; its target, dissect alone: ${rate(plain.perSecond)}`,
    target: '>= 50,000/s',
    met: perSecond >= 5e4,
  };
}

/** Heap kept per decoded message: with the values dropped (what decoding leaves behind) and kept (the values). */
function heap({ decode }: Built): Row {
  const gc = (globalThis as { gc?: () => void }).gc;
  const n = 50_000;
  const used = () => {
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const before = used();
  for (let i = 0; i < n; i++) decode(corpus[i % corpus.length]);
  const dropped = (used() - before) / n;
  const kept: unknown[] = [];
  const base = used();
  for (let i = 0; i < n; i++) kept.push(decode(corpus[i % corpus.length]));
  const values = (used() - base) / n;
  kept.length = 0;
  return {
    what: `heap growth per decode (${n.toLocaleString('en')}${gc ? '' : ', no --expose-gc'})`,
    measured: `${Math.max(0, dropped).toFixed(0)} B`,
    reference: `the values kept: ${values.toFixed(0)} B each`,
    target: '<= the value',
    met: dropped <= values,
  };
}

export async function engineBench(messages = 20_000): Promise<string> {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const built = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as Built;
  const { keylessDecoder } = (await import(pathToFileURL(join(ROOT, 'dist/security/keyless.js')).href)) as typeof import('../src/security/keyless.js');
  const { defaultGrammar } = (await import(pathToFileURL(join(ROOT, 'dist/grammar/default.js')).href)) as typeof import('../src/grammar/default.js');
  const { encodeWith } = (await import(pathToFileURL(join(ROOT, 'dist/api.js')).href)) as typeof import('../src/api.js');
  const closures = keylessDecoder(defaultGrammar());
  const rows = [
    ...inProcess(
      built,
      (b) => closures.decode(b, 'nas-eps'),
      (v) => encodeWith(v, 'nas-eps'),
    ),
    ...wholeProcess(messages),
    fuzzing(built),
    heap(built),
  ];
  const w = [
    Math.max(...rows.map((r) => r.what.length)),
    Math.max(...rows.map((r) => r.measured.length)),
    Math.max(...rows.map((r) => r.reference.length)),
    Math.max(...rows.map((r) => r.target.length)),
  ];
  const lines = rows.map((r) => `  ${r.what.padEnd(w[0])}  ${r.measured.padStart(w[1])}  ${r.reference.padEnd(w[2])}  ${r.target.padEnd(w[3])}  ${r.met ? 'met' : 'NOT met'}`);
  return [`Engine targets over ${corpus.length} real messages repeated (reference measured in the same run)`, ...lines].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--messages');
  console.log(await engineBench(i > 0 ? Number(process.argv[i + 1]) : undefined));
}
