/**
 * Agreement with tshark on S6a messages built byte by byte from the specifications (test/interop/
 * diameter-bytes.ts: RFC 6733 §3 and §4.1 layout, TS 29.272 §7.2 command codes and §7.3 AVP codes), not
 * with mtcgk's encoder: AIR/AIA with Authentication-Info and an E-UTRAN-Vector, ULR/ULA with
 * Subscription-Data, CLR/CLA, IDR/IDA, PUR/PUA and an answer with Experimental-Result. All are written as
 * one pcapng of exported PDUs (protocol "diameter"), read by one `tshark -T json -x` run, and compared
 * cell by cell with mtcgk's `-T fields` cells by the machinery of the NAS corpus test (agreement.ts):
 * every valued field tshark shows against mtcgk's fields of the same name and value.
 * docs/tshark-agreement.md lists the figures and the gaps. Fails, not skips, when tshark is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dissectFull } from '../../src/index.js';
import { writePcapng } from '../../src/io/index.js';
import { type Allowance, compareMessage, type MessageResult, ourFields } from './agreement.js';
import { baseAvp, diameterMessage, grouped, hex, tgppAvp, u32, utf8 } from './diameter-bytes.js';
import { member, parseTolerantJson, type TsharkField, valuedFields } from './tshark-json.js';

const S6A = 16777251; // TS 29.272 §7.1
const IMSI = '001010123456789';
const [ULR, CLR, AIR, IDR, PUR] = [316, 317, 318, 319, 321]; // TS 29.272 §7.2.1 Table 7.2.1/1

const session = (n: number) => baseAvp(263, utf8(`mme.epc.example.org;1700000000;${n}`));
const stateless = baseAvp(277, u32(1)); // Auth-Session-State NO_STATE_MAINTAINED (RFC 6733 §8.11)
const mme = [baseAvp(264, utf8('mme.epc.example.org')), baseAvp(296, utf8('epc.example.org'))];
const hss = [baseAvp(264, utf8('hss.epc.example.org')), baseAvp(296, utf8('epc.example.org'))];
const toHss = baseAvp(283, utf8('epc.example.org'));
const toMme = [baseAvp(293, utf8('mme.epc.example.org')), baseAvp(283, utf8('epc.example.org'))];
const userName = baseAvp(1, utf8(IMSI));
const success = baseAvp(268, u32(2001)); // DIAMETER_SUCCESS (RFC 6733 §7.1.2)
const visitedPlmn = tgppAvp(1407, hex('00f110')); // MCC 001, MNC 01 (TS 29.272 §7.3.9)
const supportedFeatures = tgppAvp(628, grouped(baseAvp(266, u32(10415)), tgppAvp(629, u32(1), false), tgppAvp(630, u32(0x0000000f), false)), false);
const vector = (item: number) =>
  tgppAvp(
    1414,
    grouped(
      tgppAvp(1419, u32(item)),
      tgppAvp(1447, hex('23553cbe9637a89d218ae64dae47bf35')),
      tgppAvp(1448, hex('a54211d5e3ba50bf')),
      tgppAvp(1449, hex('55f328b43577b9b94a9ffac354dfafb3')),
      tgppAvp(1450, hex('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20')),
    ),
  );
const subscriptionData = grouped(
  tgppAvp(701, hex('1122334455f6')), // MSISDN, TS 29.329 §6.3.2 (TBCD)
  tgppAvp(1424, u32(0)), // Subscriber-Status SERVICE_GRANTED
  tgppAvp(1417, u32(2)), // Network-Access-Mode ONLY_PACKET
  tgppAvp(1654, u32(0), false), // Subscription-Data-Flags
);

let n = 0;
const pair = (code: number, request: Uint8Array[], answer: Uint8Array[], error = false) => {
  n++;
  const ids = { code, app: S6A, hop: 0x5000 + n, e2e: 0x7000 + n };
  return [diameterMessage({ ...ids, request: true }, ...request), diameterMessage({ ...ids, request: false, error }, ...answer)];
};

/** The messages, by name. */
const MESSAGES: Array<[string, Uint8Array]> = [
  ...pair(
    AIR,
    [session(1), stateless, ...mme, toHss, userName, supportedFeatures, tgppAvp(1408, grouped(tgppAvp(1410, u32(2)), tgppAvp(1412, u32(1)))), visitedPlmn],
    [session(1), success, stateless, ...hss, tgppAvp(1413, grouped(vector(1), vector(2)))],
  ).map((b, i): [string, Uint8Array] => [i ? 'AIA' : 'AIR', b]),
  ...pair(
    ULR,
    [session(2), stateless, ...mme, toHss, userName, tgppAvp(1032, u32(1004)), tgppAvp(1405, u32(0x22)), visitedPlmn],
    [session(2), success, stateless, ...hss, tgppAvp(1406, u32(1)), tgppAvp(1400, subscriptionData)],
  ).map((b, i): [string, Uint8Array] => [i ? 'ULA' : 'ULR', b]),
  ...pair(CLR, [session(3), stateless, ...hss, ...toMme, userName, tgppAvp(1420, u32(0)), tgppAvp(1638, u32(2), false)], [session(3), success, stateless, ...mme]).map((b, i): [string, Uint8Array] => [
    i ? 'CLA' : 'CLR',
    b,
  ]),
  ...pair(IDR, [session(4), stateless, ...hss, ...toMme, userName, tgppAvp(1400, grouped(tgppAvp(1424, u32(1)))), tgppAvp(1490, u32(1))], [session(4), success, stateless, ...mme]).map(
    (b, i): [string, Uint8Array] => [i ? 'IDA' : 'IDR', b],
  ),
  ...pair(PUR, [session(5), stateless, ...mme, toHss, userName, tgppAvp(1635, u32(1))], [session(5), success, stateless, ...hss, tgppAvp(1442, u32(1))]).map((b, i): [string, Uint8Array] => [
    i ? 'PUA' : 'PUR',
    b,
  ]),
  // DIAMETER_ERROR_USER_UNKNOWN (TS 29.272 §7.4.3.1) as an Experimental-Result (RFC 6733 §7.6, §7.7).
  ...pair(
    ULR,
    [session(6), stateless, ...mme, toHss, baseAvp(1, utf8('001019999999999')), tgppAvp(1032, u32(1004)), tgppAvp(1405, u32(0x02)), visitedPlmn],
    [session(6), stateless, ...hss, baseAvp(297, grouped(baseAvp(266, u32(10415)), baseAvp(298, u32(5001))))],
  ).map((b, i): [string, Uint8Array] => [i ? 'ULA (user unknown)' : 'ULR (unknown user)', b]),
];

