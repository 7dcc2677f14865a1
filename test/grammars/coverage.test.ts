// Coverage of TS 24.301 V19.6.0 clause 8 (every message table, every IE row) and clause 9 (every IE
// clause a message uses) by the bundled grammar, checked against test/fixtures/spec/ts24301-*.json.
// Coverage can only grow: removing a message or an IE from the grammar fails this test, and so does
// closing a gap without taking it off the `knownGaps` list below.
import { describe, expect, it } from 'vitest';

import { defaultGrammar } from '../../src/grammar/load.js';
import type { FieldIR, GrammarIR, IEIR, L3MessageType, TypeIR } from '../../src/grammar/ir.js';
import { fixtureJson } from '../helpers/fixtures.js';

interface SpecRow {
  iei: string;
  name: string;
  type_ref: string;
  type_clause: string;
  presence: 'M' | 'O' | 'C';
  format: string;
  length: string;
}
interface SpecMessage {
  clause: string;
  name: string;
  protocol: 'EMM' | 'ESM';
  table: string;
  message_type: string | null;
  direction: string;
  ies: SpecRow[];
}
interface SpecIE {
  clause: string;
  name: string;
  group: 'header' | 'common' | 'EMM' | 'ESM';
  used_in?: unknown[];
}

const specMessages = fixtureJson<SpecMessage[]>('spec/ts24301-messages.json');
const specIEs = fixtureJson<SpecIE[]>('spec/ts24301-ies.json');
const ir = defaultGrammar();

/** The three EMM messages with no message type octet, by their grammar name. */
const untyped: Record<string, string> = {
  'Security protected NAS message': 'security_protected_nas_message',
  'Service request': 'service_request',
  'EMM transport': 'emm_transport',
};

/** Header elements (TS 24.301 §9.2-9.4, §9.8): carried by the message header, not by an IE. */
const HEADER_CLAUSES = new Set(['9.2', '9.3.1', '9.3.2', '9.4', '9.8']);

/**
 * Rows of the spec the grammar does not have yet, each with its reason. The test fails when one of
 * them is covered after all (take it off the list then), so the list can only shrink.
 */
const knownGaps: Record<string, string> = {};

/** Grammar field ids of the rows of the three messages the grammar writes as plain structs. */
const structFieldIds: Record<string, string[]> = {
  'Protocol discriminator': ['protocol_discriminator'],
  'Security header type': ['security_header_type'],
  'Message authentication code': ['message_authentication_code'],
  'Sequence number': ['sequence_number'],
  'NAS message': ['nas_message'],
  'KSI and sequence number': ['ksi', 'sequence_number_short'],
  'Message authentication code (short)': ['short_mac'],
  'Data container': ['data_container'],
};

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const clauseOf = (specRef: string | undefined) => specRef?.match(/§\s*([0-9][0-9A-Za-z.]*)/)?.[1];
const ieiOf = (row: SpecRow): { iei: number; half: boolean } => (row.iei.endsWith('-') ? { iei: parseInt(row.iei[0], 16), half: true } : { iei: parseInt(row.iei, 16), half: false });
const rowKey = (m: SpecMessage, row: SpecRow, position: number) => (row.iei ? `${m.clause} IEI ${row.iei} ${row.name}` : `${m.clause} #${position} ${row.name}`);

const l3Of = (g: GrammarIR) => [...g.messages.values()].filter((t): t is L3MessageType => t.kind === 'l3');
const l3 = l3Of(ir);
const isEsm = (t: L3MessageType) => t.header.some((f) => f.id === 'procedure_transaction_identity');

/** The grammar message of a spec table. */
function grammarMessage(m: SpecMessage, g: GrammarIR = ir): TypeIR | undefined {
  if (m.message_type === null) return g.messages.get(untyped[m.name] ?? '');
  const l3 = l3Of(g);
  const mt = Number(m.message_type);
  const found = l3.filter((t) => t.set.get('message_type') === mt && isEsm(t) === (m.protocol === 'ESM'));
  // Two messages share a type when one goes up and the other down (Detach request).
  const direction = m.direction === 'UE to network' ? 'ul' : m.direction === 'network to UE' ? 'dl' : undefined;
  return found.length === 1 ? found[0] : found.find((t) => t.direction === direction);
}

function fieldIds(t: TypeIR): string[] {
  if (t.kind === 'struct') return t.fields.map((f: FieldIR) => f.id);
  if (t.kind === 'l3') return t.header.map((f) => f.id);
  return [];
}

interface RowCheck {
  key: string;
  problem?: string;
  /** The grammar IE that covers the row. */
  ie?: IEIR;
}

