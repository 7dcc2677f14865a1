/**
 * Coverage for in-process JS targets: istanbul-lib-instrument adds counters to the target's code and
 * to every module it imports outside node_modules (an ES module loader hook, and a wrapper of the
 * CommonJS compiler for require()); after each input the counters are read, bucketed by hit count
 * as AFL does, and cleared. Why istanbul and not V8 block coverage: docs/fuzzing.md.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';

/** The global the instrumented code counts into. */
export const COVERAGE_VARIABLE = '__mtcgk_fuzz_coverage__';

interface Instrumenter {
  instrumentSync(code: string, filename: string): string;
}
type CreateInstrumenter = (o: Record<string, unknown>) => Instrumenter;

const require = createRequire(import.meta.url);

/** Options shared by both hooks: original line numbers in stack traces (finding signatures). */
const instrumenterOptions = (esModules: boolean) => ({ esModules, coverageVariable: COVERAGE_VARIABLE, compact: false, produceSourceMap: false, generatorOpts: { retainLines: true } });

/** Only the user's code: files outside node_modules. */
export const instrumentable = (path: string): boolean => !path.includes('/node_modules/') && !path.includes('\\node_modules\\');

/**
 * The ES module hook, run in Node's loader thread. It is a data: URL so that it loads the same way
 * from the TypeScript sources and from dist/; `data.instrumenter` is where to require istanbul from.
 */
const HOOK = `
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
let instrumenter;
let options;
export async function initialize(data) {
  options = data.options;
  instrumenter = createRequire(data.base)('istanbul-lib-instrument').createInstrumenter(options);
}
export async function load(url, context, nextLoad) {
  const r = await nextLoad(url, context);
  if (r.format !== 'module' || !url.startsWith('file:') || r.source == null) return r;
  const path = fileURLToPath(url);
  if (path.includes('/node_modules/') || path.includes('\\\\node_modules\\\\')) return r;
  const code = typeof r.source === 'string' ? r.source : new TextDecoder().decode(r.source);
  try {
    return { ...r, source: instrumenter.instrumentSync(code, path) };
  } catch {
    return r;
  }
}
`;

/** Instruments every module loaded after this call (in the calling thread). */
export function installCoverageHooks(): void {
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { base: import.meta.url, options: instrumenterOptions(true) } });
  const create = require('istanbul-lib-instrument').createInstrumenter as CreateInstrumenter;
  const cjs = create(instrumenterOptions(false));
  type Compile = (this: unknown, content: string, filename: string) => unknown;
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const compile = proto._compile;
  proto._compile = function (content, filename) {
    let code = content;
    if (instrumentable(filename)) {
      try {
        code = cjs.instrumentSync(content, filename);
      } catch {
        // Not parseable by babel: run it as it is, without coverage.
      }
    }
    return compile.call(this, code, filename);
  };
}

interface FileCoverage {
  s: Record<number, number>;
  f: Record<number, number>;
  b: Record<number, number[]>;
}

/** AFL's hit-count buckets: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+ as one bit each. */
function bucket(n: number): number {
  if (n <= 3) return n === 3 ? 4 : n;
  if (n < 8) return 8;
  if (n < 16) return 16;
  if (n < 32) return 32;
  return n < 128 ? 64 : 128;
}

/**
 * Counters of every instrumented file, read after each input. A coverage point is a statement, a
 * function or one arm of a branch; an input is new when a point is hit for the first time or in a
 * hit-count bucket not seen before.
 */
export class CoverageMap {
  private files: Array<{ s: Record<number, number>; ns: number; f: Record<number, number>; nf: number; b: number[][]; base: number }> = [];
  private known = 0;
  private virgin = new Uint8Array(0);
  private size = 0;
  /** Coverage points hit at least once. */
  edges = 0;

  /** The instrumented files. */
  paths(): string[] {
    const all = (globalThis as Record<string, unknown>)[COVERAGE_VARIABLE] as Record<string, unknown> | undefined;
    return all ? Object.keys(all) : [];
  }

  private refresh(): void {
    const all = (globalThis as Record<string, unknown>)[COVERAGE_VARIABLE] as Record<string, FileCoverage> | undefined;
    if (!all) return;
    const names = Object.keys(all);
    if (names.length === this.known) return;
    for (const name of names.slice(this.known)) {
      const c = all[name];
      const b = Object.values(c.b);
      const file = { s: c.s, ns: Object.keys(c.s).length, f: c.f, nf: Object.keys(c.f).length, b, base: this.size };
      this.size += file.ns + file.nf + b.reduce((a, arms) => a + arms.length, 0);
      this.files.push(file);
    }
    this.known = names.length;
    const grown = new Uint8Array(this.size);
    grown.set(this.virgin);
    this.virgin = grown;
  }

  /** Reads and clears the counters; true when the input reached something new. */
  collect(): boolean {
    this.refresh();
    let fresh = false;
    const v = this.virgin;
    const mark = (at: number, n: number) => {
      const bit = bucket(n);
      if (v[at] & bit) return;
      if (!v[at]) this.edges++;
      v[at] |= bit;
      fresh = true;
    };
    for (const file of this.files) {
      let at = file.base;
      for (let i = 0; i < file.ns; i++, at++) {
        const n = file.s[i];
        if (n) {
          file.s[i] = 0;
          mark(at, n);
        }
      }
      for (let i = 0; i < file.nf; i++, at++) {
        const n = file.f[i];
        if (n) {
          file.f[i] = 0;
          mark(at, n);
        }
      }
      for (const arms of file.b) {
        for (let i = 0; i < arms.length; i++, at++) {
          const n = arms[i];
          if (n) {
            arms[i] = 0;
            mark(at, n);
          }
        }
      }
    }
    return fresh;
  }
}

/** An integer literal on either side of ==, ===, != or !==. */
const COMPARED = /(?:[!=]==?\s*(0x[0-9a-f]+|\d+)\b)|(?:\b(0x[0-9a-f]+|\d+)\s*[!=]==?)/gi;

/**
 * Octet values the code compares with (AFL++'s auto-dictionary, from the source text): mutations
 * try them, so a comparison with a constant is passed in tens of tries, not hundreds.
 */
export function comparedOctets(paths: string[]): Set<number> {
  const out = new Set<number>();
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(COMPARED)) {
      const v = Number(m[1] ?? m[2]);
      if (v >= 0 && v <= 255) out.add(v);
    }
  }
  return out;
}
