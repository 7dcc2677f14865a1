/** Command-line options in tshark's style. A bad option is a UsageError (exit 1). */
import { FORMAT_NAMES, type FormatName } from '../io/index.js';
import { DEFAULT_FIELDS_OPTIONS, type FieldsOptions } from '../output/fields.js';
import { catalogue, protocolNames } from './catalogue.js';

export class UsageError extends Error {}

/** -T choices, and 'parquet': the rows `mtcgk convert --to parquet` writes (not a -T choice). */
export type OutputFormat = 'text' | 'json' | 'jsonl' | 'fields' | 'ek' | 'parquet';

export interface Options {
  command: 'dissect' | 'fields' | 'encode' | 'help' | 'version';
  read?: string;
  hex: string[];
  verbose: boolean;
  hexDump: boolean;
  output: OutputFormat;
  fields: FieldsOptions;
  protocol: string;
  format?: FormatName;
  dltMap: Record<number, string>;
  direction?: 'ul' | 'dl';
  count?: number;
  keys: string[];
  /** -j N: dissect a capture file with N worker threads (1 with --keys: NAS security state is order-dependent). */
  jobs?: number;
  filter?: string;
  /** -O: details only for these protocols. */
  onlyProtocols?: string[];
  /** -z flow: print the capture as a ladder diagram instead of the packets; -z expert: expert info counts after them. */
  z?: 'flow' | 'expert';
  /** -q: no packet output (with -z expert, only the table). */
  quiet: boolean;
  positional: string[];
}

const needValue = (argv: string[], i: number, flag: string): string => {
  const v = argv[i + 1];
  if (v === undefined) throw new UsageError(`option ${flag} requires a value`);
  return v;
};

function fieldsOption(o: FieldsOptions, spec: string): void {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new UsageError(`-E takes name=value, got "${spec}"`);
  const [k, v] = [spec.slice(0, eq), spec.slice(eq + 1)];
  const unescapeSeparator = (s: string) => (s === '/t' ? '\t' : s === '/s' ? ' ' : s);
  switch (k) {
    case 'header':
      if (v !== 'y' && v !== 'n') throw new UsageError('-E header takes y or n');
      o.header = v === 'y';
      break;
    case 'separator':
      o.separator = unescapeSeparator(v);
      break;
    case 'aggregator':
      o.aggregator = unescapeSeparator(v);
      break;
    case 'occurrence':
      if (v === 'a' || v === 'f' || v === 'l') o.occurrence = v;
      else if (/^[1-9]\d*$/.test(v)) o.occurrence = Number(v);
      else throw new UsageError('-E occurrence takes a, f, l or a number');
      break;
    case 'quote':
      if (v !== 'n' && v !== 'd' && v !== 's') throw new UsageError('-E quote takes n, d or s');
      o.quote = v;
      break;
    default:
      throw new UsageError(`unknown -E option "${k}"`);
  }
}

/** Options that take a value: tshark's letters take it attached too (`-c1`, `-Tfields`), long ones after '=' (`--keys=k.json`). */
const WITH_VALUE = new Set(['-r', '--hex', '-T', '-e', '-E', '--proto', '--in', '--dlt-map', '--dir', '--keys', '-Y', '-z', '-O', '-j', '-c', '-G']);

/** One-letter options without a value, which may be grouped (`-Vx`). */
const FLAGS = 'hvVxq2';

/** The arguments with attached values split off: `-c1` -> `-c 1`, `--keys=k.json` -> `--keys k.json`. */
export function splitAttached(argv: readonly string[], withValue: ReadonlySet<string> = WITH_VALUE): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (/^-[A-Za-z]./.test(a) && withValue.has(a.slice(0, 2))) out.push(a.slice(0, 2), a.slice(2));
    else if (/^-[A-Za-z0-9]{2,}$/.test(a) && [...a.slice(1)].every((c) => FLAGS.includes(c)))
      out.push(...[...a.slice(1)].map((c) => `-${c}`)); // -Vx
    else if (a.startsWith('--') && eq > 2 && withValue.has(a.slice(0, eq))) out.push(a.slice(0, eq), a.slice(eq + 1));
    else if (withValue.has(a) && i + 1 < argv.length)
      out.push(a, argv[++i]!); // a value that looks like an option stays a value
    else out.push(a);
  }
  return out;
}