/** Matches every row of a table to the grammar; a row with no match gets a problem. */
function checkRows(m: SpecMessage, t: TypeIR): RowCheck[] {
  const out: RowCheck[] = [];
  if (t.kind !== 'l3') {
    const ids = new Set(fieldIds(t));
    m.ies.forEach((row, i) => {
      const want = structFieldIds[row.name];
      const key = rowKey(m, row, i);
      if (!want) out.push({ key, problem: `no grammar field is known for "${row.name}"` });
      else {
        const missing = want.filter((id) => !ids.has(id));
        out.push({ key, problem: missing.length ? `struct ${t.name} has no field ${missing.join(', ')}` : undefined });
      }
    });
    return out;
  }
  const headerIds = new Set(t.header.map((f) => f.id));
  const imperative = t.ies.filter((ie) => ie.iei === undefined);
  let next = 0; // index into the grammar's imperative part
  m.ies.forEach((row, i) => {
    const key = rowKey(m, row, i);
    if (HEADER_CLAUSES.has(row.type_clause)) {
      const id = row.type_clause === '9.8' ? 'message_type' : norm(row.name).replace(/ /g, '_');
      out.push({ key, problem: headerIds.has(id) ? undefined : `header of ${t.name} has no ${id}` });
      return;
    }
    if (row.iei) {
      const { iei, half } = ieiOf(row);
      const ie = t.ies.find((x) => x.iei === iei && x.half === half);
      if (!ie) out.push({ key, problem: `${t.name} has no IE with IEI ${row.iei}` });
      else if (ie.format !== row.format) out.push({ key, ie, problem: `IEI ${row.iei} is ${ie.format} in ${t.name}, ${row.format} in the spec` });
      else out.push({ key, ie });
      return;
    }
    // Imperative part: by position, then by name and format.
    const ie = imperative[next];
    if (ie && norm(ie.name) === norm(row.name) && ie.format === row.format) {
      next++;
      out.push({ key, ie });
    } else {
      out.push({ key, problem: `imperative IE #${next} of ${t.name} is ${ie ? `${ie.name} (${ie.format})` : 'missing'}, the spec has ${row.name} (${row.format})` });
    }
  });
  return out;
}

const tables = specMessages.map((m) => ({ m, t: grammarMessage(m) }));
const rows = tables.flatMap(({ m, t }) => (t ? checkRows(m, t) : []));

/** Everything the spec has and a grammar lacks, known gaps left out. */
function uncovered(g: GrammarIR): string[] {
  return specMessages.flatMap((m) => {
    const t = grammarMessage(m, g);
    if (!t) return [`${m.table} ${m.name}: no grammar message`];
    return checkRows(m, t)
      .filter((r) => r.problem && !(r.key in knownGaps))
      .map((r) => `${r.key}: ${r.problem}`);
  });
}

/** The bundled grammar with one of its messages, or one IE of a message, taken out (a copy; the IR is not touched). */
function grammarWithout(cut: { message?: string; ie?: [string, string] }): GrammarIR {
  const messages = new Map(ir.messages);
  if (cut.message) messages.delete(cut.message);
  if (cut.ie) {
    const t = messages.get(cut.ie[0]);
    if (t?.kind !== 'l3') throw new Error(`${cut.ie[0]} is not an L3 message`);
    messages.set(t.name, { ...t, ies: t.ies.filter((x) => x.id !== cut.ie![1]) });
  }
  return { ...ir, messages };
}

