import { type Direction, type Frame, IO_DIRECTIONS } from './frame.js';
import { pushHexRun } from '../engine/hex.js';
import { failAt, InputError } from './input-error.js';
import { textLines } from './text.js';

/** `hexdump -C`: the whole dump is one message. */
export function readHexdump(text: string, source: string): Frame[] {
  return readOneDump(text, source, HEXDUMP);
}

/** `xxd` (any -c/-g, with or without -a): the whole dump is one message. */
export function readXxd(text: string, source: string): Frame[] {
  return readOneDump(text, source, XXD);
}

/** `od -Ax -tx1`: the whole dump is one message. */
export function readOd(text: string, source: string): Frame[] {
  return readOneDump(text, source, OD);
}

/**
 * text2pcap input and `tshark -x` output: an offset of three or more hex digits, then bytes; offset 0
 * starts a new packet and other lines are ignored, as text2pcap does. The hex field ends at a gap of
 * three spaces or a word that is not a byte, so the ASCII gutter is not read as data even on a
 * packet's last line. A packet's direction comes from an `I`/`O` word before its first offset or on
 * the line before (`text2pcap -D`): I = dl, O = ul. tshark prints `Frame (N bytes):`-style headers
 * when a packet has several data sources; only the first source is kept.
 */
export function readText2pcap(text: string, source: string): Frame[] {
  const rows: DumpRow[] = [];
  let direction: Direction | undefined;
  let packetStarted = false;
  let skipping = false;
  for (const { text: line, number } of textLines(text)) {
    if (!line.trim()) {
      packetStarted = skipping = false;
      continue;
    }
    if (SOURCE_HEADER.test(line)) {
      skipping = packetStarted;
      packetStarted = true;
      continue;
    }
    if (skipping) continue;
    const lone = LONE_DIRECTION.exec(line);
    if (lone) {
      direction = IO_DIRECTIONS.get(lone[1]!.toUpperCase());
      continue;
    }
    if (line.trim() === '*') {
      rows.push({ line: number, star: true });
      continue;
    }
    const m = OFFSET_LINE.exec(line);
    if (!m) continue;
    const bytes: number[] = [];
    const fail = failAt(source, number);
    const byte = /(?: {1,2}|\t)[0-9a-f]{2}(?=\s|$)/iy;
    byte.lastIndex = m[0].length;
    while (byte.exec(line)) pushHexRun(line, byte.lastIndex - 2, byte.lastIndex, bytes, fail);
    if (bytes.length === 0) continue;
    const offset = parseInt(m[2]!, 16);
    const column = m[0].length - m[2]!.length;
    if (offset === 0) {
      rows.push({ line: number, column, offset, bytes, direction: m[1] ? IO_DIRECTIONS.get(m[1].toUpperCase()) : direction });
      direction = undefined;
    } else {
      rows.push({ line: number, column, offset, bytes });
    }
    packetStarted = true;
  }
  const packets = assemble(rows, source, true);
  if (packets.length === 0) throw new InputError(source, 'no hex dump lines (an offset of 0 followed by bytes)');
  return packets.map(({ line, bytes, direction: dir }) => ({
    bytes: Uint8Array.from(bytes),
    ...(dir && { direction: dir }),
    source: `${source}:${line}`,
  }));
}

const SOURCE_HEADER = /^\S.*\(\d+ bytes\):\s*$/;
const LONE_DIRECTION = /^\s*([IO])\s*$/i;
const OFFSET_LINE = /^\s*(?:([IO])\s+)?([0-9a-f]{3,})(?=[ \t])/i;

interface DumpSyntax {
  name: string;
  /** Matches the offset at the start of a line, digits in group 1; the hex field follows. */
  offset: RegExp;
  /** Where the hex field of a line ends, searching from its start. */
  fieldEnd(line: string, from: number): number;
}

const indexOrEnd = (line: string, what: string, from: number): number => {
  const i = line.indexOf(what, from);
  return i < 0 ? line.length : i;
};

const HEXDUMP: DumpSyntax = {
  name: 'hexdump -C',
  offset: /^([0-9a-f]+)(?=\s|$)/i,
  fieldEnd: (line, from) => indexOrEnd(line, '|', from),
};
const XXD: DumpSyntax = {
  name: 'xxd',
  offset: /^([0-9a-f]+):/i,
  // a single space follows the colon; the ASCII column follows two
  fieldEnd: (line, from) => indexOrEnd(line, '  ', from + 1),
};
const OD: DumpSyntax = {
  name: 'od -Ax -tx1',
  offset: /^([0-9a-f]+)(?=\s|$)/i,
  fieldEnd: (line) => line.length,
};

function readOneDump(text: string, source: string, syntax: DumpSyntax): Frame[] {
  const rows: DumpRow[] = [];
  for (const { text: line, number } of textLines(text)) {
    if (!line.trim()) continue;
    if (line.trim() === '*') {
      rows.push({ line: number, star: true });
      continue;
    }
    const fail = failAt(source, number);
    const m = syntax.offset.exec(line) ?? fail(0, `not a ${syntax.name} line`);
    const start = m[0].length;
    const bytes: number[] = [];
    for (const word of line.slice(start, syntax.fieldEnd(line, start)).matchAll(/\S+/g)) {
      pushHexRun(line, start + word.index, start + word.index + word[0].length, bytes, fail);
    }
    rows.push({ line: number, column: 0, offset: parseInt(m[1]!, 16), bytes });
  }
  const [packet] = assemble(rows, source, false);
  if (!packet) throw new InputError(source, `no ${syntax.name} lines`);
  return [{ bytes: Uint8Array.from(packet.bytes), source: `${source}:${packet.line}` }];
}

type DumpRow = { line: number; star: true } | { line: number; column: number; offset: number; bytes: number[]; direction?: Direction };

interface Packet {
  line: number;
  bytes: number[];
  direction?: Direction;
}

/**
 * Joins dump rows into packets, checking each offset against the bytes so far. A `*` row repeats the
 * previous row up to the next offset. With `split` (text2pcap), offset 0 starts a new packet, and an
 * offset that falls inside the previous row drops the rest of that row: it was the ASCII column.
 */
function assemble(rows: readonly DumpRow[], source: string, split: boolean): Packet[] {
  const packets: Packet[] = [];
  let packet: Packet | undefined;
  let previous: number[] = [];
  let star: number | undefined;
  for (const row of rows) {
    const fail = failAt(source, row.line);
    if ('star' in row) {
      if (previous.length === 0) fail(0, "'*' before any data");
      star = row.line;
      continue;
    }
    const hex = `0x${row.offset.toString(16)}`;
    if (!packet || (split && row.offset === 0)) {
      if (row.offset !== 0) fail(row.column, `first offset is ${hex}, not 0`);
      if (star !== undefined) failAt(source, star)(0, "'*' without a following offset");
      packet = { line: row.line, bytes: [], direction: row.direction };
      packets.push(packet);
    } else {
      const { bytes } = packet;
      if (star !== undefined) {
        for (let i = 0; bytes.length < row.offset; i++) bytes.push(previous[i % previous.length]!);
        star = undefined;
      }
      const surplus = bytes.length - row.offset;
      if (split && surplus > 0 && surplus <= previous.length) bytes.length = row.offset;
      else if (surplus !== 0) fail(row.column, `offset ${hex} does not follow the ${bytes.length} bytes before it`);
    }
    packet.bytes.push(...row.bytes);
    if (row.bytes.length > 0) previous = row.bytes;
  }
  if (star !== undefined) failAt(source, star)(0, "'*' without a following offset");
  return packets;
}
