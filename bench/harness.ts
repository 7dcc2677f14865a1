/** Timing helpers for bench/: repeat a body until enough time has passed and report a rate. */
export interface Rate {
  name: string;
  perSecond: number;
  unit: string;
}

/**
 * The steady rate of `body` (which returns the units it did): run for `minMs` to warm up (the JIT's
 * tiers), then the best of five timed rounds of `minMs / 2` (a shared machine only ever slows a round down).
 */
export function measure(name: string, unit: string, body: () => number, minMs = 400): Rate {
  for (const warm = performance.now(); performance.now() - warm < minMs; ) body();
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let units = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < minMs / 2) {
      units += body();
      elapsed = performance.now() - t0;
    }
    best = Math.max(best, (units * 1000) / elapsed);
  }
  return { name, perSecond: best, unit };
}

export function table(title: string, rows: Rate[], baseline: Rate): string {
  const lines = [`${title} (ratio against ${baseline.name})`];
  for (const r of rows) {
    lines.push(`  ${r.name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(12)} ${r.unit}/s  x${(r.perSecond / baseline.perSecond).toFixed(2)}`);
  }
  return lines.join('\n');
}
