/**
 * The fuzz loop: inputs from the grammar arbitraries (in chunks, each chunk one fast-check seed so any
 * input can be replayed as `{seed, path}`), optional havoc byte mutations of each input, a target,
 * and for each new finding: fast-check's structural shrinking, greedy byte minimisation, two files.
 * With a coverage-guided target, generation seeds the run (every message) and then feeds one input in
 * 1024; the rest are grammar-aware mutations of the inputs kept for reaching new coverage.
 */
import * as fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../engine/format.js';
import type { GrammarIR } from '../grammar/ir.js';
import { fuzzArbitrary, messageNames, type AppliedMutation, type FuzzInput, type FuzzModeOption } from './arbitraries.js';
import { minimise, sequential, type FirstFailing } from './minimise.js';
import { mutateKept } from './mutate.js';
import { Queue, readCorpusDir, writeCorpusDir } from './queue.js';
import type { FindingKind, Target, Verdict } from './targets.js';
import type { Disagreement, TsharkOracle } from './tshark.js';

export interface FuzzRunOptions {
  ir: GrammarIR;
  target: Target;
  /** Inputs to run (Infinity with a time limit). */
  n: number;
  seed: number;
  timeSec?: number;
  mode: FuzzModeOption;
  protocol?: string;
  message?: string;
  /** Findings go to `${out}/findings/`. */
  out: string;
  /** Random byte mutations run after each generated input (AFL's havoc stage); each one counts as an input. */
  havoc?: number;
  oracle?: TsharkOracle;
  /** Milliseconds of shrinking and minimising per finding. */
  minimiseMs?: number;
  /** Confirm a slow input by running it again before calling it a hang (self target: timing noise). */
  confirmHangs?: boolean;
  /** Progress lines (the caller throttles and places them). */
  progress?: (p: Progress) => void;
  /** One line per new finding, on stdout. */
  log?: (line: string) => void;
  /** Coverage-guided runs: inputs in this directory seed the run, and the kept inputs are written to it at the end. */
  corpusDir?: string;
  /**
   * Without coverage, mutate generated inputs as a guided run mutates kept ones (for fast targets,
   * which generation alone cannot keep busy): every generated input is kept.
   */
  mutateGenerated?: boolean;
}

export interface Progress {
  inputs: number;
  findings: number;
  elapsedMs: number;
  done: boolean;
  /** Coverage-guided runs: coverage points reached and inputs kept. */
  edges?: number;
  corpus?: number;
}

export interface Finding {
  kind: FindingKind;
  name: string;
  signature: string;
  error: string;
  /** Inputs that showed this finding. */
  occurrences: number;
  original: Uint8Array;
  minimised: Uint8Array;
  files: { bin: string; json: string };
}

export interface FuzzRunResult {
  inputs: number;
  findings: Finding[];
  elapsedMs: number;
  seed: number;
  /** Coverage-guided runs: inputs kept, files new in the corpus directory, coverage points reached. */
  corpus?: { entries: number; written: number; edges: number };
}

const CHUNK = 256;

/** The fast-check seed of chunk c: every chunk is replayable on its own. */
export const chunkSeed = (seed: number, c: number): number => (Math.imul((seed ^ 0x5bd1e995) >>> 0, 0x01000193) ^ Math.imul(c + 1, 0x9e3779b1)) >>> 1;

/** mulberry32: the havoc stage's deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** AFL-style havoc: a few stacked random edits (flips, octets, interesting values, deletes, clones, cuts). */
export function havoc(bytes: Uint8Array, seed: number): { bytes: Uint8Array; detail: string } {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  let b = Array.from(bytes);
  const ops: string[] = [];
  const count = 1 + int(4);
  for (let k = 0; k < count; k++) {
    const n = b.length;
    switch (int(7)) {
      case 0:
        if (n) {
          const bit = int(n * 8);
          b[bit >> 3] ^= 0x80 >> (bit & 7);
          ops.push(`flip ${bit}`);
        }
        break;
      case 1:
        if (n) {
          const at = int(n);
          b[at] = int(256);
          ops.push(`set ${at}`);
        }
        break;
      case 2:
        if (n) {
          const at = int(n);
          b[at] = [0, 1, 0x7f, 0x80, 0xff, 0x0f, 0xf0][int(7)];
          ops.push(`interesting ${at}`);
        }
        break;
      case 3:
        if (n > 1) {
          const at = int(n);
          const len = 1 + int(Math.min(8, n - at));
          b.splice(at, len);
          ops.push(`delete ${at}+${len}`);
        }
        break;
      case 4:
        if (n) {
          const from = int(n);
          const len = 1 + int(Math.min(8, n - from));
          const to = int(n + 1);
          b.splice(to, 0, ...b.slice(from, from + len));
          ops.push(`clone ${from}+${len}@${to}`);
        }
        break;
      case 5: {
        const at = int(n + 1);
        const len = 1 + int(4);
        b.splice(at, 0, ...Array.from({ length: len }, () => int(256)));
        ops.push(`insert ${at}+${len}`);
        break;
      }
      case 6:
        if (n > 1) {
          const at = 1 + int(n - 1);
          b = b.slice(0, at);
          ops.push(`cut ${at}`);
        }
        break;
    }
  }
  return { bytes: Uint8Array.from(b), detail: ops.join(', ') || 'none' };
}

