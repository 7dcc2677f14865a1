import { describe, expect, it } from 'vitest';
import { buildGrammar } from '../../src/grammar/build.js';
import { GrammarError } from '../../src/grammar/errors.js';
import { parseGrammarText } from '../../src/grammar/load.js';
import { Dissector } from '../../src/engine/dissect.js';
import { Encoder } from '../../src/engine/encode.js';
import { fromHex, toHex } from '../../src/engine/format.js';
import { walk } from '../../src/engine/tree.js';
import { decode } from '../../src/index.js';

const base = `
protocol: demo
root: msg
types:
  msg:
    fields:
      - {id: len, bits: 8, length_of: body}
      - {id: body, bytes: var}
`;

/** A demo message `m` of header `hdr` (one octet `t`) and these IE rows; types `v4` (4 bits), `blank` (a spare octet) and `types` for its IEs. */
const l3 = (ies: string, types = '') => `
protocol: demo
root: m
types:
  hdr:
    fields:
      - {id: t, bits: 8}
  v4:
    fields:
      - {id: v, bits: 4}
  blank:
    fields:
      - {spare: 8}
${types}
messages:
  m:
    header: hdr
    ies:
${ies}`;

/** The grammar of one demo file. */
const demoGrammar = (text: string) => buildGrammar([parseGrammarText('grammars/demo.yaml', text)]);

