/**
 * The CLI's run over a capture file (Node only): read as a stream (hex lines in flat memory), dissected
 * in order on this thread, or with -j N in N worker threads whose output is put back in capture order.
 *
 * Security state follows the capture in order. With --keys (NAS COUNT, security contexts, replay
 * windows) -j falls back to 1 thread. Without keys the only state across messages is the group key
 * audit (one (GID, Gki) with two key sets, a reused Gki): frames that carry group keys are dissected
 * again here, in order, through the one session, so -j N prints what -j 1 prints.
 */
import { once } from 'node:events';
import { displayFilter, Exit, hexFrames as givenHex, quickFrame, readOptions, renderFrame, stdoutSink, valuesOf, withDirection } from '../cli/frame-output.js';
import type { Options } from '../cli/args.js';
import { ExpertStats } from '../output/expert-stats.js';
import { fieldsHeader } from '../output/fields.js';
import type { Frame } from '../io/frame.js';
import { readHexLines } from '../io/hexlines.js';
import type { SecuritySession } from '../security/session.js';
import { openCapture, type Capture } from './file.js';
import { dissectFrame } from './index.js';
import { OrderedPool, workerScript } from './parallel.js';
import { Progress } from './progress.js';

type Sink = (line: string) => void;

/** A piece of the capture for a worker: whole hex lines, or frames already read; numbered from firstNumber. */
export type CaptureJob = { kind: 'lines'; source: string; text: string; firstLine: number; firstNumber: number } | { kind: 'frames'; frames: Frame[]; firstNumber: number };

/** Per frame of a job: its output (renderFrame's) or null when -Y left it out; frames carrying group keys, and lines that could not be read, are left to the main thread. */
export interface JobResult {
  entries: Array<string[] | null>;
  keyed: Array<{ i: number; frame: Frame }>;
}

/** How much of the capture one worker job holds: characters of hex lines, or frames of other formats. */
export const JOB_SIZE = { chars: 64 * 1024, frames: 512 };

/** Group key sets anywhere in a decoded value (what the group key audit looks at). */
export function carriesGroupKeys(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if ('group_key_information' in o || 'ciphered_group_key_information' in o) return true;
  for (const c of Object.values(o)) if (c && typeof c === 'object' && carriesGroupKeys(c)) return true;
  return false;
}

/** Lines that give a frame in a piece of hex-line text (as readHexLines counts them). */
function frameLines(text: string): number {
  let n = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const hash = text.indexOf('#', start);
    const code = text.slice(start, hash >= 0 && hash < end ? hash : end);
    if (code.trim()) n++;
    start = end + 1;
  }
  return n;
}

/**
 * Output handed to stdout many lines at a time (one write per ~64 KiB instead of one per line); any
 * other sink gets the calls main() would make. The lines are encoded one by one into one buffer:
 * joining them first would build a string to encode again, and a line with a character beyond
 * latin1 (the ellipsis of cut hex) makes the whole joined text two-byte, which costs ten times more.
 */
class Batcher {
  private lines: string[] = [];
  private size = 0;
  constructor(private readonly out: Sink) {}
  push(...texts: string[]): void {
    if (this.out !== stdoutSink) return texts.forEach((t) => this.out(t));
    for (const text of texts) {
      this.lines.push(text);
      this.size += text.length;
    }
    if (this.size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.lines.length) {
      // A UTF-16 code unit takes at most 3 octets in UTF-8; the buffer is new each time, as stdout may write later.
      const buf = Buffer.allocUnsafe(3 * (this.size + this.lines.length));
      let at = 0;
      for (const line of this.lines) {
        at += buf.write(line, at);
        buf[at++] = 0x0a;
      }
      process.stdout.write(buf.subarray(0, at));
    }
    this.lines = [];
    this.size = 0;
  }
  /**
   * Hands on what is batched, then waits while stdout's buffer is full (a slow reader such as a pager),
   * so output does not pile up in memory. Called once per piece of input, so output starts soon.
   */
  async drained(): Promise<void> {
    this.flush();
    if (this.out === stdoutSink && process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
  }
}

const unreadable = (file: string, e: unknown): never => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined) throw e;
  throw new Exit(2, `The file "${file}" could not be read: ${code}`);
};

async function* guarded<T>(file: string, it: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* it;
  } catch (e) {
    unreadable(file, e);
  }
}