/** A protocol name as tshark's -O and our --proto take it; anything else is a usage error. */
function protocolName(name: string, flag: string): string {
  if (!protocolNames().includes(name)) throw new UsageError(`${flag}: "${name}" is not a protocol (${protocolNames().join(', ')})`);
  return name;
}

export function parseArgs(given: string[]): Options {
  const argv = splitAttached(given);
  const o: Options = {
    command: 'dissect',
    hex: [],
    verbose: false,
    hexDump: false,
    output: 'text',
    fields: { ...DEFAULT_FIELDS_OPTIONS, fields: [] },
    protocol: 'nas-eps',
    dltMap: { 147: 'nas-eps' },
    keys: [],
    quiet: false,
    positional: [],
  };
  let i = 0;
  if (argv[0] === 'fields' || argv[0] === 'encode' || argv[0] === 'help') {
    o.command = argv[0];
    i = 1;
  }
  for (; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '-h':
      case '--help':
        o.command = 'help';
        break;
      case '-v':
      case '--version':
        o.command = 'version';
        break;
      case '-r':
        o.read = needValue(argv, i++, a);
        break;
      case '--hex':
        o.hex.push(needValue(argv, i++, a));
        break;
      case '-V':
        o.verbose = true;
        break;
      case '-x':
        o.hexDump = true;
        break;
      case '-T': {
        const v = needValue(argv, i++, a);
        if (!['text', 'json', 'jsonl', 'fields', 'ek'].includes(v)) throw new UsageError(`invalid -T "${v}": text, json, jsonl, ek or fields`);
        o.output = v as OutputFormat;
        break;
      }
      case '-e':
        o.fields.fields.push(needValue(argv, i++, a));
        break;
      case '-E':
        fieldsOption(o.fields, needValue(argv, i++, a));
        break;
      case '--proto':
        o.protocol = protocolName(needValue(argv, i++, a), a);
        break;
      case '--in': {
        const v = needValue(argv, i++, a);
        if (!(FORMAT_NAMES as readonly string[]).includes(v)) throw new UsageError(`invalid --in "${v}": ${FORMAT_NAMES.join(', ')}`);
        o.format = v as FormatName;
        break;
      }
      case '--dlt-map':
        for (const pair of needValue(argv, i++, a).split(',')) {
          const m = pair.match(/^(\d+)=([a-z0-9-]+)$/);
          if (!m) throw new UsageError(`invalid --dlt-map entry "${pair}": DLT=protocol`);
          o.dltMap[Number(m[1])] = m[2];
        }
        break;
      case '--dir': {
        const v = needValue(argv, i++, a).toLowerCase();
        if (v !== 'ul' && v !== 'dl') throw new UsageError('--dir takes ul or dl');
        o.direction = v;
        break;
      }
      case '--keys':
        o.keys.push(needValue(argv, i++, a));
        break;
      case '-Y':
        o.filter = needValue(argv, i++, a);
        break;
      case '-z': {
        const v = needValue(argv, i++, a);
        if (v !== 'flow' && v !== 'expert') throw new UsageError(`invalid -z "${v}": flow or expert`);
        o.z = v;
        break;
      }
      case '-O':
        o.onlyProtocols = needValue(argv, i++, a)
          .split(',')
          .map((p) => protocolName(p.trim().toLowerCase(), a));
        o.verbose = true;
        break;
      case '-G': {
        const v = needValue(argv, i++, a);
        if (v !== 'fields') throw new UsageError(`invalid -G "${v}": fields`);
        o.command = 'fields';
        break;
      }
      case '-q':
        o.quiet = true;
        break;
      case '-2': // tshark's two passes: one pass sees everything here (see the README)
        break;
      case '-j': {
        const v = needValue(argv, i++, a);
        if (!/^[1-9]\d*$/.test(v)) throw new UsageError('-j takes a positive number of threads');
        o.jobs = Number(v);
        break;
      }
      case '-c': {
        const v = needValue(argv, i++, a);
        if (!/^[1-9]\d*$/.test(v)) throw new UsageError('-c takes a positive count');
        o.count = Number(v);
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a}"`);
        o.positional.push(a);
    }
  }
  if (o.command !== 'dissect') return o;
  if (o.output === 'fields' && o.fields.fields.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  if (o.output !== 'fields' && o.output !== 'ek' && o.fields.fields.length) throw new UsageError('-e FIELD needs -T fields or -T ek');
  const unknown = o.fields.fields.filter((f) => !catalogue.has(f));
  if (unknown.length) throw new UsageError(`Some fields aren't valid: ${unknown.join(', ')} (mtcgk fields lists them)`);
  return o;
}

