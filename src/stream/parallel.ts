/**
 * A pool of worker threads that runs jobs and hands back their results in job order (Node only).
 * At most `window` jobs are in flight, so memory stays bounded whatever the input size.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../io/input-error.js';

interface Reply<R> {
  id: number;
  result?: R;
  error?: { name: string; message: string; where?: string; reason?: string };
}

interface Slot<R> {
  worker: Worker;
  busy: number;
  waiting: Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>;
}

/** A worker module: a file URL, or (for TypeScript sources) a bootstrap run with `eval`. */
export interface WorkerScript {
  url: URL | string;
  eval?: boolean;
}

/**
 * The worker module `name` next to `base` (an import.meta.url): its .js build, or under tsx or vitest
 * (TypeScript sources) a bootstrap that registers tsx's loader in the thread, then imports the .ts file.
 */
export function workerScript(name: string, base: string): WorkerScript {
  if (!base.endsWith('.ts')) return { url: new URL(`./${name}.js`, base) };
  const tsx = pathToFileURL(
    createRequire(base)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const target = new URL(`./${name}.ts`, base).href;
  return { url: `import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(target)}));`, eval: true };
}

function revive(e: NonNullable<Reply<unknown>['error']>): Error {
  if (e.name === 'InputError' && e.where !== undefined && e.reason !== undefined) return new InputError(e.where, e.reason);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export class OrderedPool<J, R> {
  private slots: Array<Slot<R>>;
  private failure?: Error;

  constructor(
    size: number,
    script: WorkerScript,
    workerData: unknown,
    /** Jobs in flight at most; default 4 per worker. */
    private readonly window = size * 4,
  ) {
    this.slots = Array.from({ length: size }, () => {
      const worker = new Worker(script.url, { workerData, eval: script.eval });
      const slot: Slot<R> = { worker, busy: 0, waiting: new Map() };
      worker.on('message', (m: Reply<R>) => {
        const w = slot.waiting.get(m.id);
        if (!w) return;
        slot.waiting.delete(m.id);
        slot.busy--;
        if (m.error) w.reject(revive(m.error));
        else w.resolve(m.result as R);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (slot.waiting.size) this.fail(new Error(`worker thread exited (code ${code}) with jobs pending`));
      });
      return slot;
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const s of this.slots) {
      for (const w of s.waiting.values()) w.reject(e);
      s.waiting.clear();
    }
  }

  private dispatch(id: number, job: J, transfer?: ArrayBuffer[]): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    const p = new Promise<R>((resolve, reject) => slot.waiting.set(id, { resolve, reject }));
    slot.worker.postMessage({ id, job }, transfer ?? []);
    return p;
  }

  /**
   * Runs every job of `jobs` and yields the results in the jobs' order. Stopping the iteration (or an
   * error) stops reading jobs; close() ends the threads.
   */
  async *map(jobs: AsyncIterable<J> | Iterable<J>, transfer?: (job: J) => ArrayBuffer[]): AsyncGenerator<R> {
    const it = (Symbol.asyncIterator in jobs ? (jobs as AsyncIterable<J>)[Symbol.asyncIterator]() : (jobs as Iterable<J>)[Symbol.iterator]()) as AsyncIterator<J> | Iterator<J>;
    const pending = new Map<number, Promise<R>>();
    let next = 0;
    let out = 0;
    let done = false;
    try {
      for (;;) {
        while (!done && next - out < this.window) {
          const r = await it.next();
          if (r.done) done = true;
          else {
            const p = this.dispatch(next, r.value, transfer?.(r.value));
            p.catch(() => undefined); // awaited in order below; a failure before then is not unhandled
            pending.set(next++, p);
          }
        }
        if (out === next) return;
        const result = await pending.get(out)!;
        pending.delete(out++);
        yield result;
      }
    } finally {
      if (!done) await it.return?.();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
