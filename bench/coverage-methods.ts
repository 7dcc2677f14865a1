/**
 * Why JS targets get istanbul counters and not V8 block coverage: the cost per call of each, on the
 * parser of the fuzz tests, as a ratio to the plain call. Run alone (`npx tsx bench/coverage-methods.ts`):
 * it installs the instrumenting loader hook in its own process.
 */
import { Session } from 'node:inspector';
import { CoverageMap, installCoverageHooks } from '../src/fuzz/coverage.js';
import { measure, table } from './harness.js';

const parser = new URL('../test/fixtures/fuzz/nas-parser.mjs', import.meta.url).href;
const input = Uint8Array.from([7, 0x63, 4, 1, 2, 3, 4]);
type Fuzz = (data: Uint8Array) => void;
const calls = (fuzz: Fuzz, after: () => void, n: number) => () => {
  for (let i = 0; i < n; i++) {
    input[3] = i;
    fuzz(input);
    after();
  }
  return n;
};

const plain = (await import(`${parser}?plain`)) as { fuzz: Fuzz };
const base = measure(
  'plain call',
  'call',
  calls(plain.fuzz, () => {}, 10_000),
);

// V8 precise coverage with block granularity and counts, taken after every call.
const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  session.post(method, params, (e) => {
    if (e) throw e;
  });
post('Profiler.enable');
post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const v8 = measure(
  'V8 block coverage, taken per call',
  'call',
  calls(plain.fuzz, () => post('Profiler.takePreciseCoverage'), 200),
);
post('Profiler.stopPreciseCoverage');
session.disconnect();

installCoverageHooks();
const instrumented = (await import(`${parser}?istanbul`)) as { fuzz: Fuzz };
const map = new CoverageMap();
const istanbul = measure(
  'istanbul counters, read per call',
  'call',
  calls(instrumented.fuzz, () => map.collect(), 10_000),
);

console.log(table('Coverage of an in-process JS target', [base, istanbul, v8], base));
