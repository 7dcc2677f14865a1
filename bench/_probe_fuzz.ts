import { defaultGrammar } from '../src/grammar/load.js';
import { Arbitraries } from '../src/engine/arbitrary.js';
import { encode, dissectFull, toHex } from '../src/index.js';
import * as fc from 'fast-check';
const ir = defaultGrammar();
const a = new Arbitraries(ir);
let t0=performance.now(); const vals: [unknown,string][] = [];
const arb = a.protocol('nas-eps');
for (const v of fc.sample(arb, {numRuns: 5000, seed: 1})) vals.push([v,'nas-eps']);
console.log('gen protocol', vals.length, performance.now()-t0);
t0=performance.now();
for (const [m,p] of ir.messageProtocols) { const arb = a.message(m,p); for (const v of fc.sample(arb, {numRuns: 50, seed: 1})) vals.push([v,p]); }
console.log('gen per msg', vals.length, performance.now()-t0);
t0=performance.now(); const bs = vals.map(([v,p])=>[encode(v,p),p] as const); console.log('enc', performance.now()-t0);
t0=performance.now(); for (const [b,p] of bs) dissectFull(b,p); console.log('dis', performance.now()-t0, bs.reduce((s,[b])=>s+b.length,0)/bs.length);
