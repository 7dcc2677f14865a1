/**
 * Fuzz targets: our own dissector (`self`) with its oracles, or an external command fed each input
 * on stdin or as a file. A target turns one input into a finding or nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dissectFull } from '../api.js';
import type { DissectResult } from '../engine/dissect.js';
import { walk, type TreeNode } from '../engine/tree.js';
import { isExpertId } from '../expert.js';
import type { GrammarIR } from '../grammar/ir.js';

export type FindingKind = 'exception' | 'rejection' | 'memory' | 'tiling' | 'expert' | 'hang' | 'crash' | 'encode-error' | 'oracle-disagreement';

export interface Verdict {
  kind: FindingKind;
  /** What went wrong, one line. */
  error: string;
  /** Groups findings with the same cause: one file pair per signature. */
  signature: string;
}

export interface Target {
  name: string;
  /** undefined: nothing found. */
  run(bytes: Uint8Array, protocol: string): Verdict | undefined;
  /** Coverage-guided targets: whether the last input reached new coverage, and the points covered so far. */
  coverage?: { fresh: boolean; edges: number; constants?: number[] };
  close?(): void;
}

/** First frame of a stack below the error line, without the absolute path, for signatures. */
function topFrame(e: unknown): string {
  const stack = e instanceof Error && e.stack ? e.stack.split('\n').slice(1) : [];
  const frame = stack.find((l) => l.includes('/src/')) ?? stack[0] ?? '';
  return frame
    .trim()
    .replace(/\(.*\/(src\/[^)]*?):\d+\)$/, '($1)')
    .replace(/^at .*\/(src\/\S*?):\d+$/, 'at $1');
}

/**
 * Leaves (nodes without children) on the frame, sorted by bit offset, must not overlap and must lie
 * inside the input. Generated nodes and nodes of other data sources (deciphered payloads) are left
 * out; so are empty leaves. A leaf carrying a `truncated` expert item marks a field the data (or
 * its enclosing window) ends inside; it spans the field's full size by design (src/engine/stop.ts),
 * so it is clipped to the input and then held to the rule of every other leaf: no leaf may lie on
 * the bits it holds.
 */
export function tilingError(root: TreeNode, inputBits: number): string | undefined {
  const leaves = walk(root).filter((n) => n !== root && n.children.length === 0 && !n.generated && (n.source === undefined || n.source === 'frame') && n.bitLength > 0);
  leaves.sort((a, b) => a.bitOffset - b.bitOffset || a.bitLength - b.bitLength);
  let end = 0;
  let prev: TreeNode | undefined;
  for (const l of leaves) {
    const truncated = l.expert.some((e) => e.id === 'truncated');
    if (!Number.isInteger(l.bitOffset) || !Number.isInteger(l.bitLength) || l.bitOffset < 0 || l.bitLength < 0) return `${l.filter} has a bad range [${l.bitOffset}, +${l.bitLength})`;
    if (truncated && l.bitOffset > inputBits) return `${l.filter} [${l.bitOffset}, ${l.bitOffset + l.bitLength}) starts outside the ${inputBits}-bit input`;
    // A truncated leaf holds the bits that are there, and nothing may follow it on them.
    const stop = truncated ? Math.min(inputBits, l.bitOffset + l.bitLength) : l.bitOffset + l.bitLength;
    if (l.bitOffset < end) return `${l.filter} [${l.bitOffset}, ${l.bitOffset + l.bitLength}) overlaps ${prev!.filter} [${prev!.bitOffset}, ${end})`;
    if (stop > inputBits) return `${l.filter} [${l.bitOffset}, ${l.bitOffset + l.bitLength}) lies outside the ${inputBits}-bit input`;
    end = stop;
    prev = l;
  }
  return undefined;
}

