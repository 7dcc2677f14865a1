/**
 * The TUI on 100 000 packets: time to the first frame (against 1 000 packets), a key press (j), and a
 * display filter applied with the compiled decoder's values and with the dissector alone, measured
 * in the same run. `npx tsx bench/tui.ts`; `npm run bench` runs it too.
 */
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { dissectFull } from '../src/index.js';
import { defaultGrammar } from '../src/grammar/load.js';
import { readFrames, type Frame } from '../src/io/index.js';
import { quickValues } from '../src/output/quick-values.js';
import { App, type AppProps } from '../src/tui/App.js';
import { pathToFileURL } from 'node:url';

const samples = readFrames(readFileSync(new URL('../test/fixtures/tui/samples.txt', import.meta.url)), { source: 'samples.txt' });
const ir = defaultGrammar();
const catalogue = { has: (name: string) => ir.fields.has(name) || ir.protocols.has(name) };
const dissect = (f: Frame) => dissectFull(f.bytes, 'nas-eps');
const quick: AppProps['quick'] = (names) => {
  const values = quickValues(ir, names);
  return values && ((f, n) => values(f, n, 'nas-eps'));
};

const generate = (count: number): Frame[] => Array.from({ length: count }, (_, i) => ({ ...samples[i % samples.length], source: `gen:${i + 1}` }));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const tick = () => new Promise((r) => setImmediate(r));

/** Milliseconds to render the first frame (a fresh App, so nothing is cached), median of `runs`. */
function firstFrame(frames: Frame[], runs = 7): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = renderToString(createElement(App, { frames, title: 'bench', dissect, catalogue }), { columns: 140 });
    times.push(performance.now() - t0);
    if (!out.includes(`${frames.length} packets`)) throw new Error('the frame does not show the packet count');
  }
  return median(times);
}

/** Milliseconds until the screen changes after writing `keys`. */
async function untilChanged(app: ReturnType<typeof render>, keys: string, done: (screen: string) => boolean = () => true): Promise<number> {
  const before = app.lastFrame();
  const t0 = performance.now();
  app.stdin.write(keys);
  for (;;) {
    await tick();
    const now = app.lastFrame() ?? '';
    if (now !== before && done(now)) return performance.now() - t0;
    if (performance.now() - t0 > 60_000) throw new Error(`no change after ${JSON.stringify(keys)}`);
  }
}

/** Median key press (j) and the time a filter takes to show its matches, on `frames`. */
async function interaction(frames: Frame[], withQuick: boolean): Promise<{ key: number; filter: number }> {
  const app = render(createElement(App, { frames, title: 'bench', dissect, catalogue, quick: withQuick ? quick : undefined }));
  await new Promise((r) => setTimeout(r, 300));
  const keys: number[] = [];
  for (let i = 0; i < 15; i++) keys.push(await untilChanged(app, 'j'));
  app.stdin.write('/');
  await new Promise((r) => setTimeout(r, 50));
  app.stdin.write('nas_eps.nas_msg_emm_type == 0x42');
  await new Promise((r) => setTimeout(r, 50));
  const filter = await untilChanged(app, '\r', (s) => new RegExp(`\\b[1-9]\\d* of ${frames.length}\\b`).test(s));
  app.unmount();
  return { key: median(keys), filter };
}

export async function tuiBench(): Promise<string> {
  firstFrame(generate(100)); // warm-up: JIT and the first dissections
  const small = firstFrame(generate(1_000));
  const large = firstFrame(generate(100_000));
  const frames = generate(100_000);
  const fast = await interaction(frames, true);
  const slow = await interaction(frames, false);
  return [
    'TUI on 100 000 packets (medians; the references measured in the same run)',
    `  first frame           ${large.toFixed(1).padStart(8)} ms  x${(large / small).toFixed(2)} of 1 000 packets (${small.toFixed(1)} ms)`,
    `  key press (j)         ${fast.key.toFixed(1).padStart(8)} ms  target < 30 ms`,
    `  filter, compiled      ${fast.filter.toFixed(0).padStart(8)} ms  x${(fast.filter / slow.filter).toFixed(2)} of the dissector alone (${slow.filter.toFixed(0)} ms); target < 300 ms`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await tuiBench());
  process.exit(0);
}
