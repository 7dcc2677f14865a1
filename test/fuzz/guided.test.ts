// Coverage guidance against a planted bug: a JS parser that fails only behind three nested
// single-octet comparisons inside a valid Uplink NAS transport (test/fixtures/fuzz/nas-parser.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, scratch } from './helpers.js';

const dir = scratch('fuzz-guided');

const parser = fileURLToPath(new URL('../fixtures/fuzz/nas-parser.mjs', import.meta.url));
const budget = ['-n', '200000', '--message', 'uplink_nas_transport', '--seed', '1', '--minimise-time', '2'];

describe('coverage guidance', () => {
  it('finds the planted bug within 200,000 inputs', async () => {
    const out = join(dir, 'guided');
    const r = await run('fuzz', '--target', parser, ...budget, '--out', out);
    expect(r.out[0]).toContain('coverage-guided');
    expect(r.out.at(-1)).toBe('200000 inputs, 1 findings');
    expect(r.code).toBe(1);
    const f = JSON.parse(readFileSync(join(out, 'findings', 'exception-1.json'), 'utf8'));
    expect(f).toMatchObject({ kind: 'exception', error: "TypeError: Cannot read properties of undefined (reading 'toUpperCase')" });
    expect(f.signature).toMatch(/^exception:TypeError@uplinkNasTransport \(nas-parser\.mjs:\d+\)<parse \(nas-parser\.mjs:\d+\)<fuzz \(nas-parser\.mjs:\d+\)$/);
    // Uplink NAS transport, container length, then the three octets the parser compares.
    const bin = readFileSync(join(out, 'findings', 'exception-1.bin'));
    expect([...bin.subarray(0, 2)]).toEqual([0x07, 0x63]);
    expect([...bin.subarray(3, 6)]).toEqual([0x4d, 0x54, 0x43]);
    expect(r.out.find((l) => l.startsWith('coverage: '))).toMatch(/^coverage: \d+ edges, \d+ inputs kept/);
  }, 300_000);

  it('does not find it with --no-coverage and the same budget (generation only)', async () => {
    const r = await run('fuzz', '--target', parser, ...budget, '--no-coverage', '--out', join(dir, 'blind'));
    expect(r.out[0]).not.toContain('coverage-guided');
    expect(r.out.at(-1)).toBe('200000 inputs, 0 findings');
    expect(r.code).toBe(0);
  }, 600_000);
});
