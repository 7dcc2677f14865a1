/** `mtcgk fuzz` and `mtcgk corpus export`: grammar-driven fuzzing and seed corpora (docs/fuzzing.md). */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultGrammar } from '../grammar/load.js';
import type { GrammarIR } from '../grammar/ir.js';
import { FUZZ_MODES, messageNames, type FuzzModeOption } from '../fuzz/arbitraries.js';
import { exportCorpus } from '../fuzz/corpus.js';
import { runFuzz, type Progress } from '../fuzz/runner.js';
import { jsModule, jsTarget } from '../fuzz/js-target.js';
import { persistentTarget } from '../fuzz/persistent.js';
import { replayDir } from '../fuzz/replay.js';
import { externalTarget, selfTarget, TargetError, type Target } from '../fuzz/targets.js';
import { ORACLE_FIELDS, TsharkOracle, tsharkAvailable } from '../fuzz/tshark.js';
import { UsageError } from './args.js';

export const FUZZ_USAGE = `Usage: mtcgk fuzz [--target self|FILE.mjs[#export]|'CMD'] [-n N] [--seed S] [--time SEC] [--mode valid|edge|malformed|all]
                  [--proto nas-eps|gmsg] [--message NAME] [--out DIR] [--timeout MS] [--crash-exit CODES]
                  [--havoc K] [--oracle tshark] [--oracle-fields F,F,...] [--minimise-time SEC]
                  [--no-coverage] [--corpus DIR] [--memory-limit MB] [--persistent] [--replay DIR]
       mtcgk corpus export DIR [--dict] [--proto P] [-n PER_MESSAGE] [--seed S]

fuzz runs inputs generated from the grammar (valid, edge and malformed) against a target:
  self       the mtcgk dissector; a finding is an exception, a tree whose leaves do not tile the input,
             an expert id outside the catalogue, or an input slower than --timeout (default 1000 ms)
  FILE.mjs   (an existing .js, .mjs or .cjs file) a module whose export fuzz(data: Uint8Array), or
             FILE.mjs#name, runs in a worker thread, coverage-guided: inputs that reach new code are
             kept and mutated. A finding is a thrown exception, a rejected promise, a time-out
             (--timeout, default 1000 ms) or a heap above --memory-limit MB (default 2048)
  'CMD'      a command fed each input on stdin, or as a file where CMD has {} or @@ (AFL); a crash is a
             death by signal or an exit code in --crash-exit (default: any code >= 128), a hang the
             --timeout (default 5000 ms)
  --persistent       CMD runs once and reads frames on stdin: a 4-byte little-endian length, then the
                     input; it answers each with one status byte on stdout, 0 for ok, else a finding.
                     A crash or a closed pipe is a finding and the command is restarted. Generated
                     inputs seed it; most inputs are grammar-aware mutations of them
  --no-coverage      generation only: a JS target without coverage guidance, or self without mutating
                     the generated inputs it keeps (self mutates them by default)
  --corpus DIR       coverage-guided runs start from the inputs in DIR and write the kept inputs there,
                     one file per input named by its SHA-1 (default OUT/corpus)
  --replay DIR       run the files of DIR (findings, a corpus) against the target instead of fuzzing
  -n N               inputs to run (default 1000; unlimited with --time alone)
  --seed S           fast-check seed (default: random, printed)
  --time SEC         stop after SEC seconds
  --havoc K          also run K random byte mutations of each generated input
  --minimise-time S  seconds of shrinking per finding (default 5 for self, 20 for a command)
  --oracle tshark    (self, nas-eps) compare field values with tshark 4.0; differences are findings
                     of kind oracle-disagreement
  --out DIR          findings go to DIR/findings/<kind>-<n>.bin and .json (default fuzz-out)
The last line on stdout is "N inputs, M findings"; exit 0 without findings, 1 with findings.`;

interface FuzzOptions {
  target: string;
  n?: number;
  seed: number;
  time?: number;
  mode: FuzzModeOption;
  protocol?: string;
  message?: string;
  out: string;
  timeout?: number;
  crashCodes?: Set<number>;
  havoc: number;
  oracle?: 'tshark';
  oracleFields?: string[];
  minimiseSec?: number;
  coverage: boolean;
  corpus?: string;
  memoryLimitMb: number;
  persistent: boolean;
  replay?: string;
  help: boolean;
}

