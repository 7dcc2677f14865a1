/**
 * Generated files stay in step with the grammars (regenerate with `npm run generate`). That the
 * library core imports no Node built-in is a rule of .dependency-cruiser.json (test/architecture/).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleGrammarsSource } from '../../scripts/bundle-grammars.js';
import { DECODERS_FILE, generateDecoders } from '../../scripts/gen-decoders.js';
import { ENCODERS_FILE, generateEncoders } from '../../scripts/gen-encoders.js';
import { generateTypes, TYPES_FILE } from '../../scripts/gen-types.js';
import { BUNDLED_GRAMMARS } from '../../src/grammar/bundled.js';
import { readGrammarSources } from '../../src/grammar/load.js';

describe('generated files', () => {
  it('the grammar bundle holds exactly the YAML files under grammars/ (else: npm run generate)', () => {
    const yaml = readGrammarSources();
    expect(BUNDLED_GRAMMARS.map((g) => g.file)).toEqual(yaml.map((g) => g.file));
    for (const [i, g] of BUNDLED_GRAMMARS.entries()) expect(JSON.parse(g.json), g.file).toEqual(yaml[i].data);
    expect(readFileSync(BUNDLE_FILE, 'utf8')).toBe(bundleGrammarsSource());
  });

  it('the message types are what scripts/gen-types.ts writes now (else: npm run generate)', () => {
    const text = generateTypes();
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(text);
    // deterministic: a second run writes the same text
    expect(generateTypes()).toBe(text);
  });

  it('the decoders generated ahead of time are what scripts/gen-decoders.ts writes now (else: npm run generate)', () => {
    const text = generateDecoders();
    expect(readFileSync(DECODERS_FILE, 'utf8')).toBe(text);
    expect(generateDecoders()).toBe(text);
  });

  it('the encoders generated ahead of time are what scripts/gen-encoders.ts writes now (else: npm run generate)', () => {
    const text = generateEncoders();
    expect(readFileSync(ENCODERS_FILE, 'utf8')).toBe(text);
    expect(generateEncoders()).toBe(text);
  });
});
