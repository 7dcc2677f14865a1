import { describe, expect, it } from 'vitest';
import { buildGrammar } from '../../src/grammar/build.js';
import { GrammarError } from '../../src/grammar/errors.js';
import { parseGrammarText } from '../../src/grammar/load.js';

const base = `
protocol: demo
root: msg
types:
  msg:
    fields:
      - {id: len, bits: 8, length_of: body}
      - {id: body, bytes: var}
`;

function errorOf(text: string): GrammarError {
  try {
    buildGrammar([parseGrammarText('grammars/demo.yaml', text)]);
  } catch (e) {
    if (e instanceof GrammarError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('grammar loader', () => {
  it('loads a well-formed grammar', () => {
    const ir = buildGrammar([parseGrammarText('grammars/demo.yaml', base)]);
    expect(ir.protocols.get('demo')?.root).toBe('msg');
  });

  it.each([
    ['an unknown type', base.replace('bytes: var', 'type: nowhere'), '/types/msg/fields/1/type', 'unknown type "nowhere"'],
    ['a length_of pointing backwards', base.replace('length_of: body', 'length_of: len'), '/types/msg/fields/0/length_of', 'later field'],
    ['bits out of range', base.replace('bits: 8', 'bits: 65'), '/types/msg/fields/0/bits', '1 to 64'],
    ['two kinds in one field', base.replace('bytes: var', 'bytes: var, bits: 3'), '/types/msg/fields/1', 'exactly one of'],
    ['an unknown key', base.replace('bytes: var', 'bytes: var, colour: red'), '/types/msg/fields/1/colour', 'unknown key'],
    ['a bad filter name', base.replace('bytes: var', 'bytes: var, filter: "Not A Filter"'), '/types/msg/fields/1/filter', 'not a filter name'],
    ['an unknown codec', base.replace('bytes: var', 'codec: rot13'), '/types/msg/fields/1/codec', 'unknown codec'],
    ['a missing codec parameter', base.replace('bytes: var', 'codec: imsi_group_id, params: {gsi_filter: demo.gsi}'), '/types/msg/fields/1/params/lgi_filter', 'required by codec imsi_group_id'],
    [
      'a codec parameter of the wrong kind',
      base.replace('bytes: var', 'codec: bcd_identity, params: {type: one, odd_even_filter: demo.oe, type_filter: demo.t}'),
      '/types/msg/fields/1/params/type',
      'an integer',
    ],
    ['a codec leaf name that is no filter name', base.replace('bytes: var', 'codec: plmn, params: {mcc_filter: MCC}'), '/types/msg/fields/1/params/mcc_filter', 'a filter name'],
    ['an unknown codec parameter', base.replace('bytes: var', 'codec: plmn, params: {mcc: demo.mcc}'), '/types/msg/fields/1/params/mcc', 'no parameter "mcc"'],
    [
      'a codec leaf that reuses a filter name with another type',
      base.replace('{id: body, bytes: var}', '{id: body, codec: plmn, params: {mcc_filter: demo.msg.len}}'),
      '/types/msg/fields/1/params',
      '"demo.msg.len", which is already',
    ],
    ['a case range upside down', base.replace('{id: body, bytes: var}', '{id: body, switch: len, cases: {"9-3": msg}}'), '/types/msg/fields/1/cases/9-3', 'ranges "lo-hi"'],
    [
      'a cases_when on a later field',
      base.replace('{id: body, bytes: var}', '{id: body, switch: len, cases: {1: msg}, cases_when: [{field: body, in: [1], cases: {1: msg}}]}'),
      '/types/msg/fields/1/cases_when/0/field',
      'earlier integer field',
    ],
    [
      'a cases_when without its values',
      base.replace('{id: body, bytes: var}', '{id: body, switch: len, cases: {1: msg}, cases_when: [{field: len, cases: {1: msg}}]}'),
      '/types/msg/fields/1/cases_when/0',
      '{field, in: [values], cases}',
    ],
    ['a keep: naming no integer field', base.replace('  msg:\n', '  msg:\n    keep: {n: body}\n'), '/types/msg/keep', 'integer fields of this struct'],
    [
      'a when: condition with neither field nor kept',
      base.replace('  msg:\n', '  msg:\n    derived: [{filter: demo.n, label: N, as: decimal, from: [len], when: [{kept: n, in: [1]}, {in: [2]}]}]\n'),
      '/types/msg/derived/0/when/1',
      '{kept, in: [values]}',
    ],
  ])('names file and path for %s', (_what, text, path, detail) => {
    const e = errorOf(text);
    expect(e.file).toBe('grammars/demo.yaml');
    expect(e.path).toBe(path);
    expect(e.message).toContain(detail);
    expect(e.message.startsWith(`grammars/demo.yaml: ${path}: `)).toBe(true);
  });

  it('names spare bits by their bit offset or an explicit id, never by index', () => {
    const spares = (fields: string) => {
      const ir = buildGrammar([parseGrammarText('grammars/demo.yaml', `protocol: demo\nroot: msg\ntypes:\n  msg:\n    fields:\n${fields}`)]);
      const t = ir.types.get('msg')!;
      return t.kind === 'struct' ? t.fields.filter((f) => f.kind === 'spare').map((f) => f.id) : [];
    };
    expect(spares('      - {id: a, bits: 4}\n      - {spare: 4}\n      - {id: b, bits: 8}\n      - {spare: 8}\n')).toEqual(['_spare_at_4', '_spare_at_16']);
    // A field added after the first spare, or a spare given an id, leaves the other names alone.
    expect(spares('      - {id: a, bits: 4}\n      - {spare: 4}\n      - {id: b, bits: 8}\n      - {spare: 8}\n      - {id: c, bits: 8}\n')).toEqual(['_spare_at_4', '_spare_at_16']);
    expect(spares('      - {id: a, bits: 4}\n      - {spare: 4, id: low}\n      - {id: b, bits: 8}\n      - {spare: 8}\n')).toEqual(['_spare_low', '_spare_at_16']);
    const after = errorOf(`${base}      - {spare: 8}\n`);
    expect(after.path).toBe('/types/msg/fields/2/id');
    expect(after.message).toContain('variable size');
  });

  it('rejects an IEI written as a number and half-octet IEs that do not pair up', () => {
    const l3 = (ies: string) => `
protocol: demo
root: m
types:
  hdr:
    fields:
      - {id: t, bits: 8}
  v4:
    fields:
      - {id: v, bits: 4}
messages:
  m:
    header: hdr
    ies:
${ies}`;
    const numeric = errorOf(l3('      - {iei: 55, id: x, format: TV, length: 2, type: hdr}'));
    expect(numeric.path).toBe('/messages/m/ies/0/iei');
    expect(numeric.message).toContain('quoted hex string');
    const unpaired = errorOf(l3('      - {id: a, format: V, length: 1/2, type: v4}'));
    expect(unpaired.message).toContain('pairs');
  });

  it('reports YAML syntax errors with the line', () => {
    const e = errorOf('protocol: demo\ntypes:\n  msg: {fields: [\n');
    expect(e.message).toMatch(/^grammars\/demo\.yaml: line \d+: /);
  });

  it('keeps one meaning per filter name', () => {
    const e = errorOf(base.replace('bytes: var', 'bytes: var, filter: demo.msg.len'));
    expect(e.message).toContain('a filter name keeps one meaning');
  });
});
