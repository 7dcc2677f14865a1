/**
 * Generated files stay in step with the grammars (regenerate with `npm run generate`), and the
 * library core imports no Node built-in, so that it runs in a browser.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleGrammarsSource } from '../../scripts/bundle-grammars.js';
import { generateTypes, TYPES_FILE } from '../../scripts/gen-types.js';
import { BUNDLED_GRAMMARS } from '../../src/grammar/bundled.js';
import { readGrammarSources } from '../../src/grammar/load.js';
import { moduleGraph, nodeBuiltins } from './imports.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

describe('generated files', () => {
  it('the grammar bundle holds exactly the YAML files under grammars/ (else: npm run generate)', () => {
    const yaml = readGrammarSources();
    expect(BUNDLED_GRAMMARS.map((g) => g.file)).toEqual(yaml.map((g) => g.file));
    for (const [i, g] of BUNDLED_GRAMMARS.entries()) expect(g.data, g.file).toEqual(yaml[i].data);
    expect(readFileSync(BUNDLE_FILE, 'utf8')).toBe(bundleGrammarsSource());
  });

  it('the message types are what scripts/gen-types.ts writes now (else: npm run generate)', () => {
    const text = generateTypes();
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(text);
    // deterministic: a second run writes the same text
    expect(generateTypes()).toBe(text);
  });
});

describe('browser-safe core', () => {
  it('no module reachable from src/index.ts imports a Node built-in', () => {
    const g = moduleGraph(root('src/index.ts'));
    expect(g.files.size).toBeGreaterThan(20);
    expect(g.files.has(root('src/grammar/default.ts'))).toBe(true);
    expect(g.files.has(root('src/grammar/load.ts'))).toBe(false);
    expect(Object.fromEntries(nodeBuiltins(g))).toEqual({});
  });

  it('the scan sees Node built-ins where they are (file reading)', () => {
    const g = moduleGraph(root('src/stream/file.ts'));
    expect([...nodeBuiltins(g).keys()]).toContain('node:fs');
  });
});
