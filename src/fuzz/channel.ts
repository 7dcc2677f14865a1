/**
 * A synchronous call into a worker thread: the fuzz loop is synchronous, so the main thread hands
 * an input over in shared memory, wakes the worker and waits on an Atomics cell with a time-out (the
 * watchdog). A worker that does not answer in time is terminated and a fresh one started on the
 * next call, so a hang is one finding and the run goes on.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerScript } from '../stream/parallel.js';

/** Cells of the control array. */
export const CELL = { state: 0, length: 1, status: 2, fresh: 3, edges: 4, message: 5 } as const;
/** Values of the state cell. */
export const STATE = { starting: 0, idle: 1, request: 2, done: 3, failed: 4 } as const;
/** Values of the status cell: how the input went. */
export const STATUS = { ok: 0, exception: 1, rejection: 2, memory: 3, crash: 4, status: 5, hang: 6 } as const;

/** Longest input the channel carries (libFuzzer's -max_len is far below). */
export const MAX_INPUT = 1 << 20;
const MESSAGE_BYTES = 8192;

export interface ChannelBuffers {
  ctrl: SharedArrayBuffer;
  data: SharedArrayBuffer;
  message: SharedArrayBuffer;
  /** 256 flags: octet values the target compares with (set by the worker when it starts). */
  constants: SharedArrayBuffer;
}

export interface Reply {
  status: number;
  /** The input reached coverage no earlier input had. */
  fresh: boolean;
  /** Coverage points seen so far. */
  edges: number;
  /** Set by the worker with a status other than ok: `{error, signature}`. */
  detail?: { error: string; signature: string };
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Worker side: the message the main thread reads with a status (JSON, cut to the buffer). */
export function writeMessage(b: ChannelBuffers, value: { error: string; signature: string }): void {
  const ctrl = new Int32Array(b.ctrl);
  const bytes = encoder.encode(JSON.stringify({ error: value.error.slice(0, 1000), signature: value.signature.slice(0, 2000) }));
  const n = Math.min(bytes.length, MESSAGE_BYTES);
  new Uint8Array(b.message).set(bytes.subarray(0, n));
  ctrl[CELL.message] = n;
}

export class SyncChannel {
  private worker?: Worker;
  private readonly buffers: ChannelBuffers = {
    ctrl: new SharedArrayBuffer(64),
    data: new SharedArrayBuffer(MAX_INPUT),
    message: new SharedArrayBuffer(MESSAGE_BYTES),
    constants: new SharedArrayBuffer(256),
  };
  private readonly ctrl = new Int32Array(this.buffers.ctrl);
  private readonly data = new Uint8Array(this.buffers.data);
  /** Workers started (1 + restarts after hangs and crashes). */
  starts = 0;

  constructor(
    private readonly script: WorkerScript,
    private readonly workerData: Record<string, unknown>,
    private readonly options: { startMs: number; resourceLimits?: { maxOldGenerationSizeMb: number } },
  ) {}

  private readMessage(): { error: string; signature: string } | undefined {
    const n = this.ctrl[CELL.message];
    if (!n) return undefined;
    try {
      return JSON.parse(decoder.decode(new Uint8Array(this.buffers.message).slice(0, n)));
    } catch {
      return undefined;
    }
  }

  /** Starts the worker and waits until it is ready; the error it gives when it cannot start. */
  start(): string | undefined {
    this.stop();
    Atomics.store(this.ctrl, CELL.state, STATE.starting);
    this.ctrl[CELL.message] = 0;
    this.worker = new Worker(this.script.url, {
      eval: this.script.eval,
      workerData: { ...this.workerData, buffers: this.buffers },
      resourceLimits: this.options.resourceLimits,
      stdout: false,
      stderr: false,
    });
    // Errors reach the main thread only between runs; the state cell is what counts.
    this.worker.on('error', () => {});
    this.worker.unref();
    this.starts++;
    Atomics.wait(this.ctrl, CELL.state, STATE.starting, this.options.startMs);
    const state = Atomics.load(this.ctrl, CELL.state);
    if (state === STATE.idle) return undefined;
    const message = this.readMessage()?.error ?? `the worker did not start within ${this.options.startMs} ms`;
    this.stop();
    return message;
  }

  /** Runs one input; undefined when the worker did not answer within `timeoutMs` (it is then stopped). */
  call(bytes: Uint8Array, timeoutMs: number): Reply | undefined {
    if (!this.worker) {
      const err = this.start();
      if (err) throw new Error(err);
    }
    const n = Math.min(bytes.length, MAX_INPUT);
    this.data.set(bytes.subarray(0, n));
    this.ctrl[CELL.length] = n;
    this.ctrl[CELL.message] = 0;
    Atomics.store(this.ctrl, CELL.state, STATE.request);
    Atomics.notify(this.ctrl, CELL.state);
    const deadline = performance.now() + timeoutMs;
    while (Atomics.load(this.ctrl, CELL.state) === STATE.request) {
      const left = deadline - performance.now();
      if (left <= 0) {
        this.stop();
        return undefined;
      }
      Atomics.wait(this.ctrl, CELL.state, STATE.request, left);
    }
    const status = this.ctrl[CELL.status];
    const reply: Reply = { status, fresh: this.ctrl[CELL.fresh] === 1, edges: this.ctrl[CELL.edges], detail: status ? this.readMessage() : undefined };
    Atomics.store(this.ctrl, CELL.state, STATE.idle);
    return reply;
  }

  /** Octet values the worker found the target comparing with. */
  constants(): number[] {
    const flags = new Uint8Array(this.buffers.constants);
    return [...flags.keys()].filter((v) => flags[v]);
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Worker side: wait for a request, answer it, forever. `handle` may be async (awaited). */
export async function serve(b: ChannelBuffers, handle: (input: Uint8Array) => Promise<void> | void): Promise<never> {
  const ctrl = new Int32Array(b.ctrl);
  const data = new Uint8Array(b.data);
  Atomics.store(ctrl, CELL.state, STATE.idle);
  Atomics.notify(ctrl, CELL.state);
  for (;;) {
    // A blocking wait between inputs: the worker's event loop runs only while a handler awaits.
    for (let s = Atomics.load(ctrl, CELL.state); s !== STATE.request; s = Atomics.load(ctrl, CELL.state)) Atomics.wait(ctrl, CELL.state, s);
    const input = data.slice(0, ctrl[CELL.length]);
    const r = handle(input);
    if (r) await r;
    Atomics.store(ctrl, CELL.state, STATE.done);
    Atomics.notify(ctrl, CELL.state);
  }
}

/** Worker side: report that the target cannot be loaded or started. */
export function failStart(b: ChannelBuffers, error: string): void {
  const ctrl = new Int32Array(b.ctrl);
  writeMessage(b, { error, signature: 'start' });
  Atomics.store(ctrl, CELL.state, STATE.failed);
  Atomics.notify(ctrl, CELL.state);
}