/** What tshark shows that mtcgk does not model, each with its reason. */
const ALLOWANCES: Allowance[] = [
  {
    id: 'request-answer-links',
    kind: 'not modelled',
    fields: ['diameter.answer_in', 'diameter.answer_to', 'diameter.resp_time'],
    reason:
      'tshark pairs a request with its answer across the capture (same Hop-by-Hop and End-to-End Identifiers) and shows the frame numbers and the response time; mtcgk dissects one message at a time',
    tshark: (f) => ['diameter.answer_in', 'diameter.answer_to', 'diameter.resp_time'].includes(f.name),
  },
];

/**
 * The gaps measured (docs/tshark-agreement.md, "Diameter built from the specifications"): fields tshark
 * shows that mtcgk does not have yet. Any other disagreement fails the test.
 */
const GAPS: Array<[string, RegExp]> = [
  [
    'the bits of Feature-List, which tshark splits by the Feature-List-ID beside it (the grammar picks a layout only from an earlier field of the same struct)',
    /^diameter\.3gpp\.(feature_list1?_s6a_flags\d?_bit\d+|feature_list_flags)$/,
  ],
  ['MCC and MNC of Visited-PLMN-Id, and the MNC length of IMSI 00101... (tshark: three digits by its network table)', /^e212\.(mcc|mnc)$/],
  ['the Vendor-Id inside Supported-Features and Experimental-Result, which tshark names diameter.vendorId', /^diameter\.vendorId$/],
  ['the E.164 number tshark derives from MSISDN', /^e164\./],
];

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-diameter-independent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let results: MessageResult[] = [];

beforeAll(() => {
  const file = join(dir, 's6a.pcapng');
  writeFileSync(
    file,
    writePcapng(
      MESSAGES.map(([label, bytes]) => ({ bytes, protocol: 'diameter', label, source: label })),
      { linkType: 252 },
    ),
  );
  const out = execFileSync('tshark', ['-r', file, '-T', 'json', '-x'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const packets = parseTolerantJson(out);
  if (!Array.isArray(packets)) throw new Error('tshark -T json: expected an array of packets');
  expect(packets.length).toBe(MESSAGES.length);
  const layers = packets.map((p) => member(member(member(p, '_source')!, 'layers')!, 'diameter'));
  const shown = new Set<string>();
  const tshark = layers.map((layer, i): TsharkField[] => {
    if (layer === undefined) throw new Error(`${MESSAGES[i][0]}: tshark shows no diameter layer`);
    // Offsets in the frame: the exported-PDU tags come before the message.
    const frameLength = Number(member(member(member(member(packets[i], '_source')!, 'layers')!, 'frame')!, 'frame.len'));
    const shift = frameLength - MESSAGES[i][1].length;
    const fields = valuedFields(layer).map((f) => (f.offset === undefined ? f : { ...f, offset: f.offset - shift }));
    for (const f of fields) shown.add(f.name);
    return fields;
  });
  results = MESSAGES.map(([name, bytes], index) => {
    const tree = dissectFull(bytes, 'diameter').tree;
    const hexText = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return compareMessage({ index, name, hex: hexText, tshark: tshark[index], ours: ourFields(tree), esm: [], tree }, ALLOWANCES, shown);
  });
}, 60_000);

const sum = (f: (r: MessageResult) => number) => results.reduce((k, r) => k + f(r), 0);

describe('agreement with tshark on S6a messages built from the specifications', () => {
  it('agrees cell by cell with what tshark shows', () => {
    const compared = sum((r) => r.compared);
    const agreed = sum((r) => r.agreed);
    const disagreements = results.flatMap((r) => r.disagreements);
    console.log(
      [
        `S6a messages built byte by byte: ${results.length}; cells tshark shows: ${compared}; agreed: ${agreed} (${((100 * agreed) / compared).toFixed(1)}%), ${sum((r) => r.samePlace)} at the same offset; allowed: ${sum((r) => r.allowedTshark)} (request/answer links); disagreements: ${disagreements.length}`,
        ...results.map((r) => `  ${r.name.padEnd(22)} ${r.agreed}/${r.compared}`),
        ...disagreements.map((d) => `  ${d.message}: ${d.side} ${d.name} = ${d.value}${d.offset === undefined ? '' : ` @${d.offset}`}`),
      ].join('\n'),
    );
    expect(compared).toBeGreaterThan(1500);
    expect(disagreements.filter((d) => !GAPS.some(([, re]) => re.test(d.name))).map((d) => `${d.message}: ${d.side} ${d.name} = ${d.value}`)).toEqual([]);
    // The floor measured with the gaps above (1767 of 1825, 96.8%); it rises as they close.
    expect(agreed / compared).toBeGreaterThanOrEqual(0.968);
  });
});