export async function runCapture(o: Options, out: Sink, err: Sink, session: SecuritySession): Promise<void> {
  const matches = displayFilter(o.filter);
  const quick = quickFrame(o);
  const file = o.read ?? o.positional[0];
  const source = file === '-' ? 'stdin' : (file ?? '');
  const hexFrames = givenHex(o);
  let capture: Capture | undefined;
  try {
    if (file !== undefined) capture = await openCapture(file, { ...readOptions(o, source), chunkChars: JOB_SIZE.chars });
  } catch (e) {
    return unreadable(file!, e);
  }
  // -z expert counts what this thread dissects
  const jobs = o.keys.length || o.z === 'expert' ? 1 : (o.jobs ?? 1);
  const expert = o.z === 'expert' ? new ExpertStats() : undefined;
  const progress = Progress.forStderr(capture?.size);
  const batch = new Batcher(out);
  if (o.output === 'fields' && o.fields.header && !o.quiet) batch.push(fieldsHeader(o.fields));
  let number = 0;
  let shown = 0;
  // A closed stdout (`| head`) is seen at once on the stream, before its 'error' event (which waits for
  // the event loop): reading stops there and bin/mtcgk.js exits quietly.
  const closed = () => out === stdoutSink && !process.stdout.writable;
  const full = () => (o.count !== undefined && shown >= o.count) || closed();
  // -T json: the array is written as packets come, each but the last followed by a comma.
  let jsonLast: string | undefined;
  // Lines that could not be read: counted for stderr. Their packets are held back until a line is
  // read, since a file in which no line can be read is not a capture (exit 2, nothing printed).
  const badLines: string[] = [];
  let held: string[][] | undefined = [];
  const emit = (lines: string[], readable: boolean) => {
    if (held && !readable) return void held.push(lines);
    if (held) {
      const before = held;
      held = undefined;
      before.forEach((l) => emit(l, true));
    }
    shown++;
    if (o.quiet) return;
    if (o.output !== 'json') return batch.push(...lines);
    const packet = '  ' + lines.join('\n').replace(/\n/g, '\n  ');
    batch.push(jsonLast === undefined ? '[' : `${jsonLast},`);
    jsonLast = packet;
  };
  /** One frame through the session, on this thread: its output, or null when -Y leaves it out. */
  const here = (f: Frame, num: number): { lines: string[] | null; readable: boolean } => {
    const protocol = f.protocol ?? o.protocol;
    const frame = withDirection(f, o.direction);
    if (f.error !== undefined) badLines.push(f.error);
    const settled = quick?.(frame, num, protocol);
    if (settled) return { lines: settled.lines, readable: true };
    const r = dissectFrame(frame, protocol, { session, direction: frame.direction, receiver: frame.destination });
    const values = valuesOf(o, r, { number: num, source: frame.source, direction: frame.direction });
    const readable = f.error === undefined;
    if (!matches(values)) return { lines: null, readable };
    expert?.add(protocol, r.expert);
    return { lines: renderFrame(o, frame, num, protocol, r, values), readable };
  };
  try {
    for (const f of hexFrames) {
      const { lines, readable } = here(f, ++number);
      if (lines !== null && !full()) emit(lines, readable);
    }
    if (!capture || full()) {
      // nothing more to read
    } else if (jobs === 1 && capture.chunks) {
      read: for await (const c of guarded(file!, capture.chunks)) {
        for (const f of readHexLines(c.text, source, c.firstLine)) {
          if (full()) break read;
          const { lines, readable } = here(f, ++number);
          if (lines !== null) emit(lines, readable);
        }
        progress?.update(number - hexFrames.length, c.bytesRead);
        await batch.drained();
      }
    } else if (jobs === 1) {
      for await (const f of guarded(file!, capture.frames())) {
        if (full()) break;
        const { lines, readable } = here(f, ++number);
        if (lines !== null) emit(lines, readable);
        progress?.update(number - hexFrames.length);
      }
    } else {
      await parallel();
    }
  } finally {
    progress?.done();
  }

  async function parallel(): Promise<void> {
    if (!capture || file === undefined) return;
    const [cap, path] = [capture, file];
    const pool = new OrderedPool<CaptureJob, JobResult>(jobs, workerScript('cli-worker', import.meta.url), { options: o });
    let next = number + 1;
    const bytesRead: Array<number | undefined> = [];
    async function* pieces(): AsyncGenerator<CaptureJob> {
      if (cap.chunks) {
        for await (const c of guarded(path, cap.chunks)) {
          bytesRead.push(c.bytesRead);
          yield { kind: 'lines', source, text: c.text, firstLine: c.firstLine, firstNumber: next };
          next += frameLines(c.text);
        }
        return;
      }
      let frames: Frame[] = [];
      const job = (): CaptureJob => {
        bytesRead.push(undefined);
        const j: CaptureJob = { kind: 'frames', frames, firstNumber: next };
        next += frames.length;
        frames = [];
        return j;
      };
      for await (const f of guarded(path, cap.frames())) {
        frames.push(f);
        if (frames.length >= JOB_SIZE.frames) yield job();
      }
      if (frames.length) yield job();
    }
    try {
      for await (const res of pool.map(pieces())) {
        const bytes = bytesRead.shift();
        const first = number + 1;
        const readable = res.entries.map(() => true);
        for (const { i, frame } of res.keyed) ({ lines: res.entries[i], readable: readable[i] } = here(frame, first + i));
        number += res.entries.length;
        for (const [i, lines] of res.entries.entries()) {
          if (full()) break;
          if (lines !== null) emit(lines, readable[i]!);
        }
        progress?.update(number - hexFrames.length, bytes);
        if (full()) break;
        await batch.drained();
      }
    } finally {
      await pool.close();
    }
  }

  if (closed()) return;
  if (number === 0) throw file === undefined ? new Exit(1, 'no input: give -r FILE, --hex HEX or a FILE') : new Exit(2, `${file}: has no messages`);
  if (badLines.length === number) throw new Exit(2, `${badLines[0]}${number > 1 ? ` (no line of ${number} could be read)` : ''}`);
  if (badLines.length) err(`mtcgk: ${badLines.length} ${badLines.length === 1 ? 'line' : 'lines'} could not be read, shown as malformed packets; the first: ${badLines[0]}`);
  if (o.output === 'json' && !o.quiet) batch.push(jsonLast === undefined ? '[]' : `${jsonLast}\n]`);
  if (expert) batch.push(...expert.lines());
  batch.flush();
}
