// Agreement with tshark on real captures: every message of test/fixtures/corpus/nas-eps-real.jsonl is
// dissected by mtcgk (public API) and, all in one run, by tshark; every valued field tshark shows must be
// shown by mtcgk under the same filter name with the same `-T fields` rendering, unless the allow-list
// (tshark-allowances.ts: each entry with its reason) explains it; so must every field mtcgk shows under
// a Wireshark filter name. docs/tshark-agreement.md describes the measure and the known differences.
// MTCGK_AGREEMENT_DEBUG=1 prints the unexplained disagreements grouped by field, and the Info texts that differ.
// Fails, not skips, when tshark is missing: CI installs it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dissectFull, fromHex } from '../../src/index.js';
import { infoColumn } from '../../src/output/info.js';
import { writePcapng } from '../../src/io/index.js';
import { fixtureText, realCorpus } from '../helpers/fixtures.js';
import { compareMessage, esmRanges, inRanges, type MessageContext, type MessageResult, ourFields } from './agreement.js';
import { member, parseTolerantJson, type TsharkField, valuedFields } from './tshark-json.js';
import { allowances } from './tshark-allowances.js';

const corpus = realCorpus();

/** Filter names Wireshark 4.0 has for NAS-EPS and the GSM A parts (tshark -G fields). */
const catalogue = new Set(
  fixtureText('spec/wireshark-4.0-nas-fields.tsv')
    .split('\n')
    .map((row) => row.split('\t'))
    .filter((cols) => cols[0] === 'F')
    .map((cols) => cols[2]),
);

