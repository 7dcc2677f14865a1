/**
 * The worker thread of an in-process JS target: loads the module (instrumented for coverage unless
 * told not to), then calls its fuzz function on every input the main thread hands over. A thrown
 * exception, a rejected promise and heap growth past the limit are findings; the main thread's
 * watchdog catches time-outs. The target's console output is discarded (libFuzzer's -close_fd_mask).
 */
import { getHeapStatistics } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { CELL, failStart, serve, STATUS, writeMessage, type ChannelBuffers } from './channel.js';
import { comparedOctets, CoverageMap, installCoverageHooks } from './coverage.js';
import { errorSignature } from './signature.js';

interface JsWorkerData {
  buffers: ChannelBuffers;
  file: string;
  exportName: string;
  coverage: boolean;
  memoryLimitMb: number;
}

const d = workerData as JsWorkerData;
const ctrl = new Int32Array(d.buffers.ctrl);

const quiet = () => true;
process.stdout.write = quiet as typeof process.stdout.write;
process.stderr.write = quiet as typeof process.stderr.write;
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const) console[k] = () => {};

async function load(): Promise<((data: Uint8Array) => unknown) | undefined> {
  if (d.coverage) installCoverageHooks();
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(d.file).href)) as Record<string, unknown>;
  } catch (e) {
    failStart(d.buffers, `cannot load ${d.file}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  // A CommonJS module's exports are its default export.
  const fn = mod[d.exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[d.exportName];
  if (typeof fn !== 'function') {
    failStart(d.buffers, `${d.file} has no exported function "${d.exportName}"`);
    return undefined;
  }
  return fn as (data: Uint8Array) => unknown;
}

const fn = await load();
if (fn) {
  const coverage = d.coverage ? new CoverageMap() : undefined;
  coverage?.collect(); // what loading the module ran is the baseline
  if (coverage) {
    const flags = new Uint8Array(d.buffers.constants);
    for (const v of comparedOctets(coverage.paths())) flags[v] = 1;
  }
  const limit = d.memoryLimitMb * 1024 * 1024;
  const fail = (status: number, kind: string, e: unknown) => {
    ctrl[CELL.status] = status;
    writeMessage(d.buffers, { error: e instanceof Error ? `${e.name}: ${e.message}` : `non-Error value thrown: ${String(e).slice(0, 200)}`, signature: `${kind}:${errorSignature(e)}` });
  };
  await serve(d.buffers, (input) => {
    ctrl[CELL.status] = STATUS.ok;
    const finish = () => {
      if (coverage) {
        ctrl[CELL.fresh] = coverage.collect() ? 1 : 0;
        ctrl[CELL.edges] = coverage.edges;
      }
      if (ctrl[CELL.status] === STATUS.ok) {
        // The JS heap and what it holds outside it (typed arrays' buffers).
        const h = getHeapStatistics();
        const used = h.used_heap_size + h.external_memory;
        if (used > limit) {
          ctrl[CELL.status] = STATUS.memory;
          writeMessage(d.buffers, { error: `heap of ${(used / 1048576).toFixed(0)} MB after the input, over the ${d.memoryLimitMb} MB limit`, signature: 'memory' });
        }
      }
    };
    let r: unknown;
    try {
      r = fn(input);
    } catch (e) {
      fail(STATUS.exception, 'exception', e);
      return finish();
    }
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      return (r as Promise<unknown>).then(finish, (e: unknown) => {
        fail(STATUS.rejection, 'rejection', e);
        finish();
      });
    }
    finish();
  });
}
