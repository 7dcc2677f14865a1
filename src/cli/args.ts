/** Command-line options in tshark's style. A bad option is a UsageError (exit 1). */
import { FORMAT_NAMES, type FormatName } from '../io/index.js';
import { DEFAULT_FIELDS_OPTIONS, type FieldsOptions } from '../output/fields.js';

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
  /** -z flow: print the capture as a ladder diagram instead of the packets. */
  z?: 'flow';
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

export function parseArgs(argv: string[]): Options {
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
    positional: [],
  };
  let i = 0;
  if (argv[0] === 'fields' || argv[0] === 'encode') {
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
        o.protocol = needValue(argv, i++, a);
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
        if (v !== 'flow') throw new UsageError(`invalid -z "${v}": flow`);
        o.z = v;
        break;
      }
      case '-O':
        o.onlyProtocols = needValue(argv, i++, a).split(',').map((p) => p.trim().toLowerCase());
        o.verbose = true;
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
  if (o.output === 'fields' && o.command === 'dissect' && o.fields.fields.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  return o;
}

export const USAGE = `Usage: mtcgk [options] [FILE]
       mtcgk fields                    list every filter name (like tshark -G fields)
       mtcgk encode [--proto P] JSON   encode a JSON value (or - for stdin) and print hex
       mtcgk gmsg protect|verify ...   build or check protected group messages (mtcgk gmsg for help)
       mtcgk flow --variant hss|mme --ues N --out DIR ...   capture of the seed's Figure 1.a/1.b (mtcgk flow for help)
       mtcgk export lua [--out F.lua]  a Wireshark Lua dissector generated from the grammars
       mtcgk convert --to pcapng|hex -r FILE -w OUT   convert a capture (pcapng opens in Wireshark as is)
       mtcgk convert --to parquet -r FILE -w OUT.parquet -e FIELD...   a Parquet table, a row per message

Input:
  -r FILE            read messages from FILE (- for stdin): hex lines, hexdump -C, xxd, od,
                     text2pcap dumps, pcap/pcapng, JSON lines, raw binary (auto-detected)
  --hex HEX          decode one message given as hex
  --in FORMAT        force the input format (hexlines, text2pcap, hexdump, xxd, od, raw, pcap, pcapng, jsonl)
  --proto PROTO      protocol of inputs that do not say (default nas-eps)
  --dlt-map N=PROTO  map a pcap link type to a protocol (default 147=nas-eps)
  --dir ul|dl        direction of messages whose input does not say
  -c N               stop after N messages
  -j N               dissect a capture file in N worker threads, output in capture order (with
                     --keys: 1, as NAS COUNT and security contexts follow the capture in order)
  --keys FILE        keys file (JSON, repeatable): NAS security contexts and group keys; MACs are
                     verified, ciphered messages deciphered
  -Y FILTER          display filter: only messages that match (==, !=, <, >, contains, matches,
                     in {..}, &&, ||, !, field presence)
  -z flow            a ladder diagram of a flow capture (mtcgk flow) instead of the packets
Output:
  -V                 packet details tree
  -O PROTO,...       details only for these protocols (nas-eps, gmsg, diameter)
  -x                 hex dump after each packet
  -T text|json|jsonl|ek|fields   ek: Elasticsearch bulk lines as tshark -T ek
  -e FIELD           a field to print with -T fields or -T ek (repeatable)
  -E header=y|n, separator=/t|/s|C, aggregator=C, occurrence=a|f|l|N, quote=n|d|s
Exit status: 0 input read (even if messages are malformed), 1 bad options, 2 unreadable input.`;
