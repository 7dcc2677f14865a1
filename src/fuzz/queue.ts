/**
 * The inputs a coverage-guided run keeps (each reached coverage no earlier input had), with the
 * structure the mutators need, and the corpus directory in libFuzzer's layout: one flat folder,
 * one file per input named by the SHA-1 of its content (AFL++ reads it as an input folder).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dissectFull } from '../api.js';
import type { TreeNode } from '../engine/tree.js';
import type { GrammarIR } from '../grammar/ir.js';
import type { FuzzInput } from './arbitraries.js';
import { MAX_INPUT } from './channel.js';
import { shapeOf, type Shape } from './mutate.js';

export const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

export interface Kept {
  input: FuzzInput;
  bytes: Uint8Array;
  hash: string;
  shape?: Shape;
}

export class Queue {
  readonly entries: Kept[] = [];
  private hashes = new Set<string>();

  constructor(private readonly ir: GrammarIR) {}

  /** Keeps an input unless one with the same content is kept already. */
  add(input: FuzzInput, bytes: Uint8Array): Kept | undefined {
    const hash = sha1(bytes);
    if (this.hashes.has(hash)) return undefined;
    this.hashes.add(hash);
    const k: Kept = { input, bytes, hash };
    this.entries.push(k);
    return k;
  }

  /** The structure of a kept input, from its dissection (once). */
  shape(k: Kept): Shape {
    if (!k.shape) {
      let tree: TreeNode | undefined;
      try {
        tree = dissectFull(k.bytes, k.input.protocol, { grammar: this.ir }).tree;
      } catch {
        tree = undefined;
      }
      k.shape = tree ? shapeOf(tree, k.bytes.length) : { fields: [], elements: [] };
    }
    return k.shape;
  }

  /**
   * An entry to mutate: half the time any entry, half the time one of the newest eight, so that an
   * input that just got past one comparison is soon mutated towards the next.
   */
  pick(rnd: () => number): Kept {
    const n = this.entries.length;
    const from = rnd() < 0.5 ? 0 : Math.max(0, n - 8);
    return this.entries[Math.min(n - 1, from + Math.floor(rnd() * (n - from)))];
  }
}

/** The inputs of a corpus directory (regular files, sorted by name; larger than the channel carries: left out). */
export function readCorpusDir(dir: string): Uint8Array[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: Uint8Array[] = [];
  for (const n of names) {
    const path = join(dir, n);
    const st = statSync(path);
    if (st.isFile() && st.size <= MAX_INPUT) out.push(new Uint8Array(readFileSync(path)));
  }
  return out;
}

/** Writes every kept input as DIR/<sha1>; returns how many files are new. */
export function writeCorpusDir(dir: string, entries: Kept[]): number {
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  let written = 0;
  for (const e of entries) {
    if (have.has(e.hash)) continue;
    writeFileSync(join(dir, e.hash), e.bytes);
    written++;
  }
  return written;
}
