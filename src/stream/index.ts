/**
 * Streaming dissection of big captures: hex lines are read incrementally from a web ReadableStream,
 * a Node stream or any (async) iterable of chunks, and dissected one frame at a time, so memory stays
 * flat however large the capture grows (no array of all frames). Runs in browsers and Node alike;
 * reading a file by its path is src/stream/file.ts (Node only).
 */
import type { DissectResult } from '../engine/dissect.js';
import { expertItem } from '../engine/expert.js';
import type { TreeNode } from '../engine/tree.js';
import { defaultGrammar } from '../grammar/default.js';
import type { GrammarIR } from '../grammar/ir.js';
import type { Direction, Frame } from '../io/frame.js';
import { readHexLines } from '../io/hexlines.js';
import { InputError } from '../io/input-error.js';
import { dissectFull, type DissectOptions } from '../api.js';
import { SecuritySession } from '../security/session.js';

/** Chunks of a capture: bytes (UTF-8 text) or strings. Node streams are async iterables of Buffers. */
export type ByteSource = ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface LineChunkOptions {
  /** Names the input in frame sources and errors (`caps.txt:12`); default 'stream'. */
  source?: string;
  /** Lines are handed on in pieces of about this many characters (whole lines); default 64 KiB. */
  chunkChars?: number;
}

/** Whole lines of text, many at a time, with the number of the first one (1-based). */
export interface LineChunk {
  text: string;
  firstLine: number;
  /** Lines in `text`. */
  lines: number;
  /** Input bytes consumed up to the end of this chunk (for progress). */
  bytesRead: number;
}

function isReadableStream(s: ByteSource): s is ReadableStream<Uint8Array | string> {
  return typeof (s as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in s);
}

/** The chunks of a source as an async iterable, whatever kind of source it is. */
async function* chunksOf(input: ByteSource): AsyncGenerator<Uint8Array | string> {
  if (isReadableStream(input)) {
    const reader = input.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* input as AsyncIterable<Uint8Array | string>;
  }
}

/**
 * Text of a byte source in pieces of whole lines. UTF-8 is decoded incrementally (a character may
 * straddle chunks); invalid UTF-8 is an InputError, as for a whole file.
 */
export async function* lineChunks(input: ByteSource, opts: LineChunkOptions = {}): AsyncGenerator<LineChunk> {
  const source = opts.source ?? 'stream';
  const want = opts.chunkChars ?? 64 * 1024;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let line = 1;
  let bytesRead = 0;
  let first = true;
  const decode = (chunk: Uint8Array | string, end: boolean): string => {
    try {
      return typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: !end });
    } catch {
      throw new InputError(source, 'not UTF-8 text, as hexlines input must be');
    }
  };
  const cut = function* (final: boolean): Generator<LineChunk> {
    while (pending.length >= want || (final && pending.length)) {
      let end = pending.lastIndexOf('\n', Math.max(want, 0));
      if (end < 0) end = pending.indexOf('\n', want);
      if (end < 0) {
        if (!final) return; // one line longer than a chunk: wait for its end
        end = pending.length;
      }
      const text = pending.slice(0, end);
      pending = pending.slice(end + 1);
      const lines = countLines(text);
      yield { text, firstLine: line, lines, bytesRead };
      line += lines;
    }
  };
  for await (const chunk of chunksOf(input)) {
    let text = decode(chunk, false);
    bytesRead += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    if (first && text) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    pending += text;
    yield* cut(false);
  }
  pending += decode(new Uint8Array(0), true);
  yield* cut(true);
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export interface HexLineStreamOptions extends LineChunkOptions {
  /** For frames whose line gives no direction. */
  defaultDirection?: Direction;
}

/** Frames of a hex-line capture (the format of `readHexLines`), one at a time. */
export async function* readHexLineStream(input: ByteSource, opts: HexLineStreamOptions = {}): AsyncGenerator<Frame> {
  const source = opts.source ?? 'stream';
  for await (const chunk of lineChunks(input, opts)) {
    for (const frame of readHexLines(chunk.text, source, chunk.firstLine)) {
      yield opts.defaultDirection && !frame.direction ? { ...frame, direction: opts.defaultDirection } : frame;
    }
  }
}

export interface DissectStreamOptions extends HexLineStreamOptions {
  /** Protocol of frames whose input does not say; default 'nas-eps'. */
  protocol?: string;
  /** Keys and COUNT state for the capture; default: a session without keys (MACs unverified). */
  session?: SecuritySession;
  /** Grammar to use instead of the bundled one. */
  grammar?: GrammarIR;
}

/** One frame of a capture with its dissection. */
export interface DissectedFrame {
  /** 1-based position in the capture. */
  number: number;
  frame: Frame;
  protocol: string;
  result: DissectResult;
}

/**
 * A frame's dissection. A line that could not be read has no bytes to dissect: it is a malformed
 * packet whose error item names the line and the reason, as tshark goes on past a bad packet.
 */
export function dissectFrame(frame: Frame, protocol: string, opts: DissectOptions = {}): DissectResult {
  if (frame.error === undefined) return dissectFull(frame.bytes, protocol, opts);
  const expert = expertItem('unreadable_input', frame.error, '', 0, 0);
  const malformed: TreeNode = { filter: '_ws.malformed', label: 'Malformed Packet', bitOffset: 0, bitLength: 0, display: `[Malformed Packet: ${frame.error}]`, children: [], expert: [expert] };
  const label = (opts.grammar ?? defaultGrammar()).protocols.get(protocol)?.label ?? protocol;
  const tree: TreeNode = { filter: protocol, label, bitOffset: 0, bitLength: 0, display: label, children: [malformed], expert: [] };
  return { protocol, tree, value: undefined, expert: [expert], bitLength: 0, sources: new Map([['frame', frame.bytes]]) };
}

const isFrameSource = (x: unknown): x is FrameSource => typeof x === 'object' && x !== null && '__frames' in x;

/**
 * Dissects a capture frame by frame, in order, through one security session (so NAS COUNT and the
 * group key audit follow the capture). `input` is a stream of hex lines (ReadableStream, Node
 * stream, iterable of chunks) or frames already read (`framesOf(readFrames(...))`).
 *
 * ```ts
 * for await (const { number, result } of dissectStream(createReadStream('big.txt'), { source: 'big.txt' })) ...
 * ```
 */
export async function* dissectStream(input: ByteSource | FrameSource, opts: DissectStreamOptions = {}): AsyncGenerator<DissectedFrame> {
  const session = opts.session ?? new SecuritySession();
  const frames = isFrameSource(input) ? input : readHexLineStream(input, opts);
  let number = 0;
  for await (const frame of frames) {
    const protocol = frame.protocol ?? opts.protocol ?? 'nas-eps';
    const direction = frame.direction ?? opts.defaultDirection;
    const result = dissectFrame(frame, protocol, { session, direction, receiver: frame.destination, grammar: opts.grammar });
    yield { number: ++number, frame, protocol, result };
  }
}

/** Frames already read (e.g. by `readFrames` from a pcapng), marked for `dissectStream`. */
export type FrameSource = (AsyncIterable<Frame> | Iterable<Frame>) & { readonly __frames: true };

/** Marks frames (an array, or any iterable or async iterable) as the input of `dissectStream`. */
export function framesOf(frames: AsyncIterable<Frame> | Iterable<Frame>): FrameSource {
  return Object.assign(
    {
      [Symbol.asyncIterator]: async function* () {
        yield* frames as AsyncIterable<Frame>;
      },
    },
    { __frames: true as const },
  );
}
