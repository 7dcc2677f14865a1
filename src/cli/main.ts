#!/usr/bin/env node
/** The mtcgk command: tshark-style dissection of NAS-EPS and group-key messages. */
import { readFileSync } from 'node:fs';
import { dissectFull, encode, toHex } from '../index.js';
import type { DissectResult } from '../engine/dissect.js';
import { GrammarError } from '../grammar/errors.js';
import { defaultGrammar } from '../grammar/load.js';
import { InputError, readFrames, type Frame } from '../io/index.js';
import { fieldsHeader, fieldsLine } from '../output/fields.js';
import { hexDump } from '../output/hexdump.js';
import { packetJson } from '../output/json.js';
import { treeText } from '../output/text.js';
import { parseArgs, USAGE, UsageError, type Options } from './args.js';

class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function readInput(path: string): Uint8Array {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (e) {
    throw new Exit(2, `The file "${path}" could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function frames(o: Options): Frame[] {
  const out: Frame[] = o.hex.map((h, i) => ({ ...readFrames(new TextEncoder().encode(h), { source: `--hex#${i + 1}`, format: 'hexlines' })[0], source: `--hex#${i + 1}` }));
  const file = o.read ?? o.positional[0];
  if (file !== undefined) out.push(...readFrames(readInput(file), { source: file === '-' ? 'stdin' : file, format: o.format, dltMap: o.dltMap, defaultDirection: o.direction }));
  if (!out.length) throw new Exit(1, 'no input: give -r FILE, --hex HEX or a FILE');
  return out.map((f) => ({ ...f, direction: f.direction ?? o.direction }));
}

/** Names of the messages in a decoded value, outermost first, for the Info column. */
function info(r: DissectResult): string {
  const ir = defaultGrammar();
  const names: string[] = [];
  const visit = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const m = (v as Record<string, unknown>).message;
    if (typeof m === 'string' && m !== 'security_protected_nas_message') names.push(ir.messages.get(m)?.label ?? m);
    for (const c of Object.values(v)) visit(c);
  };
  visit(r.value);
  const malformed = r.expert.some((e) => e.severity === 'error') ? ' [Malformed]' : '';
  return (names.join(', ') || 'Unknown') + malformed;
}

async function run(o: Options, out: (s: string) => void): Promise<void> {
  if (o.command === 'help') return out(USAGE);
  if (o.command === 'version') return out(`mtcgk ${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}`);
  if (o.command === 'fields') {
    for (const f of [...defaultGrammar().fields.values()].sort((a, b) => a.filter.localeCompare(b.filter))) {
      out(['F', f.label, f.filter, f.ftype, f.protocol, f.base, '0x0', ''].join('\t'));
    }
    return;
  }
  if (o.command === 'encode') {
    const arg = o.positional[0];
    if (arg === undefined) throw new Exit(1, 'encode needs a JSON value (or - for stdin)');
    let value: unknown;
    try {
      value = JSON.parse(arg === '-' ? new TextDecoder().decode(readInput('-')) : arg);
    } catch (e) {
      throw new Exit(2, `invalid JSON: ${(e as Error).message}`);
    }
    try {
      return out(toHex(encode(value, o.protocol)));
    } catch (e) {
      throw new Exit(2, `cannot encode: ${(e as Error).message}`);
    }
  }
  const list = frames(o).slice(0, o.count);
  if (o.output === 'fields' && o.fields.header) out(fieldsHeader(o.fields));
  const json: unknown[] = [];
  list.forEach((f, i) => {
    const protocol = f.protocol ?? o.protocol;
    const r = dissectFull(f.bytes, protocol);
    const num = i + 1;
    if (o.output === 'fields') return out(fieldsLine([r.tree], o.fields));
    if (o.output === 'json' || o.output === 'jsonl') {
      const p = packetJson({ number: num, source: f.source, direction: f.direction, protocol, tree: r.tree });
      return o.output === 'jsonl' ? out(JSON.stringify(p)) : void json.push(p);
    }
    out(`${String(num).padStart(5)} ${f.source} ${(f.direction ?? '-').toUpperCase()} ${protocol.toUpperCase()} ${f.bytes.length} ${info(r)}`);
    if (o.verbose) out(treeText(r.tree, () => f.bytes));
    if (o.hexDump) out(hexDump(f.bytes));
    if (o.verbose || o.hexDump) out('');
  });
  if (o.output === 'json') out(JSON.stringify(json, null, 2));
}

export async function main(argv: string[], out = (s: string) => void process.stdout.write(s + '\n'), err = (s: string) => void process.stderr.write(s + '\n')): Promise<number> {
  try {
    await run(parseArgs(argv), out);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`mtcgk: ${e.message} (see mtcgk --help)`);
      return 1;
    }
    if (e instanceof Exit) {
      err(`mtcgk: ${e.message}`);
      return e.code;
    }
    if (e instanceof InputError) {
      err(`mtcgk: ${e.message}`);
      return 2;
    }
    if (e instanceof GrammarError) {
      err(`mtcgk: grammar error: ${e.message}`);
      return 2;
    }
    err(`mtcgk: internal error: ${(e as Error).message}`);
    return 70;
  }
}
