/**
 * In-process JS targets, the Jazzer.js convention: a module exporting `fuzz(data: Uint8Array)`
 * (or another export, `FILE.mjs#name`), run in a worker thread behind a watchdog.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { workerScript } from '../stream/parallel.js';
import { STATUS, SyncChannel } from './channel.js';
import { TargetError, type Target, type Verdict } from './targets.js';

export interface JsTargetOptions {
  /** `FILE.mjs` or `FILE.mjs#export`. */
  spec: string;
  timeoutMs: number;
  /** Heap of the worker after an input above this is a finding. */
  memoryLimitMb: number;
  coverage: boolean;
}

const MODULE = /\.(mjs|cjs|js)$/;

/** The module file and export a target names, when it names an existing .js, .mjs or .cjs file; otherwise it is a command. */
export function jsModule(spec: string): { file: string; exportName: string } | undefined {
  const hash = spec.lastIndexOf('#');
  const [file, exportName] = hash > 0 && /^[A-Za-z_$][\w$]*$/.test(spec.slice(hash + 1)) ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, 'fuzz'];
  if (!MODULE.test(file) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return { file: resolve(file), exportName };
}

export function jsTarget(o: JsTargetOptions): Target {
  const m = jsModule(o.spec);
  if (!m) throw new TargetError(`${o.spec} is not a .js, .mjs or .cjs file`);
  const channel = new SyncChannel(
    workerScript('js-worker', import.meta.url),
    { ...m, coverage: o.coverage, memoryLimitMb: o.memoryLimitMb },
    {
      startMs: 60_000,
      // Room above the limit, so that growth is reported by the check after the input, not by V8.
      resourceLimits: { maxOldGenerationSizeMb: o.memoryLimitMb * 2 + 256 },
    },
  );
  const err = channel.start();
  if (err) throw new TargetError(err);
  const coverage = o.coverage ? { fresh: false, edges: 0, constants: channel.constants() } : undefined;
  return {
    name: o.spec,
    coverage,
    run(bytes) {
      let r: ReturnType<typeof channel.call>;
      try {
        r = channel.call(bytes, o.timeoutMs);
      } catch (e) {
        throw new TargetError((e as Error).message);
      }
      if (!r) {
        if (coverage) coverage.fresh = false;
        return { kind: 'hang', error: `no return within ${o.timeoutMs} ms`, signature: 'hang' };
      }
      if (coverage) {
        coverage.fresh = r.fresh;
        coverage.edges = r.edges;
      }
      if (r.status === STATUS.ok) return undefined;
      const d = r.detail ?? { error: 'no detail', signature: String(r.status) };
      const kind: Verdict['kind'] = r.status === STATUS.memory ? 'memory' : r.status === STATUS.rejection ? 'rejection' : 'exception';
      return { kind, error: d.error, signature: d.signature };
    },
    close() {
      channel.stop();
    },
  };
}