const value = (argv: string[], i: number, flag: string): string => {
  const v = argv[i + 1];
  if (v === undefined) throw new UsageError(`option ${flag} requires a value`);
  return v;
};

const integer = (v: string, flag: string, min: number): number => {
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new UsageError(`${flag} takes an integer >= ${min}, got "${v}"`);
  return Number(v);
};

function protocolOption(ir: GrammarIR, v: string): string {
  if (!ir.protocols.has(v)) throw new UsageError(`unknown protocol "${v}": ${[...ir.protocols.keys()].join(', ')}`);
  return v;
}

export function parseFuzzArgs(argv: string[], ir: GrammarIR): FuzzOptions {
  const o: FuzzOptions = { target: 'self', seed: Math.floor(Math.random() * 0x7fffffff), mode: 'all', out: 'fuzz-out', havoc: 0, coverage: true, memoryLimitMb: 2048, persistent: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '--target':
        o.target = value(argv, i++, a);
        if (!o.target.trim()) throw new UsageError('--target takes self, a .js/.mjs/.cjs module or a command');
        break;
      case '-n':
        o.n = integer(value(argv, i++, a), a, 1);
        break;
      case '--seed':
        o.seed = integer(value(argv, i++, a), a, 0);
        if (o.seed > 0x7fffffff) throw new UsageError('--seed takes an integer below 2^31');
        break;
      case '--time': {
        const v = value(argv, i++, a);
        if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new UsageError(`--time takes a positive number of seconds, got "${v}"`);
        o.time = Number(v);
        break;
      }
      case '--mode': {
        const v = value(argv, i++, a);
        if (!(FUZZ_MODES as readonly string[]).includes(v)) throw new UsageError(`invalid --mode "${v}": ${FUZZ_MODES.join(', ')}`);
        o.mode = v as FuzzModeOption;
        break;
      }
      case '--proto':
        o.protocol = protocolOption(ir, value(argv, i++, a));
        break;
      case '--message': {
        const v = value(argv, i++, a);
        if (!ir.messages.has(v)) throw new UsageError(`unknown message "${v}" (mtcgk fields lists the grammar; names are like attach_request)`);
        o.message = v;
        break;
      }
      case '--out':
        o.out = value(argv, i++, a);
        break;
      case '--timeout':
        o.timeout = integer(value(argv, i++, a), a, 1);
        break;
      case '--crash-exit': {
        const v = value(argv, i++, a);
        const codes = v.split(',').map((c) => c.trim());
        if (!codes.every((c) => /^\d+$/.test(c) && Number(c) <= 255)) throw new UsageError(`--crash-exit takes exit codes 0-255 separated by commas, got "${v}"`);
        o.crashCodes = new Set(codes.map(Number));
        break;
      }
      case '--minimise-time': {
        const v = value(argv, i++, a);
        if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`--minimise-time takes seconds, got "${v}"`);
        o.minimiseSec = Number(v);
        break;
      }
      case '--no-coverage':
        o.coverage = false;
        break;
      case '--corpus':
        o.corpus = value(argv, i++, a);
        break;
      case '--memory-limit':
        o.memoryLimitMb = integer(value(argv, i++, a), a, 1);
        break;
      case '--persistent':
        o.persistent = true;
        break;
      case '--replay':
        o.replay = value(argv, i++, a);
        if (!existsSync(o.replay) || !statSync(o.replay).isDirectory()) throw new UsageError(`--replay: ${o.replay} is not a directory`);
        break;
      case '--havoc':
        o.havoc = integer(value(argv, i++, a), a, 0);
        break;
      case '--oracle': {
        const v = value(argv, i++, a);
        if (v !== 'tshark') throw new UsageError(`invalid --oracle "${v}": tshark`);
        o.oracle = v;
        break;
      }
      case '--oracle-fields': {
        const v = value(argv, i++, a).split(',').filter(Boolean);
        if (!v.length || !v.every((f) => /^[A-Za-z0-9_.-]+$/.test(f))) throw new UsageError('--oracle-fields takes filter names separated by commas');
        o.oracleFields = v;
        break;
      }
      default:
        throw new UsageError(a.startsWith('-') ? `unknown fuzz option "${a}"` : `unexpected argument "${a}" (quote a target command: --target 'CMD')`);
    }
  }
  if (o.message && o.protocol && ir.messageProtocols.get(o.message) !== o.protocol) throw new UsageError(`message ${o.message} is not a ${o.protocol} message`);
  if (o.oracle) {
    if (o.target !== 'self') throw new UsageError('--oracle tshark needs --target self');
    const p = o.protocol ?? (o.message ? ir.messageProtocols.get(o.message) : undefined);
    if (p !== undefined && p !== 'nas-eps') throw new UsageError('--oracle tshark compares nas-eps only');
    o.protocol = 'nas-eps';
  }
  if (o.corpus !== undefined && (!o.coverage || !jsModule(o.target))) throw new UsageError('--corpus needs a coverage-guided target: a .js, .mjs or .cjs module, without --no-coverage');
  if (o.persistent) {
    if (o.target === 'self' || jsModule(o.target)) throw new UsageError('--persistent needs a command as --target');
    if (/\{\}|@@/.test(o.target)) throw new UsageError('--persistent feeds the input on stdin: the command takes no {} or @@');
  }
  return o;
}

