/** Persistent external targets: one long-lived process, inputs in frames (src/fuzz/persistent-worker.ts). */
import { workerScript } from '../stream/parallel.js';
import { STATUS, SyncChannel } from './channel.js';
import { TargetError, type Target } from './targets.js';

export interface PersistentOptions {
  command: string;
  timeoutMs: number;
}

/** Time the worker needs beyond the target's own time-out (it kills and reports the target itself). */
const MARGIN_MS = 5000;

export function persistentTarget(o: PersistentOptions): Target {
  const channel = new SyncChannel(workerScript('persistent-worker', import.meta.url), { command: o.command, timeoutMs: o.timeoutMs }, { startMs: 60_000 });
  const err = channel.start();
  if (err) throw new TargetError(err);
  return {
    name: o.command,
    run(bytes) {
      const r = channel.call(bytes, o.timeoutMs + MARGIN_MS);
      if (!r || r.status === STATUS.hang) return { kind: 'hang', error: r?.detail?.error ?? `no status within ${o.timeoutMs} ms`, signature: 'hang' };
      if (r.status === STATUS.ok) return undefined;
      const detail = r.detail ?? { error: `status ${r.status}`, signature: String(r.status) };
      if (detail.signature === 'start') throw new TargetError(detail.error);
      return { kind: 'crash', error: detail.error, signature: detail.signature };
    },
    close() {
      channel.stop();
    },
  };
}
