/**
 * The packet list's columns: Wireshark's No., Time, Source, Destination, Protocol, Length and Info,
 * with the direction (Dir) and the highest expert severity (Expert) besides.
 */
import { parseLabel } from '../flows/model.js';
import type { Frame } from '../io/index.js';
import { SEVERITY_NAME } from '../output/text.js';
import type { Summary } from './packets.js';

export type ColumnKey = 'no' | 'time' | 'source' | 'destination' | 'dir' | 'protocol' | 'length' | 'expert';

export interface Column {
  key: ColumnKey;
  title: string;
  width: number;
  right: boolean;
}

export type Cells = Record<ColumnKey | 'info', string>;

/** Columns go, in this order, when Info would get fewer than MIN_INFO columns (Source and Destination together). */
const DROP_ORDER: readonly ColumnKey[][] = [['length'], ['dir'], ['time'], ['source', 'destination'], ['expert'], ['protocol']];
const MIN_INFO = 20;
/** Between two columns. */
const GAP = 2;
/** Wider addresses or names are cut. */
const MAX_ENDPOINT = 15;

/** Source and destination as the frame carries them: a flow label's parties (`MME->HSS`), else an exported PDU's destination address. */
export function endpoints(frame: Frame): { source?: string; destination?: string } {
  const label = parseLabel(frame.label);
  return label ? { source: label.from, destination: label.to } : { destination: frame.destination };
}

/** Wireshark's default time format: seconds since the first packet, to the microsecond. */
const relative = (time: number | undefined, first: number | undefined) => (time === undefined || first === undefined ? '' : (time - first).toFixed(6));

/** What the columns need from every frame: the first timestamp and the widest values. */
interface Scan {
  first?: number;
  time: number;
  source: number;
  destination: number;
}

const scans = new WeakMap<readonly Frame[], Scan>();

function scan(frames: readonly Frame[]): Scan {
  let s = scans.get(frames);
  if (s) return s;
  s = { first: frames.find((f) => f.time !== undefined)?.time, time: 0, source: 0, destination: 0 };
  for (const f of frames) {
    const { source, destination } = endpoints(f);
    s.time = Math.max(s.time, relative(f.time, s.first).length);
    s.source = Math.max(s.source, source?.length ?? 0);
    s.destination = Math.max(s.destination, destination?.length ?? 0);
  }
  scans.set(frames, s);
  return s;
}

/**
 * The columns for a list `width` wide. Time, Source and Destination are there when some frame has
 * them; columns are dropped (DROP_ORDER) while Info would be narrower than MIN_INFO.
 */
export function listColumns(frames: readonly Frame[], width: number): Column[] {
  const s = scan(frames);
  const column = (key: ColumnKey, title: string, data: number, right = false): Column => ({ key, title, width: Math.max(title.length, data), right });
  const all = [
    column('no', 'No.', Math.max(5, String(frames.length).length), true),
    s.time && column('time', 'Time', s.time, true),
    s.source && column('source', 'Source', Math.min(MAX_ENDPOINT, s.source)),
    s.destination && column('destination', 'Destination', Math.min(MAX_ENDPOINT, s.destination)),
    column('dir', 'Dir', 3),
    column('protocol', 'Protocol', 8),
    column('length', 'Length', 6, true),
    column('expert', 'Expert', 7),
  ].filter((c): c is Column => !!c);
  const used = (cs: Column[]) => cs.reduce((n, c) => n + c.width + GAP, 0);
  let shown = all;
  for (const keys of DROP_ORDER) {
    if (width - used(shown) >= MIN_INFO) break;
    shown = shown.filter((c) => !keys.includes(c.key));
  }
  return shown;
}

/** A packet's cells, unpadded. */
export function cells(frames: readonly Frame[], index: number, summary: Summary): Cells {
  const frame = frames[index];
  const { source, destination } = endpoints(frame);
  return {
    no: String(index + 1),
    time: relative(frame.time, scan(frames).first),
    source: source ?? '',
    destination: destination ?? '',
    dir: frame.direction?.toUpperCase() ?? '-',
    protocol: summary.protocol.toUpperCase(),
    length: String(frame.bytes.length),
    expert: summary.severity ? SEVERITY_NAME[summary.severity] : '',
    info: summary.info,
  };
}

/** A cell padded (or cut) to its column, and the gap after it; `mark` takes the gap's first place. */
export function cell(c: Column, text: string, mark = ' '): string {
  const cut = text.length > c.width ? `${text.slice(0, c.width - 1)}…` : text;
  return (c.right ? cut.padStart(c.width) : cut.padEnd(c.width)) + mark + ' '.repeat(GAP - 1);
}

/** The header line's text before Info. */
export const headerText = (columns: readonly Column[]) => columns.map((c) => cell(c, c.title)).join('');

/** A row as text (what copy mode copies): the cells as the list shows them, then Info. */
export const lineText = (columns: readonly Column[], cs: Cells) => (columns.map((c) => cell(c, cs[c.key])).join('') + cs.info).trimEnd();