/** Our dissector: exceptions, leaves that do not tile, expert ids outside the catalogue, slow inputs. */
export function selfTarget(ir: GrammarIR, timeoutMs: number): Target {
  return {
    name: 'self',
    run(bytes, protocol) {
      const t0 = performance.now();
      let r: DissectResult;
      try {
        r = dissectFull(bytes, protocol, { grammar: ir });
      } catch (e) {
        const err = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        return { kind: 'exception', error: `dissect threw ${err} ${topFrame(e)}`.trim(), signature: `exception:${e instanceof Error ? e.name : typeof e}:${topFrame(e)}` };
      }
      const ms = performance.now() - t0;
      if (ms > timeoutMs) return { kind: 'hang', error: `dissect took ${ms.toFixed(0)} ms (timeout ${timeoutMs} ms)`, signature: 'hang' };
      const bad = r.expert.find((e) => !isExpertId(e.id));
      if (bad) return { kind: 'expert', error: `expert id "${bad.id}" is not in the EXPERT catalogue (${bad.path})`, signature: `expert:${bad.id}` };
      const tiling = tilingError(r.tree, bytes.length * 8);
      if (tiling) return { kind: 'tiling', error: tiling, signature: `tiling:${tiling.replace(/\[[^\]]*\)/g, '').replace(/\d+/g, 'N')}` };
      return undefined;
    },
  };
}

/** The external command cannot be run at all (not found, not executable). */
export class TargetError extends Error {}

export interface ExternalOptions {
  command: string;
  timeoutMs: number;
  /** Exit codes counted as crashes; undefined: any code >= 128 (a shell's report of a signal). */
  crashCodes?: Set<number>;
}

export const SHELL_META = /[|&;<>()$`\\*?[\]#~=%!{}\n]/;

/** Words of a command without shell syntax: spaces separate, single and double quotes group. */
export function splitCommand(cmd: string): string[] | undefined {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (const ch of cmd) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (cur || any) words.push(cur);
      cur = '';
      any = false;
    } else cur += ch;
  }
  if (quote) return undefined;
  if (cur || any) words.push(cur);
  return words;
}

/**
 * An external program: each input on stdin, or written to a file whose path replaces `{}` (AFL: `@@`) in the
 * command. A crash is a death by signal or a listed exit code; a hang is the timeout.
 */
export function externalTarget(o: ExternalOptions): Target {
  // AFL's @@ is our {}.
  const template = o.command.replaceAll('@@', '{}');
  const usesFile = template.includes('{}');
  const dir = usesFile ? mkdtempSync(join(tmpdir(), 'mtcgk-fuzz-')) : undefined;
  const file = dir ? join(dir, 'input.bin') : undefined;
  const plain = template.replaceAll('{}', '');
  const words = SHELL_META.test(plain) ? undefined : splitCommand(template);
  return {
    name: o.command,
    run(bytes, protocol) {
      if (file) writeFileSync(file, bytes);
      const env = { ...process.env, MTCGK_FUZZ_PROTO: protocol };
      const opts = {
        input: usesFile ? undefined : bytes,
        timeout: o.timeoutMs,
        killSignal: 'SIGKILL' as const,
        env,
        stdio: [usesFile ? 'ignore' : 'pipe', 'ignore', 'pipe'] as ('pipe' | 'ignore')[],
        maxBuffer: 1 << 20,
      };
      const r = words
        ? spawnSync(
            words[0],
            words.slice(1).map((w) => w.replaceAll('{}', file ?? '')),
            opts,
          )
        : spawnSync('/bin/sh', ['-c', template.replaceAll('{}', file ? `'${file}'` : '')], opts);
      const stderr = r.stderr ? r.stderr.toString('utf8').trim().split('\n').slice(-1)[0].slice(0, 200) : '';
      const err = r.error as NodeJS.ErrnoException | undefined;
      if (err?.code === 'ETIMEDOUT') return { kind: 'hang', error: `no exit within ${o.timeoutMs} ms`, signature: 'hang' };
      // EPIPE: the program exited without reading all of its input, which is its right.
      if (err && err.code !== 'EPIPE') throw new TargetError(`cannot run "${o.command}": ${err.message}`);
      if (r.signal) return { kind: 'crash', error: `killed by ${r.signal}${stderr ? `: ${stderr}` : ''}`, signature: `crash:${r.signal}` };
      const code = r.status ?? 0;
      if (o.crashCodes ? o.crashCodes.has(code) : code >= 128) return { kind: 'crash', error: `exit code ${code}${stderr ? `: ${stderr}` : ''}`, signature: `crash:exit-${code}` };
      return undefined;
    },
    close() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
