/**
 * A worker thread of `mtcgk -j N` (src/stream/cli.ts): parses and dissects pieces of a capture with
 * its own keyless security session, and renders each frame as the CLI prints it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Options } from '../cli/args.js';
import { displayFilter, quickFrame, renderFrame, valuesOf, withDirection } from '../cli/frame-output.js';
import { dissectFull } from '../api.js';
import type { Frame } from '../io/frame.js';
import { readHexLines } from '../io/hexlines.js';
import { SecuritySession } from '../security/session.js';
import { carriesGroupKeys, type CaptureJob, type JobResult } from './cli.js';

const o = (workerData as { options: Options }).options;
const session = new SecuritySession();
const matches = displayFilter(o.filter);
const quick = quickFrame(o);

function run(job: CaptureJob): JobResult {
  const frames: Frame[] = job.kind === 'lines' ? readHexLines(job.text, job.source, job.firstLine) : job.frames;
  const result: JobResult = { entries: [], keyed: [] };
  frames.forEach((f, i) => {
    const frame = withDirection(f, o.direction);
    const protocol = frame.protocol ?? o.protocol;
    const settled = quick?.(frame, job.firstNumber + i, protocol);
    if (settled) return void result.entries.push(settled.lines);
    const r = dissectFull(frame.bytes, protocol, { session, direction: frame.direction, receiver: frame.destination });
    if (frame.error !== undefined || (r.watched !== false && carriesGroupKeys(r.value))) {
      // The group key audit follows the whole capture, and unreadable lines are counted: the main thread dissects this frame in order.
      result.keyed.push({ i, frame });
      result.entries.push(null);
      return;
    }
    const values = valuesOf(o, r, { number: job.firstNumber + i, source: frame.source, direction: frame.direction });
    result.entries.push(matches(values) ? renderFrame(o, frame, job.firstNumber + i, protocol, r, values) : null);
  });
  return result;
}

parentPort!.on('message', ({ id, job }: { id: number; job: CaptureJob }) => {
  try {
    parentPort!.postMessage({ id, result: run(job) });
  } catch (e) {
    const err = e as Error & { where?: string; reason?: string };
    parentPort!.postMessage({ id, error: { name: err.name, message: err.message, where: err.where, reason: err.reason } });
  }
});
