import { describe, expect, it } from 'vitest';
import type { FieldIR } from '../../src/grammar/ir.js';
import { defaultGrammar } from '../../src/grammar/load.js';

describe('field shapes', () => {
  it('gives every field of the grammar the same properties in the same order (one hidden class for the faces that walk them)', () => {
    const ir = defaultGrammar();
    const shapes = new Set<string>();
    const visit = (f: FieldIR): void => {
      shapes.add(Object.keys(f).join(','));
      if (f.kind === 'list') visit(f.item);
    };
    let n = 0;
    for (const t of ir.types.values()) {
      const fields = t.kind === 'struct' ? t.fields : t.kind === 'l3' ? t.header : [];
      for (const f of fields) {
        visit(f);
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
    expect(shapes.size).toBe(1);
  });
});
