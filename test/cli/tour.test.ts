/**
 * The README's tour runs as written: every `npx mtcgk` command in it exits 0 from the repository root,
 * on the shipped captures, and writes nothing into the checkout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');
const tour = /## A short tour\n\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
const commands = tour
  .replace(/\\\n\s*/g, '')
  .split('\n')
  .filter((line) => line.startsWith('npx mtcgk'));

/** Files git does not know about, outside ignored folders (dist/, node_modules/). */
const untracked = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });

describe('the README tour', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }, 180_000);

  it('has its commands', () => {
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.join('\n')).not.toMatch(/\bHEX\b|caps\.|big\.txt/);
  });

  it.each(commands)(
    '%s',
    (command) => {
      const before = untracked();
      const r = spawnSync('sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 1 << 28 });
      expect(r.stderr.split('\n').filter((l) => l.startsWith('mtcgk:'))).toEqual([]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(untracked()).toBe(before);
    },
    600_000,
  );
});
