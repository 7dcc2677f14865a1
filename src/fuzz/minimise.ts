/**
 * Greedy byte-level minimisation (afl-tmin style): drop chunks of halving size while the finding
 * persists, then zero octets. The predicate sees a batch of candidates and names the first that
 * still fails, so a slow oracle (tshark) can test a whole pass in one run.
 */

export interface MinimiseOptions {
  /** Stop after this many milliseconds (the best input so far is kept). */
  budgetMs?: number;
  /** Stop after this many candidates tested. */
  maxTests?: number;
}

/** Returns the index of the first candidate that still shows the finding, or -1. */
export type FirstFailing = (candidates: Uint8Array[]) => number;

/** A sequential predicate as a batch one: tests candidates in order and stops at the first failure. */
export function sequential(stillFails: (b: Uint8Array) => boolean, counter?: { tests: number }): FirstFailing {
  return (cands) => {
    for (let i = 0; i < cands.length; i++) {
      if (counter) counter.tests++;
      if (stillFails(cands[i])) return i;
    }
    return -1;
  };
}

const without = (b: Uint8Array, at: number, n: number): Uint8Array => {
  const out = new Uint8Array(b.length - Math.min(n, b.length - at));
  out.set(b.subarray(0, at));
  out.set(b.subarray(at + n), at);
  return out;
};

export function minimise(input: Uint8Array, firstFailing: FirstFailing, opts: MinimiseOptions = {}): Uint8Array {
  const deadline = performance.now() + (opts.budgetMs ?? 5000);
  const maxTests = opts.maxTests ?? 5000;
  let tests = 0;
  let cur = input;
  const timeUp = () => performance.now() > deadline || tests >= maxTests;
  const attempt = (cands: Uint8Array[]): boolean => {
    if (!cands.length || timeUp()) return false;
    // Keep batches small enough for the budget: a sequential predicate stops early anyway.
    const batch = cands.slice(0, Math.max(1, maxTests - tests));
    const k = firstFailing(batch);
    tests += k < 0 ? batch.length : k + 1;
    if (k < 0) return false;
    cur = batch[k];
    return true;
  };
  for (let round = 0; round < 4; round++) {
    const before = cur.length;
    // Chunks from half the input down to single octets; after a success the same size is tried again.
    let chunk = 1;
    while (chunk * 2 < cur.length) chunk *= 2;
    while (chunk >= 1 && !timeUp()) {
      const cands: Uint8Array[] = [];
      for (let at = 0; at < cur.length; at += chunk) cands.push(without(cur, at, chunk));
      if (!attempt(cands)) chunk = Math.floor(chunk / 2);
    }
    if (cur.length === before || timeUp()) break;
  }
  // Then make the remaining octets as plain as possible: zero, one at a time.
  while (!timeUp()) {
    const cands: Uint8Array[] = [];
    for (let i = 0; i < cur.length; i++) {
      if (cur[i] === 0) continue;
      const c = cur.slice();
      c[i] = 0;
      cands.push(c);
    }
    if (!attempt(cands)) break;
  }
  return cur;
}
