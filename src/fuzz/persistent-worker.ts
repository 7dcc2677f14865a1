/**
 * The worker thread of a persistent external target: keeps one process of the command running and
 * speaks the frame protocol with it (docs/fuzzing.md): each input on its stdin as a 4-byte
 * little-endian length and the octets, one status octet back on its stdout. A status other than 0,
 * a death and a closed pipe are findings; a dead or silent process is replaced on the next input.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { workerData } from 'node:worker_threads';
import { CELL, failStart, serve, STATUS, writeMessage, type ChannelBuffers } from './channel.js';
import { SHELL_META, splitCommand } from './targets.js';

interface PersistentWorkerData {
  buffers: ChannelBuffers;
  command: string;
  timeoutMs: number;
}

type Outcome = { status: number; error?: string; signature?: string };

const d = workerData as PersistentWorkerData;
const ctrl = new Int32Array(d.buffers.ctrl);

let child: ChildProcess | undefined;
/** Status octets received and not yet matched to an input. */
let received: number[] = [];
let waiting: ((o: Outcome) => void) | undefined;
let stderrTail = '';

const tail = () => (stderrTail.trim() ? `: ${stderrTail.trim().split('\n').slice(-1)[0].slice(0, 200)}` : '');

function settle(o: Outcome): void {
  const w = waiting;
  waiting = undefined;
  w?.(o);
}

/** Starts the command; resolves with the error when it cannot be run. */
function start(): Promise<string | undefined> {
  const words = SHELL_META.test(d.command) ? undefined : splitCommand(d.command);
  const c = words ? spawn(words[0], words.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn('/bin/sh', ['-c', d.command], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = c;
  received = [];
  stderrTail = '';
  c.stdin!.on('error', () => {}); // a closed pipe shows as the exit
  c.stdout!.on('data', (chunk: Buffer) => {
    if (c !== child) return;
    for (const b of chunk) received.push(b);
    if (waiting && received.length) {
      const s = received.shift()!;
      settle(s ? { status: STATUS.status, error: `status ${s}${tail()}`, signature: `status-${s}` } : { status: STATUS.ok });
    }
  });
  c.stderr!.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-1000);
  });
  c.on('exit', (code, signal) => {
    if (c !== child) return;
    child = undefined;
    const what = signal ? `killed by ${signal}` : `exited with code ${code} (pipe closed)`;
    settle({ status: STATUS.crash, error: `${what}${tail()}`, signature: signal ? `crash:${signal}` : `crash:exit-${code}` });
  });
  return new Promise((resolve) => {
    c.once('spawn', () => resolve(undefined));
    c.once('error', (e) => {
      if (c === child) child = undefined;
      resolve(`cannot run "${d.command}": ${e.message}`);
    });
  });
}

function kill(): void {
  const c = child;
  child = undefined;
  c?.kill('SIGKILL');
}

async function run(input: Uint8Array): Promise<Outcome> {
  if (!child) {
    const err = await start();
    if (err) return { status: STATUS.crash, error: err, signature: 'start' };
  }
  const frame = new Uint8Array(4 + input.length);
  new DataView(frame.buffer).setUint32(0, input.length, true);
  frame.set(input, 4);
  const outcome = new Promise<Outcome>((resolve) => {
    waiting = resolve;
  });
  if (received.length) {
    // An octet the process sent unasked: take it as this input's answer, as the process meant it.
    const s = received.shift()!;
    settle(s ? { status: STATUS.status, error: `status ${s}`, signature: `status-${s}` } : { status: STATUS.ok });
  } else child!.stdin!.write(frame);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: STATUS.hang, error: `no status within ${d.timeoutMs} ms`, signature: 'hang' }), d.timeoutMs);
  });
  const o = await Promise.race([outcome, timeout]);
  clearTimeout(timer);
  if (o.status === STATUS.hang) {
    waiting = undefined;
    kill();
  }
  return o;
}

const err = await start();
if (err) failStart(d.buffers, err);
else
  await serve(d.buffers, async (input) => {
    const o = await run(input);
    ctrl[CELL.status] = o.status;
    if (o.status !== STATUS.ok) writeMessage(d.buffers, { error: o.error ?? '', signature: o.signature ?? '' });
  });