export const USAGE = `Usage: mtcgk [options] -r FILE      print the messages of a capture, as tshark
       mtcgk [options] FILE         on a terminal: browse it in the three-pane TUI, as termshark
                                    (? for its keys; -Y, -c and --keys apply; piped: as -r FILE)
       mtcgk fields                 list every filter name (also -G fields, like tshark)
       mtcgk encode [--proto P] JSON   encode a JSON value (or - for stdin) and print hex
       mtcgk gmsg protect|verify ...   build or check protected group messages
       mtcgk flow --variant hss|mme --ues N --out DIR ...   capture of the seed's Figure 1.a/1.b
       mtcgk export lua [--out F.lua]  a Wireshark Lua dissector generated from the grammars
       mtcgk convert --to pcapng|hex -r FILE -w OUT   convert a capture (pcapng opens in Wireshark as is)
       mtcgk convert --to parquet -r FILE -w OUT.parquet -e FIELD...   a Parquet table, a row per message
       mtcgk keys export|import ...    group keys as an RFC 6031 key package (DER)
       mtcgk fuzz [--target self|CMD] [-n N] ...   fuzz the dissector or another parser
       mtcgk corpus export DIR [--dict]            AFL/libFuzzer seeds and dictionary
       mtcgk help [COMMAND]         this text, or a command's options (also COMMAND --help)

Input:
  -r FILE            read messages from FILE (- for stdin): hex lines, hexdump -C, xxd, od,
                     text2pcap dumps, pcap/pcapng, JSON lines, raw binary (auto-detected)
  --hex HEX          decode one message given as hex
  --in FORMAT        force the input format (hexlines, text2pcap, hexdump, xxd, od, raw, pcap, pcapng, jsonl)
  --proto PROTO      protocol of inputs that do not say (default nas-eps)
  --dlt-map N=PROTO  map a pcap link type to a protocol (default 147=nas-eps)
  --dir ul|dl        direction of messages whose input does not say
  -c N               stop after N messages (one-letter options take values attached too: -c1)
  -j N               dissect a capture file in N worker threads, output in capture order (with
                     --keys: 1, as NAS COUNT and security contexts follow the capture in order)
  --keys FILE        keys file (JSON, repeatable): NAS security contexts and group keys; MACs are
                     verified, ciphered messages deciphered
  -Y FILTER          display filter: only messages that match (==, !=, <, >, contains, matches,
                     in {..}, &&, ||, !, field presence)
  -z flow            a ladder diagram of a flow capture (mtcgk flow) instead of the packets
  -z expert          after the packets, how often each expert item occurred
  -q                 no packet output (with -z expert: the table only)
  -2                 accepted for tshark's two passes; one pass sees everything here
Output:
  -V                 packet details tree
  -O PROTO,...       details only for these protocols (nas-eps, gmsg, diameter)
  -G fields          the field list (as mtcgk fields)
  -x                 hex dump after each packet
  -T text|json|jsonl|ek|fields   ek: Elasticsearch bulk lines as tshark -T ek
  -e FIELD           a field to print with -T fields or -T ek (repeatable; frame.number, frame.direction, _ws.col.Info, ...)
  -E header=y|n, separator=/t|/s|C, aggregator=C, occurrence=a|f|l|N, quote=n|d|s
Exit status: 0 input read (even if messages are malformed), 1 bad options, 2 unreadable input.`;
