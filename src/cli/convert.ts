/**
 * `mtcgk convert`: any input format to pcapng (Wireshark opens it directly), to hex lines, or to a
 * Parquet table of -e fields (streamed, in worker threads with -j N).
 */
import { readFileSync, rmSync } from 'node:fs';
import { DEFAULT_ROW_GROUP_ROWS, ParquetTable } from '../export/parquet.js';
import { writeOutputFile } from '../io/output-file.js';
import { readFrames, writeHexLines, writePcapng, InputError, INBOUND, FORMAT_NAMES, type FormatName } from '../io/index.js';
import { runCapture } from '../stream/cli.js';
import { parseArgs, UsageError } from './args.js';
import { Exit } from './frame-output.js';
import { keysSession } from './input.js';

export const CONVERT_USAGE = `Usage: mtcgk convert --to pcapng|hex [--dlt 252|147] [--in FORMAT] [--proto P] -r FILE -w OUT   (-w - for stdout)
       mtcgk convert --to parquet -r FILE -w OUT.parquet -e FIELD... [-E occurrence=a|f|l|N] [-j N]
                     [--keys F] [--in FORMAT] [--proto P] [--dir ul|dl] [--row-group ROWS]`;

export async function runConvert(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const at = argv.indexOf('--to');
  if (at >= 0 && argv[at + 1] === 'parquet') return toParquet([...argv.slice(0, at), ...argv.slice(at + 2)], out, err);
  let to: string | undefined;
  let dlt = 252;
  let input: string | undefined;
  let output: string | undefined;
  let format: FormatName | undefined;
  let protocol = 'nas-eps';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (argv[i + 1] === undefined) throw new UsageError(`option ${a} requires a value`);
      return argv[++i];
    };
    if (a === '--to') to = value();
    else if (a === '--dlt') dlt = Number(value());
    else if (a === '-r') input = value();
    else if (a === '-w') output = value();
    else if (a === '--proto') protocol = value();
    else if (a === '--in') {
      const f = value();
      if (!(FORMAT_NAMES as readonly string[]).includes(f)) throw new UsageError(`invalid --in "${f}"`);
      format = f as FormatName;
    } else throw new UsageError(`unknown convert option "${a}"`);
  }
  if (to !== 'pcapng' && to !== 'hex') throw new UsageError(`convert needs --to pcapng, hex or parquet\n${CONVERT_USAGE}`);
  if (dlt !== 252 && dlt !== 147) throw new UsageError('--dlt takes 252 (exported PDU) or 147 (user link type 0)');
  if (!input || !output) throw new UsageError(`convert needs -r FILE and -w OUT\n${CONVERT_USAGE}`);
  let bytes: Uint8Array;
  try {
    bytes = input === '-' ? readFileSync(0) : readFileSync(input);
  } catch (e) {
    throw new InputError(input, `could not be read: ${(e as NodeJS.ErrnoException).code}`);
  }
  // directions as -r reads them; every frame names its protocol, so Diameter reads back as Diameter
  const frames = readFrames(bytes, { source: input, format, inboundDirection: INBOUND }).map((f) => ({ ...f, protocol: f.protocol ?? protocol }));
  const unreadable = frames.find((f) => f.error !== undefined);
  if (unreadable) throw new InputError(unreadable.source, `${unreadable.error!.slice(unreadable.error!.indexOf(': ') + 2)} (convert keeps every message or none)`);
  const written = to === 'pcapng' ? writePcapng(frames, { linkType: dlt as 252 | 147, defaultProtocol: protocol }) : writeHexLines(frames);
  // -w -: stdout, as tshark -w - (the file as is, no summary line)
  if (output === '-') return void process.stdout.write(written);
  writeOutputFile(output, written);
  out(`${frames.length} messages written to ${output}`);
}

/**
 * --to parquet: the options are the dissector's (-r, -e, -E occurrence, -j, --keys, --in, --proto,
 * --dir, --dlt-map, -Y, -c) with -w and --row-group; the rows stream through the CLI's capture run.
 */
async function toParquet(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<void> {
  let output: string | undefined;
  let rowGroupRows = DEFAULT_ROW_GROUP_ROWS;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a !== '-w' && a !== '--row-group') {
      rest.push(a);
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`option ${a} requires a value`);
    if (a === '-w') output = v;
    else if (/^[1-9]\d*$/.test(v)) rowGroupRows = Number(v);
    else throw new UsageError('--row-group takes a positive number of rows');
  }
  // the rows are -T fields values: parsed as such, then written as a table
  if (!rest.some((a) => a.startsWith('-e'))) throw new UsageError('convert --to parquet needs at least one -e FIELD');
  if (rest.some((a) => a.startsWith('-T'))) throw new UsageError(`convert --to parquet takes no -T\n${CONVERT_USAGE}`);
  const o = parseArgs([...rest, '-T', 'fields']);
  if (o.command !== 'dissect' || o.positional.length || o.hex.length || o.verbose || o.hexDump || o.z) {
    throw new UsageError(`convert --to parquet takes -r FILE, -w OUT and -e FIELD options\n${CONVERT_USAGE}`);
  }
  if (o.read === undefined || output === undefined) throw new UsageError(`convert needs -r FILE and -w OUT\n${CONVERT_USAGE}`);
  if (!o.fields.fields.length) throw new UsageError('convert --to parquet needs at least one -e FIELD');
  o.output = 'parquet';
  const session = keysSession(o);
  const unwritable = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    throw code === undefined ? e : new Exit(2, `The file "${output}" could not be written: ${code}`);
  };
  let table: ParquetTable;
  try {
    table = new ParquetTable(output, { fields: o.fields, file: o.read, rowGroupRows });
  } catch (e) {
    return unwritable(e);
  }
  try {
    await runCapture(o, (line) => table.add(line), err, session);
    table.finish();
  } catch (e) {
    rmSync(output, { force: true });
    if (e instanceof Exit) throw e;
    return unwritable(e);
  }
  const untyped = table.untyped ? ` (${table.untyped} values not of their column's type left out)` : '';
  out(`${table.rows} messages written to ${output}${untyped}`);
}
