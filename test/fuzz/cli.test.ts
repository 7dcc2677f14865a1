// `mtcgk fuzz` and `mtcgk corpus export` through the CLI's main, with captured output.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messageNames } from '../../src/fuzz/arbitraries.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { run, scratch } from './helpers.js';

const dir = scratch('fuzz-test');

const toy = fileURLToPath(new URL('../fixtures/fuzz/crash-on-imeisv-request.mjs', import.meta.url));

describe('mtcgk fuzz --target self', () => {
  it('runs 2000 inputs (generated in every mode, and mutations of them) against the dissector with no finding', async () => {
    const r = await run('fuzz', '--target', 'self', '-n', '2000', '--seed', '1', '--out', join(dir, 'self'));
    expect(r.out.at(-1)).toBe('2000 inputs, 0 findings');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/seed 1\b/);
    expect(r.out[0]).toContain('mutating generated inputs');
    expect(existsSync(join(dir, 'self', 'findings'))).toBe(false);
  }, 180_000);

  it('generates every input with --no-coverage, and with --havoc', async () => {
    for (const flag of ['--no-coverage', '--havoc']) {
      const r = await run('fuzz', '--target', 'self', '-n', '50', '--seed', '1', ...(flag === '--havoc' ? [flag, '1'] : [flag]), '--out', join(dir, 'gen'));
      expect(r.out.at(-1)).toBe('50 inputs, 0 findings');
      expect(r.out[0]).not.toContain('mutating');
    }
  }, 60_000);

  it('is deterministic for a seed', async () => {
    const a = await run('fuzz', '-n', '300', '--seed', '42', '--mode', 'malformed', '--proto', 'gmsg', '--out', join(dir, 'det'));
    expect(a.out.at(-1)).toBe('300 inputs, 0 findings');
    expect(a.out[0]).toContain('1 messages (gmsg)');
  }, 60_000);

  it('rejects bad options with exit 1 and one line on stderr', async () => {
    for (const argv of [['--mode', 'weird'], ['-n', '0'], ['--proto', 'nosuch'], ['--crash-exit', 'x'], ['--oracle', 'tshark', '--target', 'cat'], ['stray']]) {
      const r = await run('fuzz', ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^mtcgk: /);
      expect(r.out).toEqual([]);
    }
  });
});

