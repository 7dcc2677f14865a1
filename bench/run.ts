/** `npm run bench`: every benchmark, each reported as ratios against a baseline from the same run. */
import { codecBench } from './codec.js';
import { engineBench } from './engine.js';
import { cryptoBench } from './crypto.js';
import { fuzzBench, targetsBench } from './fuzz.js';

console.log(await engineBench(Number(process.env.MTCGK_BENCH_ENGINE_MESSAGES ?? 20_000)));
console.log();
console.log(codecBench());
console.log();
console.log(cryptoBench());
console.log(`\n${fuzzBench()}`);
console.log(`\n${targetsBench()}`);
console.log(`\n${await (await import('./tui.js')).tuiBench()}`);
console.log(`\n${await (await import('./library.js')).libraryBench({ sizeMB: Number(process.env.MTCGK_BENCH_MB ?? 50) })}`);
console.log(`\n${await (await import('./analytics.js')).analyticsBench({ sizeMB: Number(process.env.MTCGK_BENCH_ANALYTICS_MB ?? 20), build: false })}`);