interface Pending {
  input: FuzzInput;
  bytes: Uint8Array;
  mutation: AppliedMutation[];
  replay: Replay;
  /** The arbitrary the input came from, when not the run's own. */
  arb?: fc.Arbitrary<FuzzInput>;
}

/** Where an input came from: a fast-check chunk and path (plus a havoc edit), or a kept input mutated. */
interface Replay {
  chunkSeed?: number;
  path?: string;
  havoc?: number;
  /** SHA-1 of the kept input this one is a mutation of (or, for a corpus file, its own). */
  parent?: string;
}

const sameVerdict = (a: Verdict | undefined, b: Verdict) => a !== undefined && a.kind === b.kind && a.signature === b.signature;

export function runFuzz(o: FuzzRunOptions): FuzzRunResult {
  const started = performance.now();
  const deadline = o.timeSec !== undefined ? started + o.timeSec * 1000 : Infinity;
  const arb = fuzzArbitrary(o.ir, { protocol: o.protocol, message: o.message, mode: o.mode });
  const findings = new Map<string, Finding>();
  const perKind = new Map<string, number>();
  const dir = join(o.out, 'findings');
  let inputs = 0;
  let lastProgress = 0;
  const progress = (done = false, guidedState?: { edges: number; corpus: number }) => o.progress?.({ inputs, findings: findings.size, elapsedMs: performance.now() - started, done, ...guidedState });

  const run = (bytes: Uint8Array, protocol: string) => o.target.run(bytes, protocol);

  const save = (p: Pending, v: Verdict, minimised: Uint8Array, shrunk?: FuzzInput) => {
    const k = (perKind.get(v.kind) ?? 0) + 1;
    perKind.set(v.kind, k);
    const name = `${v.kind}-${k}`;
    mkdirSync(dir, { recursive: true });
    const files = { bin: join(dir, `${name}.bin`), json: join(dir, `${name}.json`) };
    const f: Finding = { kind: v.kind, name, signature: v.signature, error: v.error, occurrences: 1, original: p.bytes, minimised, files };
    findings.set(`${v.kind}\u0000${v.signature}`, f);
    writeFileSync(files.bin, minimised);
    const json = {
      kind: v.kind,
      error: v.error,
      signature: v.signature,
      target: o.target.name,
      protocol: p.input.protocol,
      message: p.input.message,
      mode: p.input.mode,
      seed: o.seed,
      replay: { ...p.replay, note: 'fc.check(fc.property(fuzzArbitrary(ir, {protocol, message, mode}), ...), {seed: chunkSeed, path}) regenerates the input' },
      value: p.input.value,
      mutation: p.mutation,
      input: toHex(p.bytes),
      minimised: toHex(minimised),
      shrunk: shrunk ? { value: shrunk.value, mutation: shrunk.mutation, input: toHex(shrunk.bytes) } : undefined,
    };
    writeFileSync(files.json, JSON.stringify(json, null, 2) + '\n');
    o.log?.(`${name}: ${v.error} (${p.bytes.length} -> ${minimised.length} octets: ${toHex(minimised.subarray(0, 32))}${minimised.length > 32 ? '…' : ''}) ${files.bin}`);
    return f;
  };

  const known = (v: Verdict) => findings.get(`${v.kind}\u0000${v.signature}`);

  /** A new finding: structural shrink through fast-check (when the input came from it), then octets. */
  const report = (p: Pending, v: Verdict) => {
    const seen = known(v);
    if (seen) {
      seen.occurrences++;
      return;
    }
    const budget = o.minimiseMs ?? 5000;
    const t0 = performance.now();
    let shrunk: FuzzInput | undefined;
    if (p.replay.havoc === undefined && p.replay.parent === undefined && p.input.bytes.length) {
      const r = fc.check(
        fc.property(p.arb ?? arb, (x) => x.protocol !== p.input.protocol || !sameVerdict(run(x.bytes, x.protocol), v)),
        { seed: p.replay.chunkSeed, path: p.replay.path, numRuns: 1, interruptAfterTimeLimit: budget / 2, markInterruptAsFailure: false },
      );
      if (r.failed && r.counterexample) shrunk = r.counterexample[0];
    }
    const start = shrunk && shrunk.bytes.length <= p.bytes.length ? shrunk.bytes : p.bytes;
    const left = Math.max(200, budget - (performance.now() - t0));
    const minimised =
      v.kind === 'encode-error'
        ? start
        : minimise(
            start,
            sequential((b) => sameVerdict(run(b, p.input.protocol), v)),
            { budgetMs: left },
          );
    save(p, v, minimised, shrunk);
  };

  // The tshark oracle sees inputs in batches; disagreements are findings of their own kind.
  let batch: Pending[] = [];
  const flushOracle = () => {
    if (!o.oracle || !batch.length) return;
    const oracle = o.oracle;
    const results = oracle.compare(batch.map((p) => p.bytes));
    results.forEach((diffs, i) => {
      for (const d of diffs) {
        const v = oracleVerdict(d);
        const seen = known(v);
        if (seen) {
          seen.occurrences++;
          continue;
        }
        // Minimise with whole passes in one tshark run each.
        const first: FirstFailing = (cands) => {
          const all = oracle.compare(cands);
          return all.findIndex((ds) => ds.some((x) => sameVerdict(oracleVerdict(x), v)));
        };
        const minimised = minimise(batch[i].bytes, first, { budgetMs: o.minimiseMs ?? 5000, maxTests: 4000 });
        save(batch[i], v, minimised);
      }
    });
    batch = [];
  };

  /** Runs one input; true when it reached new coverage. */
  const one = (p: Pending): boolean => {
    inputs++;
    const enc = p.mutation.find((m) => m.op === 'encode_error');
    if (enc) {
      report(p, {
        kind: 'encode-error',
        error: `the encoder refused a generated ${p.input.message ?? p.input.ie} value: ${enc.detail}`,
        signature: `encode-error:${p.input.message}:${enc.detail.replace(/\d+/g, 'N')}`,
      });
      return false;
    }
    const v = run(p.bytes, p.input.protocol);
    const fresh = o.target.coverage?.fresh === true;
    if (v) {
      if (v.kind === 'hang' && o.confirmHangs && !sameVerdict(run(p.bytes, p.input.protocol), v)) return fresh;
      report(p, v);
    }
    if (o.oracle && p.input.protocol === 'nas-eps') batch.push(p);
    return fresh;
  };

  if (o.target.coverage || o.mutateGenerated) return finish(guided(o, arb, one, () => inputs, progress));

  outer: for (let c = 0; inputs < o.n; c++) {
    const seed = chunkSeed(o.seed, c);
    const perInput = 1 + (o.havoc ?? 0);
    const count = Math.max(1, Math.min(CHUNK, Math.ceil((o.n - inputs) / perInput)));
    const generated = fc.sample(arb, { seed, numRuns: count });
    for (let i = 0; i < generated.length; i++) {
      const input = generated[i];
      one({ input, bytes: input.bytes, mutation: input.mutation, replay: { chunkSeed: seed, path: String(i) } });
      for (let h = 0; h < (o.havoc ?? 0) && inputs < o.n && input.bytes.length; h++) {
        const hv = havoc(input.bytes, (seed ^ Math.imul(i + 1, 0x85ebca6b) ^ Math.imul(h + 1, 0xc2b2ae35)) >>> 0);
        one({ input, bytes: hv.bytes, mutation: [...input.mutation, { op: 'havoc' as const, detail: hv.detail }], replay: { chunkSeed: seed, path: String(i), havoc: h } });
      }
      const now = performance.now();
      if (now - lastProgress > 200) {
        lastProgress = now;
        progress();
      }
      if (inputs >= o.n || now > deadline) {
        flushOracle();
        break outer;
      }
    }
    if (batch.length >= 1000 || inputs >= o.n) flushOracle();
  }
  flushOracle();
  return finish();

  function finish(corpus?: FuzzRunResult['corpus']): FuzzRunResult {
    // The occurrence counts are known only now.
    for (const f of findings.values()) {
      try {
        const text = JSON.stringify({ ...JSON.parse(readFileSync(f.files.json, 'utf8')), occurrences: f.occurrences }, null, 2);
        writeFileSync(f.files.json, text + '\n');
      } catch {
        // The file stays as first written.
      }
    }
    progress(true, corpus && { edges: corpus.edges, corpus: corpus.entries });
    return { inputs, findings: [...findings.values()], elapsedMs: performance.now() - started, seed: o.seed, corpus };
  }
}

