/**
 * The default grammar, built from the grammar files bundled as data (src/grammar/bundled.ts, written
 * by scripts/bundle-grammars.ts). No file system: this is what the library uses in Node and in a
 * browser alike. Reading grammar files from a directory is src/grammar/load.ts (Node only).
 */
import { buildGrammar, type GrammarSource } from './build.js';
import { BUNDLED_GRAMMARS } from './bundled.js';
import type { GrammarIR } from './ir.js';

/** The parsed grammar files the package ships, `[{file, data}]`, in path order. */
export const bundledGrammarSources = (): GrammarSource[] => BUNDLED_GRAMMARS.map(({ file, json }) => ({ file, data: JSON.parse(json) }));

let cached: GrammarIR | undefined;
/** The bundled grammars, built once. */
export const defaultGrammar = (): GrammarIR => (cached ??= buildGrammar(bundledGrammarSources()));
/** Whether `ir` is the bundled grammar defaultGrammar() built (code generated from it applies). */
export const isDefaultGrammar = (ir: GrammarIR): boolean => ir === cached;