describe('mtcgk fuzz against an external command', () => {
  it('finds the toy target crash (SIGSEGV on IDENTITY REQUEST for IMEISV) and minimises it', async () => {
    const out = join(dir, 'toy');
    const r = await run('fuzz', '--target', `node ${toy}`, '-n', '40', '--message', 'identity_request', '--seed', '4', '--out', out);
    expect(r.out.at(-1)).toBe('40 inputs, 1 findings');
    expect(r.code).toBe(1);
    const bin = join(out, 'findings', 'crash-1.bin');
    expect(existsSync(bin)).toBe(true);
    const min = readFileSync(bin);
    expect(min.length).toBeLessThanOrEqual(3);
    expect([...min]).toEqual([0x07, 0x55, 0x03]);
    const json = JSON.parse(readFileSync(join(out, 'findings', 'crash-1.json'), 'utf8'));
    expect(json).toMatchObject({ kind: 'crash', error: 'killed by SIGSEGV', seed: 4, message: 'identity_request', minimised: '075503' });
    expect(json.input.length).toBeGreaterThan(json.minimised.length);
    expect(json.value).toMatchObject({ message: 'identity_request', identity_type: { type: 3 } });
    expect(json.occurrences).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('passes the input as a file where the command has {}', async () => {
    const out = join(dir, 'toy-file');
    const r = await run('fuzz', '--target', `node ${toy} {}`, '-n', '40', '--message', 'identity_request', '--seed', '4', '--out', out);
    expect(r.out.at(-1)).toBe('40 inputs, 1 findings');
    expect(readFileSync(join(out, 'findings', 'crash-1.bin'))).toEqual(Buffer.from([0x07, 0x55, 0x03]));
  }, 120_000);

  it('counts only deaths by signal and exit codes >= 128 as crashes, unless --crash-exit lists codes', async () => {
    const clean = await run('fuzz', '--target', 'false', '-n', '5', '--proto', 'gmsg', '--seed', '1', '--out', join(dir, 'false-1'));
    expect(clean.out.at(-1)).toBe('5 inputs, 0 findings');
    expect(clean.code).toBe(0);
    const listed = await run('fuzz', '--target', 'false', '-n', '5', '--proto', 'gmsg', '--seed', '1', '--crash-exit', '1,2', '--minimise-time', '1', '--out', join(dir, 'false-2'));
    expect(listed.out.at(-1)).toBe('5 inputs, 1 findings');
    expect(JSON.parse(readFileSync(join(dir, 'false-2', 'findings', 'crash-1.json'), 'utf8'))).toMatchObject({ error: 'exit code 1', occurrences: 5 });
    const shell = await run('fuzz', '--target', `node ${toy} < {}`, '-n', '40', '--message', 'identity_request', '--seed', '4', '--crash-exit', '139', '--out', join(dir, 'shell'));
    expect(shell.out.at(-1)).toBe('40 inputs, 1 findings');
    expect(JSON.parse(readFileSync(join(dir, 'shell', 'findings', 'crash-1.json'), 'utf8')).error).toMatch(/^exit code 139/);
  }, 120_000);

  it('stops with exit 1 when the command cannot be run', async () => {
    const r = await run('fuzz', '--target', '/no/such/command', '-n', '3', '--seed', '1', '--out', join(dir, 'missing'));
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringMatching(/^mtcgk: --target: cannot run "\/no\/such\/command": .*ENOENT/)]);
  });

  it('reports a target that never exits as a hang', async () => {
    const out = join(dir, 'hang');
    const r = await run('fuzz', '--target', 'sleep 5', '-n', '1', '--timeout', '100', '--proto', 'gmsg', '--seed', '1', '--minimise-time', '2', '--out', out);
    expect(r.out.at(-1)).toBe('1 inputs, 1 findings');
    expect(existsSync(join(out, 'findings', 'hang-1.bin'))).toBe(true);
  }, 60_000);
});

describe('mtcgk corpus export', () => {
  const ir = defaultGrammar();

  it('writes an AFL/libFuzzer layout: raw non-empty files for every message, unique names, a dictionary', async () => {
    const out = join(dir, 'corpus');
    const r = await run('corpus', 'export', out, '--dict', '-n', '3', '--seed', '5');
    expect(r.code).toBe(0);
    for (const protocol of ir.protocols.keys()) {
      const files = readdirSync(join(out, protocol));
      const numbers = new Set<string>();
      const seen = new Set<string>();
      for (const f of files) {
        const m = f.match(/^(\d{4})-([a-z0-9-]+)\.bin$/);
        expect(m, f).not.toBeNull();
        expect(numbers.has(m![1])).toBe(false);
        numbers.add(m![1]);
        seen.add(m![2].replace(/-/g, '_'));
        expect(statSync(join(out, protocol, f)).size).toBeGreaterThan(0);
      }
      expect([...seen].sort()).toEqual(messageNames(ir, protocol).sort());
      expect(files.length).toBeGreaterThanOrEqual(seen.size * 2);
      const dict = readFileSync(join(out, `${protocol}.dict`), 'utf8')
        .split('\n')
        .filter(Boolean);
      for (const line of dict) expect(line).toMatch(/^[a-z0-9_]+="(\\x[0-9a-f]{2})+"$/);
      expect(new Set(dict.map((l) => l.split('=')[0])).size).toBe(dict.length);
    }
    const dict = readFileSync(join(out, 'nas-eps.dict'), 'utf8');
    expect(dict).toContain('msg_attach_accept="\\x07\\x42"');
    expect(dict).toContain('iei_guti="\\x50"');
    expect(dict).toContain('iel_guti="\\x50\\x0b"');
    expect(r.out.at(-1)).toMatch(/^\d+ files in /);
  }, 60_000);

  it('needs a directory', async () => {
    const r = await run('corpus', 'export');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/needs a DIR/);
  });
});
