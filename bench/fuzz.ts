/** Self-fuzzing throughput: executions per second (generation + mutation + oracles), beside plain dissect of the corpus. */
import * as fc from 'fast-check';
import { dissectFull, fromHex } from '../src/index.js';
import { fuzzArbitrary, type FuzzInput } from '../src/fuzz/arbitraries.js';
import { chunkSeed, havoc } from '../src/fuzz/runner.js';
import { selfTarget } from '../src/fuzz/targets.js';
import { defaultGrammar } from '../src/grammar/load.js';
import { realCorpus } from '../test/helpers/fixtures.js';
import { measure, table } from './harness.js';

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

if (import.meta.url === `file://${process.argv[1]}`) console.log(fuzzBench());
