import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { SiteWalker } from '../../src/fuzz/sites.js';
import { defaultGrammar } from '../../src/grammar/load.js';

const ir = defaultGrammar();
const walker = new SiteWalker(ir);
const arbs = new Arbitraries(ir);

describe('fuzz sites', () => {
  // The walker reaches a message the way the encoder does: by name, through every dispatch case,
  // the ones told apart only by direction too (TS 24.301's network-originated Detach request).
  const l3 = [...ir.messages].filter(([, t]) => t.kind === 'l3').map(([name]) => name);
  it.each(l3)('finds the message site of %s', (name) => {
    const protocol = ir.messageProtocols.get(name)!;
    const root = ir.types.get(ir.protocols.get(protocol)!.root)!;
    const [value] = fc.sample(arbs.message(name, protocol), { seed: 20261204, numRuns: 1 });
    expect(
      walker
        .sites(root, value)
        .filter((s) => s.kind === 'l3')
        .map((s) => s.kind === 'l3' && s.type.name),
    ).toContain(name);
  });
});