/** Generated inputs one at a time: chunks of the run's arbitrary, as the plain loop makes them. */
function generator(arb: fc.Arbitrary<FuzzInput>, seed: number): () => Pending {
  let c = 0;
  let chunk: FuzzInput[] = [];
  let i = 0;
  let cs = 0;
  return () => {
    if (i >= chunk.length) {
      cs = chunkSeed(seed, c++);
      chunk = fc.sample(arb, { seed: cs, numRuns: CHUNK });
      i = 0;
    }
    const input = chunk[i];
    return { input, bytes: input.bytes, mutation: input.mutation, replay: { chunkSeed: cs, path: String(i++) } };
  };
}

/** Generated inputs in a coverage-guided run: one in this many (generating costs milliseconds, a mutation microseconds). */
const GENERATE_EVERY = 1024;

/**
 * The coverage-guided loop: the corpus directory's inputs, then two valid inputs of every message,
 * then mostly mutations (1 to 3 stacked grammar-aware edits, some havoc) of kept inputs. Without
 * coverage (`mutateGenerated`) the kept inputs are the generated ones.
 */
function guided(
  o: FuzzRunOptions,
  arb: fc.Arbitrary<FuzzInput>,
  one: (p: Pending) => boolean,
  count: () => number,
  progress: (done: boolean, state?: { edges: number; corpus: number }) => void,
): FuzzRunResult['corpus'] {
  const deadline = o.timeSec !== undefined ? performance.now() + o.timeSec * 1000 : Infinity;
  const queue = new Queue(o.ir);
  const rnd = prng(o.seed ^ 0x2545f491);
  const int = (n: number) => Math.floor(rnd() * n);
  let lastProgress = 0;
  const stop = () => {
    const now = performance.now();
    if (now - lastProgress > 200) {
      lastProgress = now;
      progress(false, keepGenerated ? undefined : { edges: edges(), corpus: queue.entries.length });
    }
    return count() >= o.n || now > deadline;
  };
  const keepGenerated = !o.target.coverage;
  const tryOne = (p: Pending) => {
    if (one(p) || (keepGenerated && p.replay.parent === undefined)) queue.add(p.input, p.bytes);
    return stop();
  };
  const messages = o.message ? [o.message] : messageNames(o.ir, o.protocol);
  const protocol = o.protocol ?? (o.message ? o.ir.messageProtocols.get(o.message) : undefined) ?? o.ir.messageProtocols.get(messages[0])!;
  const edges = () => o.target.coverage?.edges ?? 0;
  const result = () => {
    if (keepGenerated) return undefined;
    const written = o.corpusDir ? writeCorpusDir(o.corpusDir, queue.entries) : 0;
    return { entries: queue.entries.length, written, edges: edges() };
  };
  for (const bytes of o.corpusDir ? readCorpusDir(o.corpusDir) : []) {
    const input: FuzzInput = { protocol, mode: 'valid', bytes, mutation: [] };
    if (tryOne({ input, bytes, mutation: [], replay: { parent: '(corpus file)' } })) return result();
  }
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k];
    const arbM = fuzzArbitrary(o.ir, { message: m, mode: 'valid' });
    const cs = chunkSeed(o.seed ^ 0x5eed, k);
    const seeds = fc.sample(arbM, { seed: cs, numRuns: 2 });
    for (let i = 0; i < seeds.length; i++) {
      const x = seeds[i];
      if (tryOne({ input: x, bytes: x.bytes, mutation: x.mutation, replay: { chunkSeed: cs, path: String(i) }, arb: arbM })) return result();
    }
  }
  const next = generator(arb, o.seed);
  for (let it = 0; ; it++) {
    if (it % GENERATE_EVERY === 0 || !queue.entries.length) {
      if (tryOne(next())) return result();
      continue;
    }
    const parent = queue.pick(rnd);
    let bytes = parent.bytes;
    const edits: string[] = [];
    for (let k = 1 + int(3); k > 0; k--) {
      const donor = queue.entries[int(queue.entries.length)];
      const m = int(8) ? mutateKept(bytes, queue.shape(parent), rnd, { bytes: donor.bytes, shape: queue.shape(donor) }, o.target.coverage?.constants) : undefined;
      const r = m ?? havoc(bytes, int(0x7fffffff));
      bytes = r.bytes;
      edits.push(r.detail);
    }
    const mutation: AppliedMutation[] = [{ op: 'kept', detail: `mutation of kept input ${parent.hash}: ${edits.join('; ')}` }];
    if (tryOne({ input: { ...parent.input, bytes, mutation }, bytes, mutation, replay: { parent: parent.hash } })) return result();
  }
}

function oracleVerdict(d: Disagreement): Verdict {
  const shape = `${d.ours ? 'value' : 'absent'}/${d.theirs ? 'value' : 'absent'}`;
  return { kind: 'oracle-disagreement', error: `${d.field}: mtcgk "${d.ours}", tshark "${d.theirs}"`, signature: `oracle:${d.field}:${shape}` };
}
