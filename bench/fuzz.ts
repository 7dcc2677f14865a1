/**
 * Self-fuzzing throughput: executions per second (generation + mutation + oracles), beside plain
 * dissect of the corpus; and inputs per second by kind of target (in-process JS, persistent,
 * one process per input), beside the self target.
 */
import * as fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dissectFull, fromHex } from '../src/index.js';
import { fuzzArbitrary, type FuzzInput } from '../src/fuzz/arbitraries.js';
import { jsTarget } from '../src/fuzz/js-target.js';
import { persistentTarget } from '../src/fuzz/persistent.js';
import { chunkSeed, havoc, runFuzz } from '../src/fuzz/runner.js';
import { externalTarget, selfTarget, type Target } from '../src/fuzz/targets.js';
import { defaultGrammar } from '../src/grammar/load.js';
import { realCorpus } from '../test/helpers/fixtures.js';
import { measure, table, type Rate } from './harness.js';

const corpus = realCorpus().map((l) => fromHex(l.hex));

export function fuzzBench(): string {
  const ir = defaultGrammar();
  const self = selfTarget(ir, 1000);
  const dissect = measure('plain dissect (corpus)', 'exec', () => {
    for (const b of corpus) dissectFull(b);
    return corpus.length;
  });
  const check = (inputs: FuzzInput[]) => {
    for (const x of inputs) if (self.run(x.bytes, x.protocol)) throw new Error(`finding on ${Buffer.from(x.bytes).toString('hex')}`);
    return inputs.length;
  };
  const fuzzing = (mode: 'valid' | 'malformed') => {
    const arb = fuzzArbitrary(ir, { mode });
    let c = 0;
    return measure(`self-fuzz ${mode} (generate + oracles)`, 'exec', () => check(fc.sample(arb, { seed: chunkSeed(1, c++), numRuns: 64 })), 1500);
  };
  const valid = fuzzing('valid');
  const malformed = fuzzing('malformed');
  const pool = fc.sample(fuzzArbitrary(ir, { mode: 'valid' }), { seed: 2, numRuns: 256 });
  let h = 0;
  const havocRate = measure('self-fuzz havoc (mutate + oracles)', 'exec', () => {
    for (const x of pool) self.run(havoc(x.bytes, h++).bytes, x.protocol);
    return pool.length;
  });
  const oracles = measure('oracles only (dissect + tiling + ids)', 'exec', () => check(pool), 800);
  return table(`Self-fuzzing over ${ir.messages.size} messages`, [valid, malformed, havocRate, oracles, dissect], dissect);
}

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/fuzz/${name}`, import.meta.url));
// Debian's interpreter where there is one: version-manager shims take longer to start.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Inputs per second by kind of target, each as ratio to the self target (our dissector with its
 * oracles) on the same valid inputs: the in-process JS parser of the tests with and without
 * coverage, and through the whole coverage-guided loop (mutation included); a Python harness
 * in persistent mode; the same harness started once per input on stdin.
 */
export function targetsBench(): string {
  const ir = defaultGrammar();
  // Valid inputs the harnesses accept (identity requests are their planted bugs).
  const pool = fc.sample(fuzzArbitrary(ir, { mode: 'valid' }), { seed: 3, numRuns: 400 }).filter((x) => x.bytes[1] !== 0x55);
  const rate = (name: string, t: Target, minMs = 1500): Rate => {
    try {
      return measure(
        name,
        'input',
        () => {
          for (const x of pool) if (t.run(x.bytes, x.protocol)) throw new Error(`${name}: finding on ${Buffer.from(x.bytes).toString('hex')}`);
          return pool.length;
        },
        minMs,
      );
    } finally {
      t.close?.();
    }
  };
  const self = rate('self target (dissect + oracles)', selfTarget(ir, 1000));
  const js = rate('in-process JS target', jsTarget({ spec: fixture('nas-parser.mjs'), timeoutMs: 1000, memoryLimitMb: 2048, coverage: false }));
  const jsCov = rate('in-process JS target, coverage', jsTarget({ spec: fixture('nas-parser.mjs'), timeoutMs: 1000, memoryLimitMb: 2048, coverage: true }));
  const out = mkdtempSync(join(tmpdir(), 'mtcgk-bench-'));
  let loop: Rate;
  const guided = jsTarget({ spec: fixture('nas-parser.mjs'), timeoutMs: 1000, memoryLimitMb: 2048, coverage: true });
  try {
    // The whole guided loop over one message: mutation, coverage, and one generated input in 1024.
    const r = runFuzz({ ir, target: guided, n: 60_000, seed: 5, mode: 'all', message: 'emm_status', out, minimiseMs: 0 });
    loop = { name: 'in-process JS, guided fuzz loop', perSecond: (r.inputs * 1000) / r.elapsedMs, unit: 'input' };
  } finally {
    guided.close?.();
    rmSync(out, { recursive: true, force: true });
  }
  const persistent = rate('persistent Python harness', persistentTarget({ command: `${python} ${fixture('persistent.py')}`, timeoutMs: 5000 }));
  // A process per input: a few hundred inputs are enough to time it.
  const perProcess = (() => {
    const t = externalTarget({ command: `${python} -c "import sys; sys.stdin.buffer.read()"`, timeoutMs: 5000 });
    try {
      const few = pool.slice(0, 40);
      return measure(
        'process per input (Python, stdin)',
        'input',
        () => {
          for (const x of few) t.run(x.bytes, x.protocol);
          return few.length;
        },
        1000,
      );
    } finally {
      t.close?.();
    }
  })();
  return table('Fuzz targets (targets: in-process JS >= 20,000 inputs/s, persistent >= 5,000)', [self, js, jsCov, loop, persistent, perProcess], self);
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(`${fuzzBench()}\n\n${targetsBench()}`);
