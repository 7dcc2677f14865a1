/**
 * What the mtcgk command prints for one dissected frame, its -Y predicate and how it reads capture
 * files: shared by the whole-capture path (main.ts) and the streamed one (src/stream/cli.ts).
 */
import type { DissectResult } from '../engine/dissect.js';
import { compileFilter, FilterError, filterFields, type FieldValues } from '../filter/index.js';
import { defaultGrammar } from '../grammar/default.js';
import { quickValues } from '../output/quick-values.js';
import { INBOUND, InputError, readFrames, type Frame, type ReadOptions } from '../io/index.js';
import { fieldsLine, packetValues } from '../output/fields.js';
import type { FrameFacts } from '../output/frame-fields.js';
import { parquetRow } from '../export/parquet-rows.js';
import { ekLines } from '../output/ek.js';
import { hexDump } from '../output/hexdump.js';
import { infoColumn } from '../output/info.js';
import { packetJson } from '../output/json.js';
import { treeText } from '../output/text.js';
import type { Options } from './args.js';
import { catalogue } from './catalogue.js';

export class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** How capture files are read; the streamed path (src/stream/cli.ts) reads them the same way. */
export const readOptions = (o: Options, source: string): ReadOptions => ({ source, format: o.format, dltMap: o.dltMap, defaultDirection: o.direction, inboundDirection: INBOUND });

/** The messages given with --hex, numbered before those of a file. */
export const hexFrames = (o: Options): Frame[] =>
  o.hex.map((h, i) => {
    const source = `--hex#${i + 1}`;
    const frame = readFrames(new TextEncoder().encode(h), { source, format: 'hexlines' })[0];
    if (frame?.error !== undefined) throw new InputError(source, frame.error.slice(frame.error.indexOf(': ') + 2));
    return { ...frame!, source };
  });

/** The -Y filter as a predicate over packetValues; a bad filter is unusable input (exit 2), as in tshark. */
export function displayFilter(text: string | undefined): (values: FieldValues) => boolean {
  if (text === undefined) return () => true;
  try {
    return compileFilter(text, catalogue);
  } catch (e) {
    if (e instanceof FilterError) throw new Exit(2, `${e.message} (-Y column ${e.column + 1})`);
    throw e;
  }
}

/**
 * A frame's output when the compiled decoder's values settle it: left out by -Y, or its -T fields
 * line. Undefined when the frame needs the tree (a matching frame of another output, a frame the
 * decoder hands over), or for every frame when keys, -z or a name the decoder cannot collect is involved.
 */
export function quickFrame(o: Options): ((frame: Frame, num: number, protocol: string) => { lines: string[] | null } | undefined) | undefined {
  if (o.keys.length || o.z !== undefined || (!o.filter?.trim() && o.output !== 'fields')) return undefined;
  const names = [...(o.filter === undefined ? [] : filterFields(o.filter, catalogue)), ...(o.output === 'fields' ? o.fields.fields : [])];
  const quick = quickValues(defaultGrammar(), names);
  if (!quick) return undefined;
  const matches = displayFilter(o.filter);
  return (frame, num, protocol) => {
    const values = quick(frame, num, protocol);
    if (!values) return undefined;
    if (!matches(values)) return { lines: null };
    return o.output === 'fields' ? { lines: [fieldsLine(values, o.fields)] } : undefined;
  };
}

/** A packet's field values, when -Y or -T fields looks at them; other outputs read the tree. */
export const valuesOf = (o: Options, r: DissectResult, frame: Omit<FrameFacts, 'protocol'>): ReadonlyMap<string, readonly string[]> =>
  o.filter !== undefined || o.output === 'fields' ? packetValues(r, frame, o.fields.fields) : NO_VALUES;

const NO_VALUES: ReadonlyMap<string, readonly string[]> = new Map();

/** tshark -x with several data sources: each one under its own heading. */
function sourcesDump(r: DissectResult): string {
  if (r.sources.size === 1) return hexDump(r.sources.get('frame')!);
  return [...r.sources].map(([name, bytes]) => `${name === 'frame' ? 'Frame' : 'Deciphered NAS-EPS'} (${bytes.length} bytes):\n${hexDump(bytes)}`).join('\n');
}

/** The output of one dissected frame, as lines (-T json: the packet's JSON text, which src/stream/cli.ts puts in an array). */
export function renderFrame(o: Options, f: Frame, num: number, protocol: string, r: DissectResult, values: ReadonlyMap<string, readonly string[]>): string[] {
  if (o.output === 'fields') return [fieldsLine(values, o.fields)];
  if (o.output === 'ek') return ekLines({ number: num, source: f.source, direction: f.direction, time: f.time, length: f.bytes.length, protocol, tree: r.tree }, o.fields.fields);
  if (o.output === 'parquet') return [parquetRow(f, num, r, o.fields)];
  if (o.output === 'json' || o.output === 'jsonl') {
    const p = packetJson({ number: num, source: f.source, direction: f.direction, protocol, tree: r.tree });
    return [o.output === 'jsonl' ? JSON.stringify(p) : JSON.stringify(p, null, 2)];
  }
  const lines = [`${String(num).padStart(5)} ${f.source} ${(f.direction ?? '-').toUpperCase()} ${protocol.toUpperCase()} ${f.bytes.length} ${infoColumn(r)}`];
  if (o.verbose && (!o.onlyProtocols || o.onlyProtocols.includes(protocol))) lines.push(treeText(r.tree, (source) => r.sources.get(source ?? 'frame') ?? f.bytes));
  if (o.hexDump) lines.push(sourcesDump(r));
  if (o.verbose || o.hexDump) lines.push('');
  return lines;
}

/** Packets' JSON texts (renderFrame with -T json) as one array, the same text as JSON.stringify(packets, null, 2). */
export const jsonArray = (packets: string[]): string => (packets.length ? `[\n${packets.map((p) => '  ' + p.replace(/\n/g, '\n  ')).join(',\n')}\n]` : '[]');

/** The frame with the direction -D gives when it has none of its own (the same frame when nothing changes: no copy per frame). */
export const withDirection = (f: Frame, direction: Frame['direction']): Frame => (f.direction !== undefined || direction === undefined ? f : { ...f, direction });

export type Sink = (line: string) => void;

/** The default output: one line a call. The streamed path (src/stream/cli.ts) hands it many lines at once. */
export const stdoutSink: Sink = (s) => void process.stdout.write(s + '\n');
