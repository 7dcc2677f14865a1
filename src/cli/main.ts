#!/usr/bin/env node
/** The mtcgk command: tshark-style dissection of NAS-EPS and group-key messages. */
import { readFileSync } from 'node:fs';
import { encodeWith } from '../api.js';
import { toHex } from '../engine/format.js';
import { GrammarError } from '../grammar/errors.js';
import { InputError, readFrames, type Frame } from '../io/index.js';
import { KeysError } from '../security/keys.js';
import { OrderedDissection } from '../security/ordered.js';
import { allFields, catalogue } from './catalogue.js';
import { parseArgs, USAGE, UsageError, type Options } from './args.js';
import { runCapture } from '../stream/cli.js';
import { dissectFrame } from '../stream/index.js';
import { displayFilter, Exit, hexFrames, readOptions, type Sink, stdoutSink, withDirection } from './frame-output.js';
import { keysSession, readInput } from './input.js';
import { defaultGrammar } from '../grammar/default.js';
import { quickValues } from '../output/quick-values.js';

/** Every frame of the input in memory (the TUI and -z flow); printing streams instead (src/stream/cli.ts). */
function frames(o: Options): Frame[] {
  let out = hexFrames(o);
  const file = o.read ?? o.positional[0];
  // concat, not push(...): a spread of 100,000s of frames overflows the stack
  if (file !== undefined) out = out.concat(readFrames(readInput(file), readOptions(o, file === '-' ? 'stdin' : file)));
  if (!out.length) throw file === undefined ? new Exit(1, 'no input: give -r FILE, --hex HEX or a FILE') : new Exit(2, `${file}: has no messages`);
  return out.map((f) => withDirection(f, o.direction));
}

async function run(o: Options, out: Sink, err: Sink): Promise<number | void> {
  if (o.command === 'help') return out(USAGE);
  if (o.command === 'version') return out(`mtcgk ${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}`);
  if (o.command === 'fields') {
    for (const f of allFields()) {
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
      return out(toHex(encodeWith(value, o.protocol)));
    } catch (e) {
      throw new Exit(2, `cannot encode: ${(e as Error).message}`);
    }
  }
  const newSession = () => keysSession(o);
  const session = newSession();
  // On a terminal, `mtcgk FILE` browses the packets as termshark does; piped or with -V/-x/-T it prints, as tshark.
  const tui = o.positional.length && o.read === undefined && !o.hex.length && !o.verbose && !o.hexDump && o.output === 'text' && process.stdout.isTTY;
  if (o.z === 'flow') return out((await import('./flow.js')).ladderText(frames(o), session.keys, o.protocol));
  if (tui) {
    displayFilter(o.filter); // a bad -Y is an error before the screen opens
    // -c: the first N packets; -Y: the filter applied on opening (termshark's -Y)
    const list = frames(o).slice(0, o.count);
    const unreadable = list.find((f) => f.error === undefined) ? undefined : list[0]?.error;
    if (unreadable !== undefined) throw new Exit(2, unreadable);
    const { runTui } = await import('../tui/index.js'); // ink and React load only for the TUI
    const ordered = new OrderedDissection(list, o.protocol, newSession);
    return runTui({
      frames: list,
      title: o.positional[0] === '-' ? 'stdin' : o.positional[0],
      dissect: (f) => (f.error === undefined ? ordered.dissect(f) : dissectFrame(f, f.protocol ?? o.protocol)),
      reloadKeys: o.keys.length ? () => ordered.reset() : undefined,
      catalogue,
      filter: o.filter,
      quick: o.keys.length
        ? undefined
        : (names) => {
            const values = quickValues(defaultGrammar(), names);
            return values && ((f, n) => values(f, n, f.protocol ?? o.protocol));
          },
    });
  }
  // Printed output is streamed (flat memory, -c and a closed stdout stop the reading), in worker threads with -j N.
  return runCapture(o, out, err, session);
}

const SUBCOMMAND_USAGE: Record<string, (() => Promise<string>) | undefined> = {
  convert: async () => (await import('./convert.js')).CONVERT_USAGE,
  gmsg: async () => (await import('./gmsg.js')).GMSG_USAGE,
  keys: async () => (await import('./keys.js')).KEYS_USAGE,
  flow: async () => (await import('./flow.js')).FLOW_USAGE,
  export: async () => (await import('./export.js')).EXPORT_USAGE,
  fuzz: async () => (await import('./fuzz.js')).FUZZ_USAGE,
  corpus: async () => (await import('./fuzz.js')).FUZZ_USAGE,
  fields: async () => 'Usage: mtcgk fields   (or -G fields) every filter name: F, label, name, type, protocol, base, bitmask, blurb',
  encode: async () => 'Usage: mtcgk encode [--proto P] JSON   encode a JSON value (or - for stdin) and print hex',
};

export async function main(argv: string[], out: Sink = stdoutSink, err: Sink = (s) => void process.stderr.write(s + '\n')): Promise<number> {
  try {
    // `mtcgk CMD --help` and `mtcgk help CMD`: the command's own usage
    const [first, ...rest] = argv[0] === 'help' && argv[1] ? [argv[1], '--help'] : argv;
    const usage = first === undefined ? undefined : SUBCOMMAND_USAGE[first];
    if (usage && rest.some((a) => a === '-h' || a === '--help')) return (out(await usage()), 0);
    if (argv[0] === 'convert') {
      await (await import('./convert.js')).runConvert(argv.slice(1), out, err);
      return 0;
    }
    if (argv[0] === 'gmsg') return await (await import('./gmsg.js')).runGmsg(argv.slice(1), out, err);
    if (argv[0] === 'keys') return ((await import('./keys.js')).runKeys(argv.slice(1), out), 0);
    if (argv[0] === 'flow') return ((await import('./flow.js')).runFlow(argv.slice(1), out), 0);
    if (argv[0] === 'export') return ((await import('./export.js')).runExport(argv.slice(1), out), 0);
    if (argv[0] === 'fuzz' || argv[0] === 'corpus') return await (await import('./fuzz.js')).runFuzzCommand(argv, out, err);
    return (await run(parseArgs(argv), out, err)) ?? 0;
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
    // stdout closed by its reader (`-w /dev/stdout | head`): done, quietly, as with a pipe
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    err(`mtcgk: internal error: ${(e as Error).message}`);
    return 70;
  }
}

/** The command as bin/mtcgk.js runs it. A closed pipe (`mtcgk ... | head`) ends the run quietly, as tshark does. */
export async function cli(argv: string[] = process.argv.slice(2)): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 2));
  process.exitCode = await main(argv);
}