const uat = 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""';
const dir = mkdtempSync(join(tmpdir(), 'mtcgk-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let results: MessageResult[] = [];
let contexts: MessageContext[] = [];
/** tshark's and mtcgk's Info column per message. */
let infos: Array<{ tshark: string; ours: string }> = [];

beforeAll(() => {
  const file = join(dir, 'real.pcapng');
  writeFileSync(
    file,
    writePcapng(
      corpus.map((l, i) => ({ bytes: fromHex(l.hex), protocol: 'nas-eps', label: l.name, source: `real.jsonl:${i + 1}` })),
      { linkType: 147 },
    ),
  );
  // One tshark run over every message; -x adds each field's offset, length, mask and type (`name_raw`).
  const out = execFileSync('tshark', ['-o', uat, '-r', file, '-T', 'json', '-x'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const packets = parseTolerantJson(out);
  if (!Array.isArray(packets)) throw new Error('tshark -T json: expected an array of packets');
  const shownByTshark = new Set<string>();
  const tshark: TsharkField[][] = packets.map((p) => {
    const layer = member(member(member(p, '_source')!, 'layers')!, 'nas-eps');
    const fields = layer === undefined ? [] : valuedFields(layer);
    for (const f of fields) shownByTshark.add(f.name);
    return fields;
  });
  expect(tshark.length).toBe(corpus.length);
  const wiresharkNames = new Set([...catalogue, ...shownByTshark]);
  contexts = corpus.map((l, index) => {
    const tree = dissectFull(fromHex(l.hex), 'nas-eps').tree;
    return { index, name: l.name, hex: l.hex, tshark: tshark[index], ours: ourFields(tree), esm: esmRanges(tree), tree };
  });
  results = contexts.map((m) => compareMessage(m, allowances, wiresharkNames));
  const cols = execFileSync('tshark', ['-o', uat, '-r', file, '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] }).split('\n');
  infos = corpus.map((l, i) => ({ tshark: cols[i], ours: infoColumn(dissectFull(fromHex(l.hex), 'nas-eps')) }));
}, 60_000);

/**
 * Info texts that may differ, with the reason: tshark stops at a plain ESM PDU's first octet (see the
 * allowance plain-esm-pdu: TS 24.301 §9.3.1) and so shows no Info; tshark reads the Additional
 * information of a generic NAS transport with an LPP container as an LCS-AP Correlation-ID (TS 29.171,
 * OCTET STRING (SIZE (4))) and marks a message whose Additional information has another length
 * malformed, where mtcgk keeps the value as octets (nas_eps.cmn.add_info, compared).
 */
const INFO_ALLOWED: Array<{ id: string; test: (tshark: string, ours: string, m: MessageContext) => boolean }> = [
  { id: 'plain-esm-pdu', test: (t, _o, m) => t === '' && inRanges(0, m.esm) },
  {
    id: 'lcsap-correlation-id',
    test: (t, o, m) =>
      t === `${o}[Malformed Packet]` &&
      m.tshark.some((f) => f.name === 'nas_eps.cmn.add_info' && f.value.length !== 8) &&
      m.tshark.some((f) => f.name === 'nas_eps.emm.gen_msg_cont_type' && f.value === '1'),
  },
];

const sum = (f: (r: MessageResult) => number) => results.reduce((n, r) => n + f(r), 0);
const usesOf = (id: string) => results.reduce((n, r) => n + (r.uses.get(id) ?? 0), 0);

describe('agreement with tshark on the real corpus', () => {
  it('prints the figures', () => {
    const compared = sum((r) => r.compared);
    const agreed = sum((r) => r.agreed);
    const allowedTshark = sum((r) => r.allowedTshark);
    const pct = (n: number) => ((100 * n) / compared).toFixed(1);
    const kinds = [...new Set(allowances.map((a) => a.kind))];
    const lines = [
      `tshark agreement over the ${results.length} messages of real.jsonl (one tshark run):`,
      `  fields compared (valued field occurrences tshark shows): ${compared}`,
      `  agreed (same filter name, same rendering):               ${agreed} (${pct(agreed)}%), ${sum((r) => r.samePlace)} of them at the same octet offset`,
      `  allowed differences, tshark side:                        ${allowedTshark} (${pct(allowedTshark)}%)`,
      `  allowed differences, mtcgk side (fields tshark omits):   ${sum((r) => r.allowedOurs)}`,
      `  unexplained disagreements:                               ${sum((r) => r.disagreements.length)}`,
      `  messages whose every tshark field agrees:                ${results.filter((r) => r.agreed === r.compared).length}/${results.length}`,
      `  messages in full agreement (nothing allowed either):     ${results.filter((r) => r.agreed === r.compared && r.allowedOurs === 0).length}/${results.length}`,
      '  allowed, per kind:',
      ...kinds.map((k) => `    ${k.padEnd(30)} ${String(allowances.filter((a) => a.kind === k).reduce((n, a) => n + usesOf(a.id), 0)).padStart(5)}`),
      '  allowed, per allowance:',
      ...allowances.map((a) => `    ${a.id.padEnd(30)} ${String(usesOf(a.id)).padStart(5)}  (${a.kind})`),
      '  per message: #index compared agreed allowed(tshark+mtcgk) disagreements name',
      ...results.map(
        (r) =>
          `    #${String(r.index).padEnd(3)} ${String(r.compared).padStart(4)} ${String(r.agreed).padStart(4)} ${String(r.allowedTshark + r.allowedOurs).padStart(4)} ${String(r.disagreements.length).padStart(3)}  ${r.name}`,
      ),
    ];
    console.log(lines.join('\n'));
    expect(compared).toBeGreaterThan(9000);
    expect(agreed / compared).toBeGreaterThanOrEqual(0.99);
    // Every PDU of the corpus gives tshark something to compare.
    expect(results.every((r) => r.compared > 0)).toBe(true);
  });

  it("shows tshark's Info column (_ws.col.Info), but where tshark stops early or reads a container further", () => {
    const equal = infos.filter((x) => x.tshark === x.ours).length;
    const unexplained = infos.map((x, i) => ({ ...x, i })).filter((x) => x.tshark !== x.ours && !INFO_ALLOWED.some((a) => a.test(x.tshark, x.ours, contexts[x.i])));
    console.log(
      `Info column equal to tshark's: ${equal}/${infos.length} messages (${((100 * equal) / infos.length).toFixed(1)}%); the others: ${INFO_ALLOWED.map((a) => `${a.id} ${infos.filter((x, i) => x.tshark !== x.ours && a.test(x.tshark, x.ours, contexts[i])).length}`).join(', ')}`,
    );
    if (process.env.MTCGK_AGREEMENT_DEBUG)
      console.log(
        infos
          .map((x, i) => ({ ...x, i }))
          .filter((x) => x.tshark !== x.ours)
          .map((x) => `#${x.i}: tshark "${x.tshark}", mtcgk "${x.ours}" ${corpus[x.i].hex}`)
          .join('\n'),
      );
    expect(unexplained.map((x) => `#${x.i}: tshark "${x.tshark}", mtcgk "${x.ours}"`)).toEqual([]);
    expect(equal / infos.length).toBeGreaterThanOrEqual(0.95);
  });

  it('has no unexplained disagreement', () => {
    const all = results.flatMap((r) => r.disagreements);
    if (process.env.MTCGK_AGREEMENT_DEBUG) {
      const groups = new Map<string, string[]>();
      for (const d of all) {
        const k = `${d.side} ${d.name}`;
        groups.set(k, [...(groups.get(k) ?? []), `#${d.index}@${d.offset}=${d.value.slice(0, 40)}`]);
      }
      console.log([...groups].map(([k, v]) => `${k} (${v.length}): ${v.slice(0, 6).join(' ')}`).join('\n'));
    }
    expect(all.map((d) => `#${d.index} ${d.message}: ${d.side} ${d.name} = ${d.value}${d.offset === undefined ? '' : ` @${d.offset}`}`)).toEqual([]);
  });

  it('uses every allowance (take unused ones off the list)', () => {
    const unused = allowances.filter((a) => usesOf(a.id) === 0);
    expect(unused.map((a) => a.id)).toEqual([]);
  });

  it('gives every allowance a reason and the spec clause that decides it', () => {
    for (const a of allowances) {
      expect(a.reason.length, a.id).toBeGreaterThan(40);
      expect(a.fields.length, a.id).toBeGreaterThan(0);
      expect(a.spec, a.id).toMatch(/TS \d\d\.\d{3} §\d/);
      if (a.kind === 'tshark differs from the spec') expect(a.spec, a.id).toMatch(/TS 24\.(301|008|007)/);
    }
  });

  it('would notice a wrong value, a missing field and a field tshark does not show', () => {
    // The attach accept with the most fields: change one agreed value, drop another, add a Wireshark-named one.
    const m = contexts.reduce((a, b) => (b.tshark.length > a.tshark.length && b.name === 'Attach accept' ? b : a), contexts.find((c) => c.name === 'Attach accept')!);
    const names = new Set([...catalogue, ...m.tshark.map((f) => f.name)]);
    expect(compareMessage(m, allowances, names).disagreements).toEqual([]);
    const k = m.ours.findIndex((o) => o.name === 'nas_eps.emm.EPS_attach_result');
    const j = m.ours.findIndex((o) => o.name === 'nas_eps.nas_msg_emm_type');
    const changed = m.ours.map((o, i) => (i === k ? { ...o, value: `${o.value}0` } : o)).filter((_, i) => i !== j);
    const extra = { ...m.ours[k], name: 'nas_eps.emm.cause', value: '7' };
    const r = compareMessage({ ...m, ours: [...changed, extra] }, allowances, names);
    expect(r.disagreements.map((d) => `${d.side} ${d.name}`).sort()).toEqual([
      'mtcgk only nas_eps.emm.EPS_attach_result',
      'mtcgk only nas_eps.emm.cause',
      'tshark only nas_eps.emm.EPS_attach_result',
      'tshark only nas_eps.nas_msg_emm_type',
    ]);
  });
});

describe('tshark JSON reader', () => {
  it('keeps every occurrence of a repeated key, with its _raw position and type', () => {
    const text = '{"a": {"x.y_raw": ["0a0b", 3, 2, 0, 30], "x.y": "0a:0b", "x.y": "c", "t": {"x.z": "1"}, "x.e": ""}}';
    const fields = valuedFields(member(parseTolerantJson(text), 'a')!);
    expect(fields).toEqual([
      { name: 'x.y', value: '0a0b', offset: 3, length: 2, mask: 0, ftype: 30, ancestors: [] },
      { name: 'x.y', value: 'c', ancestors: [] },
      { name: 'x.z', value: '1', ancestors: ['t'] },
    ]);
  });
});
