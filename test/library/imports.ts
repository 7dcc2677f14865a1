/** The module graph of a TypeScript entry: every relative import followed, bare specifiers collected. */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';

/** import ... from 'x', export ... from 'x', import 'x', import('x'); type-only imports are left out. */
const IMPORT = /(?:^|[;\s])(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export interface ModuleGraph {
  /** Files reached, relative imports resolved to .ts/.tsx. */
  files: Set<string>;
  /** Bare specifiers (packages and built-ins) with the files importing them. */
  external: Map<string, string[]>;
}

function resolveTs(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, `${base}/index.ts`]) {
    if (existsSync(candidate) && candidate.match(/\.tsx?$/)) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${spec}`);
}

export function moduleGraph(entry: string): ModuleGraph {
  const files = new Set<string>();
  const external = new Map<string, string[]>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(IMPORT)) {
      if (m[1]) continue; // import type / export type: erased
      const spec = m[2] ?? m[3];
      if (spec.startsWith('.')) visit(resolveTs(file, spec));
      else external.set(spec, [...(external.get(spec) ?? []), file]);
    }
  };
  visit(resolve(entry));
  return { files, external };
}

/** Node built-ins among the bare specifiers: `node:*` and the unprefixed names (fs, path, ...). */
export function nodeBuiltins(g: ModuleGraph): Map<string, string[]> {
  const builtins = new Set(builtinModules);
  return new Map([...g.external].filter(([spec]) => spec.startsWith('node:') || builtins.has(spec.split('/')[0])));
}
