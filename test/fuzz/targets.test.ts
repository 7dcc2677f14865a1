// In-process JS targets, persistent targets, AFL's @@, --replay and the corpus directory, through the CLI's main.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, scratch } from './helpers.js';

const dir = scratch('fuzz-targets');

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/fuzz/${name}`, import.meta.url));
const findings = (out: string) =>
  readdirSync(join(out, 'findings'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(out, 'findings', f), 'utf8')));

describe('in-process JS targets', () => {
  it('reports a hang, restarts the worker and finishes the run', async () => {
    const out = join(dir, 'hang');
    const r = await run('fuzz', '--target', fixture('hang.mjs'), '-n', '40', '--message', 'identity_request', '--seed', '4', '--timeout', '300', '--minimise-time', '1', '--no-coverage', '--out', out);
    expect(r.out.at(-1)).toBe('40 inputs, 1 findings');
    expect(r.code).toBe(1);
    expect(findings(out)).toEqual([expect.objectContaining({ kind: 'hang', error: 'no return within 300 ms' })]);
    expect([...readFileSync(join(out, 'findings', 'hang-1.bin'))].slice(0, 2)).toEqual([0x07, 0x55]);
  }, 120_000);

  it('takes another export with #name; a rejected promise is a finding with its type and top frame', async () => {
    const out = join(dir, 'rejects');
    const r = await run('fuzz', '--target', `${fixture('misbehave.mjs')}#rejects`, '-n', '60', '--message', 'identity_request', '--seed', '4', '--minimise-time', '1', '--no-coverage', '--out', out);
    expect(r.out.at(-1)).toBe('60 inputs, 1 findings');
    const [f] = findings(out);
    expect(f).toMatchObject({ kind: 'rejection', error: 'RangeError: IMEISV requests are not accepted' });
    expect(f.signature).toMatch(/^rejection:RangeError@rejects \(misbehave\.mjs:\d+\)/);
  }, 120_000);

  it('counts heap growth past --memory-limit as a finding', async () => {
    const out = join(dir, 'leaks');
    const r = await run(
      'fuzz',
      '--target',
      `${fixture('misbehave.mjs')}#leaks`,
      '-n',
      '100',
      '--proto',
      'gmsg',
      '--seed',
      '1',
      '--memory-limit',
      '48',
      '--minimise-time',
      '0',
      '--no-coverage',
      '--out',
      out,
    );
    expect(r.code).toBe(1);
    expect(r.out.at(-1)).toBe('100 inputs, 1 findings');
    expect(findings(out)[0]).toMatchObject({ kind: 'memory', error: expect.stringMatching(/^heap of \d+ MB after the input, over the 48 MB limit$/) });
  }, 120_000);

  it('names a module without the export, or that does not load, in a one-line error', async () => {
    const a = await run('fuzz', '--target', `${fixture('hang.mjs')}#nosuch`, '-n', '1', '--out', join(dir, 'noexport'));
    expect(a.code).toBe(1);
    expect(a.err).toEqual([expect.stringMatching(/^mtcgk: --target: .*hang\.mjs has no exported function "nosuch" \(see mtcgk --help\)$/)]);
    const bad = join(dir, 'bad.mjs');
    writeFileSync(bad, 'export function fuzz( {');
    const b = await run('fuzz', '--target', bad, '-n', '1', '--out', join(dir, 'bad'));
    expect(b.code).toBe(1);
    expect(b.err).toEqual([expect.stringMatching(/^mtcgk: --target: cannot load .*bad\.mjs: /)]);
  }, 120_000);

  it('writes the kept inputs as a flat folder of files named by their SHA-1, and continues from it', async () => {
    const corpus = join(dir, 'corpus');
    const r = await run('fuzz', '--target', fixture('nas-parser.mjs'), '-n', '3000', '--proto', 'nas-eps', '--seed', '2', '--corpus', corpus, '--out', join(dir, 'c1'));
    expect(r.out.at(-1)).toBe('3000 inputs, 0 findings');
    expect(r.out[0]).toContain('coverage-guided');
    const files = readdirSync(corpus);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files)
      expect(
        createHash('sha1')
          .update(readFileSync(join(corpus, f)))
          .digest('hex'),
      ).toBe(f);
    const line = r.out.find((l) => l.startsWith('coverage: '))!;
    expect(line).toMatch(new RegExp(`^coverage: \\d+ edges, ${files.length} inputs kept, ${files.length} new in `));
    // A second run starts from them: none of them is new to it.
    const again = await run('fuzz', '--target', fixture('nas-parser.mjs'), '-n', String(files.length), '--proto', 'nas-eps', '--seed', '3', '--corpus', corpus, '--out', join(dir, 'c2'));
    expect(again.out.find((l) => l.startsWith('coverage: '))).toMatch(/ 0 new in /);
  }, 120_000);
});

