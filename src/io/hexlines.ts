import { type Direction, type Frame, IO_DIRECTIONS, unreadableFrame } from './frame.js';
import { parseHex, toHex } from '../engine/hex.js';
import { type Fail, failAt, InputError } from './input-error.js';
import { textLines } from './text.js';

/**
 * Hex lines: one message per line, `[DIR] [TIME] [[PROTOCOL]] [LABEL:] HEX`, where the direction, time
 * and protocol (`[diameter]`, in brackets) may also follow the label (`t1: DL 07 55 01`). DIR is UL/DL, or I/O as in `text2pcap -D` (inbound/outbound
 * as seen by the UE): I = dl, O = ul. TIME is seconds since the epoch with a '.', which keeps it apart
 * from hex. The label runs to the last ':' that is followed by a space. `#` starts a comment.
 * `firstLine` numbers the lines of a text that is a part of a larger input (src/stream). A line that
 * cannot be read is a frame with an `error` and no bytes, in its place.
 */
export function readHexLines(text: string, source: string, firstLine = 1): Frame[] {
  const frames: Frame[] = [];
  for (const line of textLines(text)) {
    const code = line.text.split('#', 1)[0] ?? '';
    const number = line.number + firstLine - 1; // a part of a larger text (streaming) starts at firstLine
    if (!code.trim()) continue;
    try {
      frames.push(readLine(code, failAt(source, number), `${source}:${number}`));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      frames.push(unreadableFrame(`${source}:${number}`, e));
    }
  }
  return frames;
}

/**
 * The inverse of readHexLines, one line per frame: `DL 1700000000.123456 [nas-eps] label: 07 55 01`.
 * Times are written to the microsecond; the source is not written. Throws an InputError naming the
 * frame's source for what the format cannot carry: an empty message, a negative time, or a label
 * that has a '#' or line break, surrounding spaces, or starts with a direction or time.
 */
export function writeHexLines(frames: readonly Frame[]): string {
  return frames.map((frame) => `${[...lineHead(frame), toHex(frame.bytes, ' ')].join(' ')}\n`).join('');
}

interface Prefixes {
  direction?: Direction;
  time?: number;
  protocol?: string;
}

const DIRECTIONS = new Map<string, Direction>([...IO_DIRECTIONS, ['UL', 'ul'], ['DL', 'dl']]);
const TIME = /^\d+\.\d+$/;

/** `[diameter]`: the protocol of the line's message. */
const PROTOCOL = /^\[([a-z][a-z0-9-]*)\]$/;

function prefixOf(word: string): Prefixes | undefined {
  const direction = DIRECTIONS.get(word.toUpperCase());
  if (direction) return { direction };
  const protocol = PROTOCOL.exec(word)?.[1];
  if (protocol) return { protocol };
  return TIME.test(word) ? { time: Number(word) } : undefined;
}

function readLine(line: string, fail: Fail, source: string): Frame {
  const found: Prefixes = {};
  let label: string | undefined;
  let pos = 0;
  const colon = line.search(/:(?:\s|$)(?!.*:(?:\s|$))/);
  if (colon >= 0) {
    pos = takePrefixes(line.slice(0, colon), 0, found, fail);
    label = line.slice(pos, colon).trim() || undefined;
    pos = colon + 1;
  }
  pos = takePrefixes(line, pos, found, fail);
  const bytes = parseHex(line, fail, pos);
  if (bytes.length === 0) fail(pos, 'no hex bytes');
  return { bytes, ...found, ...(label !== undefined && { label }), source };
}

/** Reads direction and time words from text[start]; returns where the first other word starts. */
function takePrefixes(text: string, start: number, found: Prefixes, fail: Fail): number {
  const word = /\S+/g;
  word.lastIndex = start;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const prefix = prefixOf(m[0]);
    if (!prefix) return m.index;
    if (prefix.direction && found.direction) fail(m.index, 'second direction');
    if (prefix.time !== undefined && found.time !== undefined) fail(m.index, 'second time');
    if (prefix.protocol && found.protocol) fail(m.index, 'second protocol');
    Object.assign(found, prefix);
  }
  return text.length;
}

function lineHead(frame: Frame): string[] {
  const cannot = (what: string): never => {
    throw new InputError(frame.source, `cannot write ${what} as a hex line`);
  };
  if (frame.bytes.length === 0) cannot('an empty message');
  const head: string[] = [];
  if (frame.direction) head.push(frame.direction.toUpperCase());
  if (frame.time !== undefined) {
    const time = frame.time.toFixed(6);
    head.push(TIME.test(time) ? time : cannot(`time ${frame.time}`));
  }
  if (frame.protocol !== undefined) head.push(PROTOCOL.test(`[${frame.protocol}]`) ? `[${frame.protocol}]` : cannot(`protocol ${JSON.stringify(frame.protocol)}`));
  if (frame.label !== undefined) {
    const { label } = frame;
    const first = label.split(/\s/, 1)[0] ?? '';
    if (!label || label.trim() !== label || /[#\r\n]/.test(label) || prefixOf(first)) {
      cannot(`label ${JSON.stringify(label)}`);
    }
    head.push(`${label}:`);
  }
  return head;
}