function errorOf(text: string): GrammarError {
  try {
    demoGrammar(text);
  } catch (e) {
    if (e instanceof GrammarError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('grammar loader', () => {
  it('works out the presence rules once: what a flag gives presence to, and which fields decide presence', () => {
    const ir = demoGrammar(
      `
protocol: demo
root: msg
types:
  msg:
    fields:
      - {id: flag, bits: 1}
      - {id: kind, bits: 7}
      - {id: a, bits: 8, present_if: flag}
      - {id: b, bits: 8, present_if: flag}
      - {id: c, bits: 8, present_if: {field: kind, in: [1-3]}}
`,
    );
    const t = ir.types.get('msg');
    const field = (id: string) => (t?.kind === 'struct' ? t.fields.find((f) => f.id === id) : undefined);
    const flag = field('flag');
    expect(flag?.kind === 'uint' && [flag.flags, flag.decides, flag.relation?.targets]).toEqual([['a', 'b'], true, ['a', 'b']]);
    const kind = field('kind');
    expect(kind?.kind === 'uint' && [kind.flags, kind.decides]).toEqual([undefined, true]);
    expect(field('c')?.presence).toEqual({ kind: 'in', field: 'kind', values: [1, 2, 3] });
  });

  it('loads a well-formed grammar', () => {
    const ir = demoGrammar(base);
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
    ['spare bits to an octet boundary as a list item', base.replace('bytes: var', 'list: {spare: octet}'), '/types/msg/fields/1/list/spare', 'not a list item'],
    ['a nested type shown as a number of an odd width', base.replace('bytes: var', 'type: msg, render: hex, type_bits: 12'), '/types/msg/fields/1/type_bits', '8, 16, 24 or 32'],
  ])('names file and path for %s', (_what, text, path, detail) => {
    const e = errorOf(text);
    expect(e.file).toBe('grammars/demo.yaml');
    expect(e.path).toBe(path);
    expect(e.message).toContain(detail);
    expect(e.message.startsWith(`grammars/demo.yaml: ${path}: `)).toBe(true);
  });

  it('names spare bits by their bit offset or an explicit id, never by index', () => {
    const spares = (fields: string) => {
      const ir = demoGrammar(`protocol: demo\nroot: msg\ntypes:\n  msg:\n    fields:\n${fields}`);
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

  it('rejects an IEI written as a number, half-octet IEs that do not pair up, and one IE id twice', () => {
    const numeric = errorOf(l3('      - {iei: 55, id: x, format: TV, length: 2, type: hdr}'));
    expect(numeric.path).toBe('/messages/m/ies/0/iei');
    expect(numeric.message).toContain('quoted hex string');
    const unpaired = errorOf(l3('      - {id: a, format: V, length: 1/2, type: v4}'));
    expect(unpaired.message).toContain('pairs');
    // The value holds an IE under its id: a second IE with the same id could not be told apart.
    const twice = errorOf(l3(`      - {iei: '51', id: x, format: TV, length: 2, type: hdr}\n      - {iei: '52', id: x, format: TV, length: 2, type: hdr}`));
    expect(twice.path).toBe('/messages/m/ies/1/id');
    expect(twice.message).toContain('used twice');
  });

  it('keeps the order of an optional part where a mandatory IE left out of the value comes twice, in both decoders', () => {
    const ir = demoGrammar(l3("      - {iei: '5B', id: blank, format: TLV, length: 3, type: blank, presence: M}"));
    const twice = fromHex('005b01005b0100');
    const dissected = new Dissector(ir).dissect(twice, 'demo').value;
    expect(dissected).toEqual({ message: 'm', t: 0, _order: ['blank', 'blank'] });
    expect(decode(twice, 'demo', { grammar: ir })).toEqual(dissected);
    // Once, it is in table order: nothing to keep.
    expect(decode(fromHex('005b0100'), 'demo', { grammar: ir })).toEqual({ message: 'm', t: 0 });
  });

  describe('a dispatch on an earlier IE, a part left undecoded, a generated field at a field', () => {
    const demo = (ies: string, extra = '') =>
      l3(
        ies,
        `  kind:
    fields:
      - {id: value, bits: 8}
  body:
    dispatch: {ie: kind, field: value, quiet_default: true}
    cases: {1: one, 2: skipped}
    default: other
  one:
    derived: [{filter: demo.index, label: Index, as: decimal, from: [a], at: a}]
    fields:
      - {id: e, bits: 4}
      - {id: a, bits: 4}
  other:
    fields:
      - {id: b, bytes: rest}
  skipped:
    label: Skipped
    undecoded: not decoded in this demo
${extra}`,
      );
    const ies = '      - {id: kind, format: V, length: 1, type: kind}\n      - {id: body, format: LV, length: 1-n, type: body}';
    const ir = demoGrammar(demo(ies));
    const dissector = new Dissector(ir);
    const encoder = new Encoder(ir);

    it('picks the layout by the earlier IE, decoding and encoding', () => {
      const one = dissector.dissect(fromHex('0001015a'), 'demo');
      expect(one.value).toEqual({ message: 'm', t: 0, kind: { value: 1 }, body: { e: 5, a: 10 } });
      expect(toHex(encoder.encode(one.value, 'demo'))).toBe('0001015a');
      const other = dissector.dissect(fromHex('0007015a'), 'demo');
      expect(other.value).toEqual({ message: 'm', t: 0, kind: { value: 7 }, body: { b: '5a' } });
      expect(other.expert).toEqual([]);
      expect(toHex(encoder.encode(other.value, 'demo'))).toBe('0007015a');
    });

    it('shows a generated field over the bits of the field it names, before its node', () => {
      const body = [...walk(dissector.dissect(fromHex('0001015a'), 'demo').tree)].find((n) => n.filter === 'demo.ie.body')!;
      expect(body.children.slice(1).map((n) => [n.filter, n.show, n.bitOffset, n.bitLength, n.generated ?? false])).toEqual([
        ['demo.one.e', '5', 24, 4, false],
        ['demo.index', '10', 28, 4, true],
        ['demo.one.a', '10', 28, 4, false],
      ]);
    });

    it('stops at a part left undecoded with a note, the IE keeping its octets', () => {
      const r = dissector.dissect(fromHex('0002015a'), 'demo');
      expect(r.expert.map((e) => [e.id, e.severity])).toEqual([['not_decoded', 'note']]);
      expect(r.value).toEqual({ message: 'm', t: 0, kind: { value: 2 }, body: { _raw: '5a' } });
      expect(toHex(encoder.encode(r.value, 'demo'))).toBe('0002015a');
      expect(() => encoder.encode({ message: 'm', t: 0, kind: { value: 2 }, body: {} }, 'demo')).toThrow(/Skipped is not decoded by the grammar/);
    });

    it.each([
      ['an IE picked by a later IE', '      - {id: body, format: LV, length: 1-n, type: body}\n      - {id: kind, format: V, length: 1, type: kind}', '', '/messages/m/ies/0', 'earlier IE'],
      ['a dispatch on an IE used as a field', ies, '  holder:\n    fields:\n      - {id: x, type: body}', '/types/body', 'the type of an IE'],
      ['an undecoded part with fields', ies, '  bad:\n    undecoded: why\n    fields: [{id: x, bits: 8}]', '/types/bad/undecoded', 'no fields'],
      [
        'a generated field at no field of the struct',
        ies,
        '  bad:\n    derived: [{filter: demo.x, label: X, as: decimal, from: [a], at: z}]\n    fields: [{id: a, bits: 8}]',
        '/types/bad/derived/0/at',
        'a field of this struct',
      ],
    ])('rejects %s', (_what, rows, extra, path, detail) => {
      const e = errorOf(demo(rows, extra));
      expect(e.path).toBe(path);
      expect(e.message).toContain(detail);
    });
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