describe('persistent external targets', () => {
  // Debian's interpreter where there is one: version-manager shims take longer to start.
  const py = `${existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'} ${fixture('persistent.py')}`;

  it('finds a bad status octet and a crash, restarts the target after the crash, and replays the findings', async () => {
    const out = join(dir, 'persistent');
    const r = await run('fuzz', '--persistent', '--target', py, '-n', '2000', '--message', 'identity_request', '--seed', '4', '--minimise-time', '2', '--out', out);
    expect(r.out.at(-1)).toBe('2000 inputs, 2 findings');
    expect(r.out[0]).toContain(', persistent,');
    const byKind = findings(out)
      .map((f) => [f.error, f.minimised])
      .sort();
    expect(byKind).toEqual([
      ['killed by SIGSEGV', '075504'],
      ['status 1', '075503'],
    ]);
    const replay = await run('fuzz', '--persistent', '--target', py, '--replay', join(out, 'findings'), '--out', join(dir, 'replay'));
    expect(replay.out.at(-1)).toBe('2 inputs, 2 findings');
    expect(replay.code).toBe(1);
  }, 120_000);

  it('rejects {} and @@ with --persistent, and --corpus without coverage', async () => {
    const c = await run('fuzz', '--persistent', '--target', py, '--corpus', join(dir, 'nocorpus'), '-n', '1');
    expect(c.code).toBe(1);
    expect(c.err).toEqual([expect.stringMatching(/^mtcgk: --corpus needs a coverage-guided target/)]);
    const r = await run('fuzz', '--persistent', '--target', `${py} @@`, '-n', '1');
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['mtcgk: --persistent feeds the input on stdin: the command takes no {} or @@ (see mtcgk --help)']);
  });
});

describe("AFL's file convention", () => {
  it("replaces @@ with the input file's path", async () => {
    const out = join(dir, 'afl');
    const r = await run('fuzz', '--target', `node ${fixture('crash-on-imeisv-request.mjs')} @@`, '-n', '40', '--message', 'identity_request', '--seed', '4', '--minimise-time', '5', '--out', out);
    expect(r.out.at(-1)).toBe('40 inputs, 1 findings');
    // The identity request for the IMEISV is all the target looks at; minimising stops at 5 s.
    expect([...readFileSync(join(out, 'findings', 'crash-1.bin')).subarray(0, 3)]).toEqual([0x07, 0x55, 0x03]);
  }, 120_000);

  it('replays a directory of inputs against a command', async () => {
    const inputs = join(dir, 'inputs');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'a'), Buffer.from([0x07, 0x55, 0x01]));
    writeFileSync(join(inputs, 'b'), Buffer.from([0x07, 0x55, 0x03]));
    const r = await run('fuzz', '--target', `node ${fixture('crash-on-imeisv-request.mjs')} @@`, '--replay', inputs);
    expect(r.out).toEqual([`${join(inputs, 'b')}: crash: killed by SIGSEGV`, '2 inputs, 1 findings']);
    expect(existsSync(join(inputs, 'findings'))).toBe(false);
  }, 60_000);
});
