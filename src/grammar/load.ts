/** Reads the grammar files from disk (Node only); the rest of the grammar layer works on parsed data. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { buildGrammar, type GrammarSource } from './build.js';
import { GrammarError } from './errors.js';
import type { GrammarIR } from './ir.js';

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

export function loadGrammarDir(dir = GRAMMAR_DIR): GrammarIR {
  return buildGrammar(yamlFiles(dir).map((f) => parseGrammarText(relative(join(dir, '..'), f), readFileSync(f, 'utf8'))));
}

let cached: GrammarIR | undefined;
/** The bundled grammars, loaded once. */
export const defaultGrammar = (): GrammarIR => (cached ??= loadGrammarDir());
