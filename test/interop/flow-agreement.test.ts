/**
 * Agreement with tshark on the captures `mtcgk flow` makes (captures/flows/*\/flow.pcapng): every
 * Diameter and NAS-EPS packet that tshark dissects is compared cell by cell, by the machinery of the
 * corpus test (agreement.ts), without keys on either side. The group key code points are mtcgk's own
 * (docs/wire-formats.md) and tshark cannot know them; everything else is standard and must agree.
 * mtcgk must also decode every Diameter AVP of these captures from its dictionary, with no expert item.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dissectFull, walk } from '../../src/index.js';
import { readPcapng } from '../../src/io/index.js';
import { type Allowance, compareMessage, esmRanges, inRanges, type MessageContext, type MessageResult, ourFields } from './agreement.js';
import { allowances, requestAnswerLinks } from './tshark-allowances.js';
import { member, parseTolerantJson, type TsharkField, valuedFields } from './tshark-json.js';

const FLOWS = 'captures/flows';
const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The octet ranges of the AVPs tshark does not know (their data, shown as `diameter.avp.unknown`). */
const unknownRanges = (m: MessageContext) => m.tshark.filter((f) => f.name === 'diameter.avp.unknown' && f.offset !== undefined).map((f): [number, number] => [f.offset!, f.offset! + (f.length ?? 0)]);

/**
 * The group key code points are mtcgk's own: the provisional AVPs (grammars/diameter/provisional.yaml),
 * whose data tshark shows as an unknown AVP's octets, and the group key IEs of NAS
 * (grammars/nas-eps/group-keys.yaml), which tshark does not dissect.
 */
const OWN_CODE_POINTS: Allowance = {
  id: 'own-code-points',
  kind: 'not modelled',
  fields: ['diameter.avp.unknown', "mtcgk's fields inside a provisional AVP or a group key IE"],
  reason: "mtcgk's own code points for group keys, which tshark cannot know",
  tshark: (f, m) => f.name === 'diameter.avp.unknown' && m.ours.some((o) => o.offset === f.offset && !m.tshark.some((t) => t.name === o.name)),
  ours: (o, m) => inRanges(o.offset, unknownRanges(m)) || o.ancestors.some((a) => /^nas_eps\.ie\..*group_key/.test(a)),
};
const ALLOWANCES = [...allowances, requestAnswerLinks, OWN_CODE_POINTS];

const results: MessageResult[] = [];
const unknownAvps: string[] = [];

beforeAll(() => {
  for (const dir of readdirSync(FLOWS)) {
    const file = join(FLOWS, dir, 'flow.pcapng');
    const frames = readPcapng(readFileSync(file), file);
    const packets = parseTolerantJson(execFileSync('tshark', ['-r', file, '-T', 'json', '-x'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }));
    if (!Array.isArray(packets) || packets.length !== frames.length) throw new Error(`${file}: tshark and mtcgk read different packet counts`);
    frames.forEach((frame, index) => {
      const protocol = frame.protocol ?? '';
      const layers = member(member(packets[index], '_source')!, 'layers')!;
      const layer = member(layers, protocol);
      const tree = dissectFull(frame.bytes, protocol, { direction: frame.direction }).tree;
      if (protocol === 'diameter')
        for (const n of walk(tree)) {
          if (n.filter === 'diameter.avp.unknown') unknownAvps.push(`${frame.source}: an AVP the dictionary does not know`);
          for (const e of n.expert) unknownAvps.push(`${frame.source}: ${e.id}: ${e.message}`);
        }
      if (layer === undefined) return; // a group message: tshark has no dissector for it
      const shift = Number(member(member(layers, 'frame')!, 'frame.len')) - frame.bytes.length;
      const tshark = valuedFields(layer).map((f): TsharkField => (f.offset === undefined ? f : { ...f, offset: f.offset - shift }));
      const m = { index, name: `${dir}#${index + 1}`, hex: hexOf(frame.bytes), tshark, ours: ourFields(tree), esm: esmRanges(tree), tree };
      results.push(compareMessage(m, ALLOWANCES, new Set(tshark.map((f) => f.name))));
    });
  }
}, 120_000);

describe('agreement with tshark on the flow captures', () => {
  it('agrees on every standard field tshark shows', () => {
    const sum = (f: (r: MessageResult) => number) => results.reduce((k, r) => k + f(r), 0);
    const [compared, agreed] = [sum((r) => r.compared), sum((r) => r.agreed)];
    const disagreements = results.flatMap((r) => r.disagreements);
    console.log(
      [
        `flow captures: ${results.length} packets tshark dissects; cells: ${compared}; agreed: ${agreed} (${((100 * agreed) / compared).toFixed(1)}%); allowed: ${sum((r) => r.allowedTshark)}; disagreements: ${disagreements.length}`,
        ...disagreements.slice(0, 200).map((d) => `  ${d.message}: ${d.side} ${d.name} = ${d.value}${d.offset === undefined ? '' : ` @${d.offset}`}`),
      ].join('\n'),
    );
    expect(results.length).toBeGreaterThan(100);
    expect(disagreements.map((d) => `${d.message}: ${d.side} ${d.name} = ${d.value}`)).toEqual([]);
  });

  it('decodes every Diameter AVP from its dictionary, with no expert item', () => {
    expect(unknownAvps).toEqual([]);
  });
});
