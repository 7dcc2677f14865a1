/**
 * Captures read from a file or stdin (Node only): hex-line captures are streamed (flat memory), other
 * formats (pcap, pcapng, dumps, JSON lines, raw) are read whole and parsed by src/io.
 */
import { createReadStream, statSync } from 'node:fs';
import { detectFormat, type FormatName } from '../io/detect.js';
import type { Direction, Frame } from '../io/frame.js';
import type { PacketReadOptions } from '../io/link-types.js';
import { readHexLines } from '../io/hexlines.js';
import { readFrames } from '../io/read.js';
import { dissectStream, framesOf, lineChunks, type DissectedFrame, type DissectStreamOptions, type LineChunk } from './index.js';

/** Bytes looked at to detect the format of a streamed input. */
const HEAD_BYTES = 64 * 1024;

export interface CaptureOptions extends PacketReadOptions {
  /** Names the input in frame sources and errors; default the path ('stdin' for '-'). */
  source?: string;
  /** Forces a format instead of detecting it. */
  format?: FormatName;
  defaultDirection?: Direction;
  /** Hex lines are handed on in pieces of about this many characters; default 64 KiB. */
  chunkChars?: number;
}

/** An open capture: its format and size, and its content as line chunks (hex lines) or frames. */
export interface Capture {
  format: FormatName;
  source: string;
  /** File size in bytes, when known (not for stdin). */
  size?: number;
  /** Hex-line captures: whole lines, a piece at a time (what workers parse in parallel). Read either these or frames(), once. */
  chunks?: AsyncIterable<LineChunk>;
  /** Every capture: its frames in order (once). */
  frames(): AsyncIterable<Frame>;
}

function byteStream(path: string): AsyncIterable<Uint8Array> {
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
}

/** The first chunks of a stream (about HEAD_BYTES), and the stream with them put back. */
async function peek(input: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; whole: boolean; all: AsyncIterable<Uint8Array> }> {
  const it = input[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let whole = false;
  while (size < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      whole = true;
      break;
    }
    taken.push(r.value);
    size += r.value.byteLength;
  }
  const head = concat(taken, size);
  const all = (async function* () {
    yield* taken;
    if (whole) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  return { head, whole, all };
}

function concat(parts: Uint8Array[], size = parts.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Opens a capture file ('-' for stdin). Throws what the file system throws (ENOENT...) on open;
 * the content is read as it is iterated.
 */
export async function openCapture(path: string, opts: CaptureOptions = {}): Promise<Capture> {
  const source = opts.source ?? (path === '-' ? 'stdin' : path);
  const size = path === '-' ? undefined : statSync(path).size;
  const stream = byteStream(path);
  const { head, whole, all } = await peek(stream);
  // A head cut inside a line (or a UTF-8 character) is detected on its complete lines.
  const lastNewline = whole ? head.length : head.lastIndexOf(0x0a);
  const format = opts.format ?? detectFormat(lastNewline > 0 ? head.subarray(0, lastNewline) : head);
  if (format === 'hexlines') {
    const chunks = lineChunks(all, { source, chunkChars: opts.chunkChars });
    return {
      format,
      source,
      size,
      chunks,
      frames: async function* () {
        for await (const c of chunks) {
          for (const f of readHexLines(c.text, source, c.firstLine)) yield opts.defaultDirection && !f.direction ? { ...f, direction: opts.defaultDirection } : f;
        }
      },
    };
  }
  return {
    format,
    source,
    size,
    frames: async function* () {
      const parts: Uint8Array[] = [];
      for await (const c of all) parts.push(c);
      yield* readFrames(concat(parts), { ...opts, source, format });
    },
  };
}

/** The frames of a capture file, in order: streamed for hex lines, otherwise read whole. */
export async function* readCaptureFile(path: string, opts: CaptureOptions = {}): AsyncGenerator<Frame> {
  yield* (await openCapture(path, opts)).frames();
}

/**
 * Dissects a capture file frame by frame (see `dissectStream`); hex-line files of any size in flat
 * memory.
 *
 * ```ts
 * for await (const { number, result } of dissectFile('big.txt')) console.log(number, result.tree.children.length);
 * ```
 */
export async function* dissectFile(path: string, opts: CaptureOptions & DissectStreamOptions = {}): AsyncGenerator<DissectedFrame> {
  yield* dissectStream(framesOf(readCaptureFile(path, opts)), opts);
}
