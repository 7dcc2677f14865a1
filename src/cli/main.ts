#!/usr/bin/env node
/** The mtcgk command: tshark-style dissection of NAS-EPS and group-key messages. */
import { readFileSync } from 'node:fs';
import { dissectFull, encode } from '../api.js';
import { toHex } from '../engine/format.js';
import { GrammarError } from '../grammar/errors.js';
import { defaultGrammar } from '../grammar/load.js';
import { InputError, readFrames, type Frame } from '../io/index.js';
import { fieldsHeader } from '../output/fields.js';
import { KeysError, mergeKeys, parseKeys } from '../security/keys.js';
import { OrderedDissection } from '../security/ordered.js';
import { SecuritySession } from '../security/session.js';
import { parseArgs, USAGE, UsageError, type Options } from './args.js';
import { runConvert } from './convert.js';
import { runGmsg } from './gmsg.js';
import { runCapture } from '../stream/cli.js';
import { displayFilter, Exit, jsonArray, readOptions, renderFrame, type Sink, stdoutSink } from './frame-output.js';
import { keysSession, readInput } from './input.js';

function frames(o: Options): Frame[] {
  const out: Frame[] = o.hex.map((h, i) => ({ ...readFrames(new TextEncoder().encode(h), { source: `--hex#${i + 1}`, format: 'hexlines' })[0], source: `--hex#${i + 1}` }));
  const file = o.read ?? o.positional[0];
  if (file !== undefined) out.push(...readFrames(readInput(file), readOptions(o, file === '-' ? 'stdin' : file)));
  if (!out.length) throw file === undefined ? new Exit(1, 'no input: give -r FILE, --hex HEX or a FILE') : new Exit(2, `${file}: has no messages`);
  return out.map((f) => ({ ...f, direction: f.direction ?? o.direction }));
}

async function run(o: Options, out: (s: string) => void): Promise<number | void> {
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
  const newSession = () => keysSession(o);
  const session = newSession();
  const matches = displayFilter(o.filter);
  // On a terminal, `mtcgk FILE` browses the packets as termshark does; piped or with -V/-x/-T it prints, as tshark.
  const tui = o.positional.length && o.read === undefined && !o.hex.length && !o.verbose && !o.hexDump && o.output === 'text' && process.stdout.isTTY;
  if (o.z === 'flow') return out((await import('./flow.js')).ladderText(frames(o), session.keys, o.protocol));
  // Capture files read as a stream (flat memory) with -T fields and ek, in worker threads with -j N (src/stream/cli.ts).
  if (!tui && (o.read ?? o.positional[0]) !== undefined && (o.output === 'fields' || o.output === 'ek' || (o.jobs ?? 1) > 1)) return runCapture(o, out, session);
  const list = frames(o);
  if (tui) {
    const ir = defaultGrammar();
    const { runTui } = await import('../tui/index.js'); // ink and React load only for the TUI
    const ordered = new OrderedDissection(list, o.protocol, newSession);
    return runTui({
      frames: list,
      title: o.positional[0] === '-' ? 'stdin' : o.positional[0],
      dissect: (f) => ordered.dissect(f),
      reloadKeys: o.keys.length ? () => ordered.reset() : undefined,
      catalogue: { has: (name) => ir.fields.has(name) || ir.protocols.has(name) },
    });
  }
  if (o.output === 'fields' && o.fields.header) out(fieldsHeader(o.fields));
  const json: string[] = [];
  let shown = 0;
  list.forEach((f, i) => {
    if (o.count !== undefined && shown >= o.count) return;
    const protocol = f.protocol ?? o.protocol;
    // Every message goes through the session in order, shown or not, so COUNT state stays right.
    const r = dissectFull(f.bytes, protocol, { session, direction: f.direction, receiver: f.destination });
    if (!matches(r)) return;
    shown++;
    const lines = renderFrame(o, f, i + 1, protocol, r);
    if (o.output === 'json') json.push(...lines);
    else lines.forEach((line) => out(line));
  });
  if (o.output === 'json') out(jsonArray(json));
}

export async function main(argv: string[], out: Sink = stdoutSink, err: Sink = (s) => void process.stderr.write(s + '\n')): Promise<number> {
  try {
    if (argv[0] === 'convert') {
      await runConvert(argv.slice(1), out);
      return 0;
    }
    if (argv[0] === 'gmsg') return await runGmsg(argv.slice(1), out, err);
    if (argv[0] === 'keys') return ((await import('./keys.js')).runKeys(argv.slice(1), out), 0);
    if (argv[0] === 'flow') return ((await import('./flow.js')).runFlow(argv.slice(1), out), 0);
    if (argv[0] === 'export') return ((await import('./export.js')).runExport(argv.slice(1), out), 0);
    if (argv[0] === 'fuzz' || argv[0] === 'corpus') return await (await import('./fuzz.js')).runFuzzCommand(argv, out, err);
    return (await run(parseArgs(argv), out)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`mtcgk: ${e.message} (see mtcgk --help)`);
      return 1;
    }
    if (e instanceof Exit) {
      err(`mtcgk: ${e.message}`);
      return e.code;
    }
    if (e instanceof InputError || e instanceof KeysError) {
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
