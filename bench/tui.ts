/**
 * `npx tsx bench/tui.ts`: time to the first frame of the TUI for 100 000 packets against 1 000.
 * The packet list summarizes only the rows it shows, so the two should take about as long.
 */
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'ink';
import { dissectFull } from '../src/index.js';
import { defaultGrammar } from '../src/grammar/load.js';
import { readFrames, type Frame } from '../src/io/index.js';
import { App } from '../src/tui/App.js';

const samples = readFrames(readFileSync(new URL('../test/fixtures/tui/samples.txt', import.meta.url)), { source: 'samples.txt' });
const ir = defaultGrammar();
const catalogue = { has: (name: string) => ir.fields.has(name) || ir.protocols.has(name) };

const generate = (count: number): Frame[] => Array.from({ length: count }, (_, i) => ({ ...samples[i % samples.length], source: `gen:${i + 1}` }));

/** Milliseconds to render the first frame (a fresh App, so nothing is cached), median of `runs`. */
function firstFrame(frames: Frame[], runs = 7): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = renderToString(createElement(App, { frames, title: 'bench', dissect: (f: Frame) => dissectFull(f.bytes, 'nas-eps'), catalogue }), { columns: 140 });
    times.push(performance.now() - t0);
    if (!out.includes(`${frames.length} packets`)) throw new Error('the frame does not show the packet count');
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

firstFrame(generate(100)); // warm-up: JIT and the first dissections
const small = firstFrame(generate(1_000));
const large = firstFrame(generate(100_000));
console.log('TUI first frame (median of 7)');
console.log(`    1 000 packets  ${small.toFixed(1).padStart(8)} ms`);
console.log(`  100 000 packets  ${large.toFixed(1).padStart(8)} ms  x${(large / small).toFixed(2)}`);