function progressSink(err: (s: string) => void): (p: Progress) => void {
  // On a terminal one line is rewritten in place; otherwise a line every few seconds.
  const tty = process.stderr.isTTY === true && process.env.VITEST === undefined;
  let last = 0;
  return (p) => {
    const now = performance.now();
    const guided = p.corpus !== undefined ? `, corpus ${p.corpus}, ${p.edges} edges` : '';
    const line = `fuzz: ${p.inputs} inputs, ${(p.inputs / Math.max(0.001, p.elapsedMs / 1000)).toFixed(0)}/s${guided}, ${p.findings} findings, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    if (tty) {
      if (p.done || now - last > 200) process.stderr.write(`\r${line}\x1b[K${p.done ? '\n' : ''}`);
      last = now;
      return;
    }
    if (!p.done && now - last >= 5000) {
      last = now;
      err(line);
    }
  };
}

function fuzz(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const ir = defaultGrammar();
  const o = parseFuzzArgs(argv, ir);
  if (o.help) {
    out(FUZZ_USAGE);
    return 0;
  }
  const n = o.n ?? (o.time !== undefined ? Infinity : 1000);
  const self = o.target === 'self';
  const inProcess = !self && jsModule(o.target) !== undefined;
  let target: Target;
  try {
    if (self) target = selfTarget(ir, o.timeout ?? 1000);
    else if (inProcess) target = jsTarget({ spec: o.target, timeoutMs: o.timeout ?? 1000, memoryLimitMb: o.memoryLimitMb, coverage: o.coverage && !o.replay });
    else if (o.persistent) target = persistentTarget({ command: o.target, timeoutMs: o.timeout ?? 5000 });
    else target = externalTarget({ command: o.target, timeoutMs: o.timeout ?? 5000, crashCodes: o.crashCodes });
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(`--target: ${e.message}`);
    throw e;
  }
  if (o.replay) return replay(o, ir, target, out);
  let oracle: TsharkOracle | undefined;
  if (o.oracle) {
    if (!tsharkAvailable()) throw new UsageError('--oracle tshark: tshark is not installed');
    oracle = new TsharkOracle(o.oracleFields ?? ORACLE_FIELDS);
  }
  const messages = o.message ? [o.message] : messageNames(ir, o.protocol);
  // Generating costs milliseconds an input, a mutation microseconds: self and persistent targets mutate
  // the generated inputs they keep (the tshark oracle and --havoc follow the generated chunks instead).
  const mutating = o.persistent || (self && o.coverage && !oracle && !o.havoc);
  const how = target.coverage ? ', coverage-guided' : o.persistent ? ', persistent' : mutating ? ', mutating generated inputs' : '';
  out(
    `fuzz: target ${target.name}${how}, mode ${o.mode}, seed ${o.seed}, ${messages.length} messages${o.protocol ? ` (${o.protocol})` : ''}${o.havoc ? `, havoc ${o.havoc}` : ''}${oracle ? ', oracle tshark' : ''}`,
  );
  const run = () =>
    runFuzz({
      ir,
      target,
      n,
      seed: o.seed,
      timeSec: o.time,
      mode: o.mode,
      protocol: o.protocol,
      message: o.message,
      out: o.out,
      havoc: o.havoc,
      oracle,
      confirmHangs: self,
      minimiseMs: (o.minimiseSec ?? (self || inProcess ? 5 : 20)) * 1000,
      progress: progressSink(err),
      log: out,
      corpusDir: target.coverage ? (o.corpus ?? join(o.out, 'corpus')) : undefined,
      mutateGenerated: mutating,
    });
  try {
    let r: ReturnType<typeof runFuzz>;
    try {
      r = run();
    } catch (e) {
      if (e instanceof TargetError) throw new UsageError(`--target: ${e.message}`);
      throw e;
    }
    const secs = r.elapsedMs / 1000;
    out(
      `time ${secs.toFixed(1)} s, ${(r.inputs / Math.max(secs, 0.001)).toFixed(0)} inputs/s, seed ${r.seed}${oracle ? `, ${oracle.runs} tshark runs` : ''}${r.findings.length ? `, findings in ${o.out}/findings` : ''}`,
    );
    if (r.corpus) out(`coverage: ${r.corpus.edges} edges, ${r.corpus.entries} inputs kept, ${r.corpus.written} new in ${o.corpus ?? join(o.out, 'corpus')}`);
    out(`${r.inputs} inputs, ${r.findings.length} findings`);
    return r.findings.length ? 1 : 0;
  } finally {
    target.close?.();
    oracle?.close();
  }
}

/** `--replay DIR`: every file once; one line per file with a finding, then the usual last line. */
function replay(o: FuzzOptions, ir: GrammarIR, target: Target, out: (s: string) => void): number {
  try {
    const signatures = new Set<string>();
    const protocol = o.protocol ?? [...ir.protocols.keys()][0];
    const results = replayDir(target, o.replay!, protocol, (r) => {
      if (!r.verdict) return;
      signatures.add(`${r.verdict.kind}\u0000${r.verdict.signature}`);
      out(`${r.file}: ${r.verdict.kind}: ${r.verdict.error}`);
    });
    out(`${results.length} inputs, ${signatures.size} findings`);
    return signatures.size ? 1 : 0;
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(`--target: ${e.message}`);
    throw e;
  } finally {
    target.close?.();
  }
}

function corpus(argv: string[], out: (s: string) => void): number {
  const ir = defaultGrammar();
  if (argv[0] === '-h' || argv[0] === '--help') {
    out(FUZZ_USAGE);
    return 0;
  }
  if (argv[0] !== 'export') throw new UsageError('corpus takes export DIR');
  let dir: string | undefined;
  let dict = false;
  let protocols = [...ir.protocols.keys()];
  let perMessage = 4;
  let seed = 1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--dict':
        dict = true;
        break;
      case '--proto':
        protocols = [protocolOption(ir, value(argv, i++, a))];
        break;
      case '-n':
        perMessage = integer(value(argv, i++, a), a, 1);
        break;
      case '--seed':
        seed = integer(value(argv, i++, a), a, 0);
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown corpus option "${a}"`);
        if (dir !== undefined) throw new UsageError(`corpus export takes one DIR, got "${dir}" and "${a}"`);
        dir = a;
    }
  }
  if (dir === undefined) throw new UsageError('corpus export needs a DIR');
  const r = exportCorpus(ir, { dir, protocols, perMessage, seed, dict });
  for (const [p, ms] of r.messages) out(`${p}: ${ms.length} of ${messageNames(ir, p).length} messages`);
  for (const d of r.dicts) out(`dictionary ${d}`);
  out(`${r.files.length} files in ${dir}`);
  return 0;
}

/** Entry from main(): `fuzz ...` or `corpus ...`; returns the exit code. */
export async function runFuzzCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  return argv[0] === 'corpus' ? corpus(argv.slice(1), out) : fuzz(argv.slice(1), out, err);
}
