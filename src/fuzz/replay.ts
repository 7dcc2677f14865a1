/**
 * `mtcgk fuzz --replay DIR`: the files of a findings or corpus directory run once each against a
 * target. A finding's .json beside its .bin gives the protocol; other files take the default.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Target, Verdict } from './targets.js';

export interface ReplayResult {
  file: string;
  verdict?: Verdict;
}

export function replayDir(target: Target, dir: string, protocol: string, each?: (r: ReplayResult) => void): ReplayResult[] {
  const names = readdirSync(dir).sort();
  const out: ReplayResult[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const stem = name.replace(/\.bin$/, '');
    // A finding's description, not an input.
    if (name.endsWith('.json') && existsSync(join(dir, `${name.slice(0, -5)}.bin`))) continue;
    let p = protocol;
    const json = join(dir, `${stem}.json`);
    if (name.endsWith('.bin') && existsSync(json)) {
      try {
        p = (JSON.parse(readFileSync(json, 'utf8')) as { protocol?: string }).protocol ?? protocol;
      } catch {
        // Not one of ours: the default protocol.
      }
    }
    const r = { file, verdict: target.run(new Uint8Array(readFileSync(file)), p) };
    out.push(r);
    each?.(r);
  }
  return out;
}
