// The layering rules of .dependency-cruiser.json (no import cycles; nothing imports the package
// facade; the engine below io, output, cli, tui and stream; the applications on top; no Node built-in
// reachable from the package root, which runs in browsers), checked by dependency-cruiser over src/. A self-check runs the same rules on a small tree that breaks each one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = join(root, '.dependency-cruiser.json');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: Array<{ name: string }>;
}
interface CruiseResult {
  modules: Array<{ source: string }>;
  summary: { violations: Violation[] };
}

function cruise(cwd: string): CruiseResult {
  const r = spawnSync(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!r.stdout) throw new Error(`dependency-cruiser gave no output: ${r.stderr}`);
  return JSON.parse(r.stdout) as CruiseResult;
}

const show = (v: Violation) => `${v.rule.name}: ${v.from} -> ${v.cycle ? v.cycle.map((c) => c.name).join(' -> ') : v.to}`;

describe('layers of src/', () => {
  const result = cruise(root);

  it('breaks no rule', () => {
    expect(result.summary.violations.map(show)).toEqual([]);
  });

  it('sees every module of src/', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => `src/${f.replaceAll('\\', '/')}`);
    expect(
      result.modules
        .map((m) => m.source)
        .filter((s) => s.startsWith('src/'))
        .sort(),
    ).toEqual(files.sort());
  });
});

describe('the rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-layers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('catch a cycle, a facade import, the engine reaching up, an import of the command line, a built-in under the root, an unresolvable import', () => {
    const files: Record<string, string> = {
      'src/index.ts': "export { a } from './x/a.js';\nexport { read } from './io/read.js';\n",
      'src/x/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/x/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'src/x/c.ts': "import { a } from '../index.js';\nimport { main } from '../cli/main.js';\nexport const c = [a, main];\n",
      'src/engine/e.ts': "import { read } from '../io/read.js';\nimport { gone } from './gone.js';\nexport const e = [read, gone];\n",
      'src/io/read.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      'src/cli/main.ts': 'export const main = 1;\n',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['src'] }));
    const found = cruise(dir).summary.violations.map(show).sort();
    expect(found).toEqual([
      'applications-on-top: src/x/c.ts -> src/cli/main.ts',
      'browser-safe-core: src/index.ts -> fs',
      'engine-below-io-and-apps: src/engine/e.ts -> src/io/read.ts',
      'no-circular: src/x/a.ts -> src/x/b.ts -> src/x/a.ts',
      'no-facade-import: src/x/c.ts -> src/index.ts',
      'resolvable: src/engine/e.ts -> ./gone.js',
    ]);
  });
});
