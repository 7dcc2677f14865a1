/** Timing helpers for bench/: repeat a body until enough time has passed and report a rate. */
export interface Rate {
  name: string;
  perSecond: number;
  unit: string;
}

export function measure(name: string, unit: string, body: () => number, minMs = 400): Rate {
  body(); // warm-up
  let units = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    units += body();
    elapsed = performance.now() - t0;
  }
  return { name, perSecond: (units * 1000) / elapsed, unit };
}

export function table(title: string, rows: Rate[], baseline: Rate): string {
  const lines = [`${title} (ratio against ${baseline.name})`];
  for (const r of rows) {
    lines.push(`  ${r.name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(12)} ${r.unit}/s  x${(r.perSecond / baseline.perSecond).toFixed(2)}`);
  }
  return lines.join('\n');
}