describe('TS 24.301 clause 8: messages', () => {
  it('has the 64 tables of the spec data', () => {
    expect(specMessages.length).toBe(64);
    expect(specMessages.filter((m) => m.protocol === 'EMM').length).toBe(37);
    const covered = rows.filter((r) => !r.problem).length;
    console.log(
      `coverage: ${tables.filter(({ t }) => t).length}/${tables.length} message tables, ${covered}/${specMessages.reduce((n, m) => n + m.ies.length, 0)} IE rows (${Object.keys(knownGaps).length} known gaps)`,
    );
  });

  it('fails when a message or an IE is taken out of the grammar', () => {
    expect(uncovered(ir)).toEqual([]);
    expect(uncovered(grammarWithout({ message: 'identity_response' }))).toEqual(['8.2.19.1 Identity response: no grammar message']);
    expect(uncovered(grammarWithout({ ie: ['attach_accept', 't3402_value'] }))).toEqual([expect.stringMatching(/^8\.2\.1 IEI 17 T3402 value: attach_accept has no IE/)]);
    expect(uncovered(grammarWithout({ ie: ['attach_request', 'ue_network_capability'] }))).toEqual([expect.stringMatching(/^8\.2\.4 #6 UE network capability: imperative IE/)]);
  });

  it.each(tables.map(({ m, t }) => [m.table, m.name, t] as const))('Table %s %s has a grammar message', (_table, _name, t) => {
    expect(t, 'no grammar message').toBeDefined();
  });

  it('maps the two tables of detach accept to one grammar message, and those of detach request by direction', () => {
    const of = (prefix: string) => new Set(tables.filter(({ m }) => m.name.startsWith(prefix)).map(({ t }) => t?.name));
    expect(of('Detach accept')).toEqual(new Set(['detach_accept']));
    expect(of('Detach request')).toEqual(new Set(['detach_request', 'detach_request_network']));
  });
});

describe('TS 24.301 clause 8: IE rows', () => {
  it.each(tables.filter(({ t }) => t).map(({ m, t }) => [m.table, m.name, m, t!] as const))('Table %s %s: every row is in the grammar', (_table, _name, m, t) => {
    const problems = checkRows(m, t)
      .filter((r) => r.problem && !(r.key in knownGaps))
      .map((r) => `${r.key}: ${r.problem}`);
    expect(problems).toEqual([]);
  });

  it('every known gap is still a gap (take closed ones off the list)', () => {
    const open = new Set(rows.filter((r) => r.problem).map((r) => r.key));
    expect(Object.keys(knownGaps).filter((k) => !open.has(k))).toEqual([]);
  });

  it('the IE that covers a row is typed by the row clause', () => {
    const wrong = rows
      .filter((r) => r.ie)
      .flatMap((r) => {
        const row = specMessages.flatMap((m) => m.ies.map((x, i) => ({ k: rowKey(m, x, i), x }))).find((e) => e.k === r.key)!.x;
        const clause = clauseOf(r.ie!.specRef);
        return clause?.toLowerCase() === row.type_clause.toLowerCase() ? [] : [`${r.key}: grammar says §${clause}, spec ${row.type_clause}`];
      });
    expect(wrong).toEqual([]);
  });
});

describe('TS 24.301 clause 9: IE clauses used by some message', () => {
  const used = specIEs.filter((ie) => ie.group !== 'header' && (ie.used_in?.length ?? 0) > 0);

  it('lists the used IE clauses', () => {
    // 135 clauses of 9.9, 3 of them not used by any table (9.9.2.6, 9.9.2.7, 9.9.3.68).
    expect(used.length).toBe(132);
  });

  it.each(used.map((ie) => [ie.clause, ie.name] as const))('§%s %s has a grammar type', (clause) => {
    // Every grammar IE (or field) that points to the clause, and the type it has.
    const ies = l3.flatMap((t) => t.ies).filter((ie) => clauseOf(ie.specRef)?.toLowerCase() === clause.toLowerCase());
    const rowsOf = rows.filter((r) => r.ie && clauseOf(r.ie.specRef)?.toLowerCase() === clause.toLowerCase());
    const typed = ies.filter((ie) => ie.typeName !== undefined && ir.types.has(ie.typeName));
    if (clause === '9.9.3.19' || clause === '9.9.3.28' || clause === '9.9.3.74') {
      // KSI and sequence number, short MAC, data container: fields of SERVICE REQUEST and EMM TRANSPORT.
      const owner = ir.messages.get(clause === '9.9.3.74' ? 'emm_transport' : 'service_request')!;
      const want = { '9.9.3.19': ['ksi', 'sequence_number_short'], '9.9.3.28': ['short_mac'], '9.9.3.74': ['data_container'] }[clause];
      expect(fieldIds(owner)).toEqual(expect.arrayContaining(want));
      if (clause === '9.9.3.74') {
        const f = owner.kind === 'struct' ? owner.fields.find((x) => x.id === 'data_container') : undefined;
        expect(f?.kind === 'ref' && ir.types.has(f.typeName)).toBe(true);
      }
      return;
    }
    if (!typed.length && ies.length === 0 && rowsOf.length === 0) {
      // Only used where a known gap is.
      const gapOnly = specMessages.every((m) => m.ies.every((x, i) => x.type_clause !== clause || rowKey(m, x, i) in knownGaps));
      expect(gapOnly, `no grammar IE points to §${clause}`).toBe(true);
      return;
    }
    expect(typed.length, `IEs for §${clause} without a type: ${ies.map((ie) => ie.where).join(', ')}`).toBe(ies.length);
    expect(typed.length).toBeGreaterThan(0);
  });
});
