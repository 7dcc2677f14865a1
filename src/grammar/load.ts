/**
 * Reads grammar files from disk (Node only: the CLI, tests and build scripts). The library's
 * default grammar comes from the bundle instead (src/grammar/default.ts), with no file system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { buildGrammar, type GrammarSource } from './build.js';
import { GrammarError } from './errors.js';
import type { GrammarIR } from './ir.js';

export { bundledGrammarSources, defaultGrammar } from './default.js';

export const GRAMMAR_DIR = fileURLToPath(new URL('../../grammars/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []))
    .sort();
}

/** Parses one YAML text; syntax errors name the file and line. */
export function parseGrammarText(file: string, text: string): GrammarSource {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new GrammarError(file, `line ${e.linePos?.[0].line ?? '?'}`, e.message.split('\n')[0]);
  }
  return { file, data: doc.toJS() };
}

/** The parsed grammar files of a directory, named relative to its parent (`grammars/nas-eps/...`), in path order. */
export function readGrammarSources(dir = GRAMMAR_DIR): GrammarSource[] {
  return yamlFiles(dir).map((f) => parseGrammarText(relative(join(dir, '..'), f).split('\\').join('/'), readFileSync(f, 'utf8')));
}

/** A grammar built from the YAML files under `dir` (default: the package's grammars/). */
export function loadGrammarDir(dir = GRAMMAR_DIR): GrammarIR {
  return buildGrammar(readGrammarSources(dir));
}
