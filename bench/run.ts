/** `npm run bench`: every benchmark, each reported as ratios against a baseline from the same run. */
import { codecBench } from './codec.js';
import { cryptoBench } from './crypto.js';

console.log(codecBench());
console.log();
console.log(cryptoBench());
