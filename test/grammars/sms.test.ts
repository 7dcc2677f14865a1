// SMS in the NAS message container of UPLINK/DOWNLINK NAS TRANSPORT (grammars/nas-eps/sms.yaml): the CP
// layer (TS 24.011 §7.2), the RP layer (§7.3) and the TPDU (TS 23.040 §9.2). Messages built by hand cover
// every RP message type, every TPDU type, the TP-DCS coding groups, user data headers, address kinds and
// validity period formats. Each one dissects without an error, re-encodes byte-exactly and decodes the
// same on the compiled path; all of them agree with tshark (Wireshark 4.0) field by field (filter name,
// rendering and octet offset) and in the Info column. Generated SMS values round-trip too.
// Like test/interop/tshark.test.ts, the tshark part fails rather than skips when tshark is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { decode, dissectFull, encode, fromHex, toHex, walk, type TreeNode } from '../../src/index.js';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { writePcapng } from '../../src/io/index.js';
import { infoColumn } from '../../src/output/info.js';
import { ourFields } from '../interop/agreement.js';
import { member, parseTolerantJson, type TsharkField, valuedFields } from '../interop/tshark-json.js';

type Obj = Record<string, unknown>;

/** Hex with length-prefixed parts: `[...]` is the octets inside, after one octet giving their number. */
function lv(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] === '[') {
      let depth = 1;
      let j = i + 1;
      for (; depth; j++) depth += s[j] === '[' ? 1 : s[j] === ']' ? -1 : 0;
      const inner = lv(s.slice(i + 1, j - 1));
      out += (inner.length / 2).toString(16).padStart(2, '0') + inner;
      i = j;
    } else {
      if (!/\s/.test(s[i])) out += s[i];
      i++;
    }
  }
  return out;
}

interface Sample {
  name: string;
  /** The NAS message: an UPLINK (07 63) or DOWNLINK (07 62) NAS TRANSPORT around the CP-layer octets. */
  hex: string;
  /** Why tshark is not compared on it. */
  tsharkDiffers?: string;
}

const ul = (name: string, cp: string, tsharkDiffers?: string): Sample => ({ name, hex: `0763${lv(`[${cp}]`)}`, tsharkDiffers });
const dl = (name: string, cp: string): Sample => ({ name, hex: `0762${lv(`[${cp}]`)}` });

const SC = '[913386094000f0]'; // service centre +33689004000
const OA = '0b914477680205f9'; // +44778620509, 11 semi-octets
const DA = '0a911234567890'; // +2143658709
const TS = '41503201310540'; // 14-05-23 10:13:50 GMT+1
const HELLO = 'c8329bfd06'; // "Hello", GSM 7-bit packed

const samples: Sample[] = [
  // RP-DATA (MS to Network): SMS-SUBMIT and SMS-COMMAND
  ul('SMS-SUBMIT, relative validity period, reply path, status report request, reject duplicates', `0901[00 01 [] ${SC} [b5 07 ${DA} 00 00 a7 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, absolute validity period', `0901[00 02 [] ${SC} [19 08 ${DA} 00 00 ${TS} 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, enhanced validity period in seconds', `0901[00 03 [] ${SC} [0d 09 ${DA} 00 00 02a7000000 0000 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, enhanced validity period hh:mm:ss', `0901[00 04 [] ${SC} [0d 0a ${DA} 00 00 03123456 000000 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, enhanced validity period with an extended functionality indicator', `0901[00 05 [] ${SC} [0d 0b ${DA} 00 00 81000000 000000 05 ${HELLO}]]`),
  ul(
    'SMS-SUBMIT, enhanced relative validity period',
    `0901[00 06 [] ${SC} [0d 0c ${DA} 00 00 01a7000000 0000 05 ${HELLO}]]`,
    'tshark 4.0 takes one octet for an enhanced validity period in the relative format; TS 23.040 §9.2.3.12.3 gives it seven',
  ),
  ul('SMS-SUBMIT, concatenated, GSM 7-bit after a header and a fill bit', `0901[00 07 [] ${SC} [41 0d ${DA} 00 00 0c 0500032a0201 906536fb0d]]`),
  ul('SMS-SUBMIT, GSM 7-bit escapes (€, [)', `0901[00 08 [] ${SC} [01 0e ${DA} 00 00 06 c14d59b8e101]]`),
  ul('SMS-SUBMIT, keypad digits *100#', `0901[00 09 [] ${SC} [01 0f 05811a00fb 00 00 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, E.164 number with an identification code (883 51x)', `0901[00 0a [] ${SC} [01 10 0b918853214365f7 00 00 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, no user data', `0901[00 0b [] ${SC} [01 11 ${DA} 00 00 00]]`),
  ul('SMS-SUBMIT, compressed text', `0901[00 0c [] ${SC} [01 12 ${DA} 00 20 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, TP-PID telematic interworking (telex)', `0901[00 0d [] ${SC} [01 13 ${DA} 21 00 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, TP-PID replace short message type 1', `0901[00 0e [] ${SC} [01 14 ${DA} 41 00 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, TP-PID reserved', `0901[00 0f [] ${SC} [01 15 ${DA} 80 00 05 ${HELLO}]]`),
  ul('SMS-SUBMIT, TP-PID SC specific', `0901[00 10 [] ${SC} [01 16 ${DA} c5 00 05 ${HELLO}]]`),
  ul('SMS-COMMAND with command data', `0901[00 11 [] ${SC} [22 07 00 01 05 ${OA} 03 010203]]`),
  // RP-DATA (Network to MS): SMS-DELIVER and SMS-STATUS-REPORT
  dl('SMS-DELIVER, GSM 7-bit', `0901[01 03 ${SC} [] [04 ${OA} 00 00 ${TS} 05 d4f29cae00]]`),
  dl('SMS-DELIVER, UCS2', `0901[01 04 ${SC} [] [04 ${OA} 00 08 ${TS} 06 0048006920ac]]`),
  dl('SMS-DELIVER, concatenated (16-bit reference), 16-bit ports, UCS2', `0901[01 05 ${SC} [] [44 ${OA} 00 08 ${TS} 11 0c 0804123402010504 3e803e81 00480069]]`),
  dl('SMS-DELIVER, 8-bit data, 8-bit ports, national language single shift', `0901[01 06 ${SC} [] [44 ${OA} 00 04 ${TS} 0b 07 0402f0f1 240101 010203]]`),
  dl('SMS-DELIVER, special SMS message indication, two fill bits', `0901[01 07 ${SC} [] [44 ${OA} 00 00 ${TS} 0b 04 01028005 20cb6cf61b]]`),
  dl('SMS-DELIVER, alphanumeric originator, class 1', `0901[01 08 ${SC} [] [04 0ed0d637396c7ebbcb 00 11 ${TS} 05 ${HELLO}]]`),
  dl('SMS-DELIVER, alphanumeric originator of 7 semi-octets', `0901[01 09 ${SC} [] [04 07d041e19008 00 00 ${TS} 05 ${HELLO}]]`),
  dl('SMS-DELIVER, TP-DCS data coding class 1', `0901[01 0a ${SC} [] [04 ${OA} 00 f1 ${TS} 05 ${HELLO}]]`),
  dl('SMS-DELIVER, TP-DCS message waiting (discard)', `0901[01 0b ${SC} [] [04 ${OA} 00 c8 ${TS} 05 ${HELLO}]]`),
  dl('SMS-DELIVER, TP-DCS message waiting (UCS2)', `0901[01 0c ${SC} [] [04 ${OA} 00 e0 ${TS} 04 00480069]]`),
  dl('SMS-DELIVER, TP-DCS reserved coding group', `0901[01 0d ${SC} [] [04 ${OA} 00 80 ${TS} 05 ${HELLO}]]`),
  dl('SMS-DELIVER, more messages, loop prevention, status report indication', `0901[01 0e ${SC} [] [28 ${OA} 00 00 ${TS} 05 ${HELLO}]]`),
  dl('SMS-STATUS-REPORT', `0901[01 0f ${SC} [] [06 05 ${OA} ${TS} ${TS} 00]]`),
  dl('SMS-STATUS-REPORT with optional parameters', `0901[01 10 ${SC} [] [26 05 ${OA} ${TS} ${TS} 41 07 00 00 05 ${HELLO}]]`),
  dl('SMS-STATUS-REPORT with a user data header', `0901[01 11 ${SC} [] [46 05 ${OA} ${TS} ${TS} 00 07 00 00 0c 0500032a0201 906536fb0d]]`),
  // RP-ACK and RP-ERROR: SMS-DELIVER-REPORT (MS to Network) and SMS-SUBMIT-REPORT (Network to MS)
  ul('RP-ACK (MS to Network)', '0901[02 05]'),
  ul('RP-ACK (MS to Network), SMS-DELIVER-REPORT', '0901[02 05 41[00 00]]'),
  ul('RP-ACK (MS to Network), SMS-DELIVER-REPORT with a header and UCS2 text', '0901[02 05 41[40 07 00 08 0a 0500032a0201 00480069]]'),
  ul('RP-ERROR (MS to Network), SMS-DELIVER-REPORT with TP-FCS', '0901[04 05 [16] 41[00 d3 00]]'),
  ul('RP-ERROR (MS to Network), cause with a diagnostic', '0901[04 05 [9605]]'),
  dl('RP-ACK (Network to MS), SMS-SUBMIT-REPORT', `0901[03 05 41[01 00 ${TS}]]`),
  dl('RP-ACK (Network to MS), SMS-SUBMIT-REPORT with optional parameters', `0901[03 05 41[01 07 ${TS} 00 00 05 ${HELLO}]]`),
  dl('RP-ERROR (Network to MS), SMS-SUBMIT-REPORT with TP-FCS', `0901[05 05 [2a] 41[01 c0 00 ${TS}]]`),
  dl('RP-ERROR (Network to MS)', '0901[05 05 [2a]]'),
  ul('RP-SMMA', '0901[06 02]'),
  ul('RP message of a reserved type', '0901[07 01 0203]'),
];

const ir = defaultGrammar();
const decodedOf = (hex: string) => dissectFull(fromHex(hex), 'nas-eps').value as Obj;
const container = (v: Obj) => (v.nas_message_container as { contents: Obj }).contents;
const rp = (v: Obj) => container(v).rpdu as Obj;
const tpdu = (v: Obj) => (rp(v).elements as Obj).tpdu as Obj;
const sample = (name: string) => samples.find((s) => s.name === name)!.hex;

describe('SMS messages built by hand', () => {
  it.each(samples.map((s) => [s.name, s.hex] as const))('%s: no error, byte-exact, the same on the compiled path', (_name, hex) => {
    const bytes = fromHex(hex);
    const r = dissectFull(bytes, 'nas-eps');
    expect(r.expert.filter((e) => e.severity === 'error' || e.severity === 'warn')).toEqual([]);
    expect(JSON.stringify(r.value)).not.toMatch(/"_(raw|trailing|extra)"/);
    expect(toHex(encode(r.value as Obj, 'nas-eps'))).toBe(hex);
    expect(decode(bytes, 'nas-eps')).toEqual(r.value);
  });

  it('cover every RP message type and every TPDU type', () => {
    const rpTypes = new Set(samples.map((s) => rp(decodedOf(s.hex)).message_type));
    expect([...rpTypes].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const kinds = new Set(
      samples.flatMap((s) => {
        const e = rp(decodedOf(s.hex)).elements as Obj;
        const t = (e.tpdu ?? (e.user_data as Obj | undefined)?.tpdu) as Obj | undefined;
        return t ? [`${rp(decodedOf(s.hex)).message_type}:${t.message_type_indicator}`] : [];
      }),
    );
    // SUBMIT, COMMAND, DELIVER, STATUS-REPORT, DELIVER-REPORT (RP-ACK, RP-ERROR), SUBMIT-REPORT (RP-ACK, RP-ERROR).
    expect([...kinds].sort()).toEqual(['0:1', '0:2', '1:0', '1:2', '2:0', '3:1', '4:0', '5:1']);
  });
});

describe('SMS values', () => {
  it('an SMS-SUBMIT: addresses as digits, TP-DCS and TP-PID as numbers, the user data as octets', () => {
    // The real corpus line: UPLINK NAS TRANSPORT, CP-DATA, RP-DATA (MS to Network), SMS-SUBMIT "Test\n".
    const v = decodedOf('07632009011d00010007913386094000f01101830a816000000000000005d4f29cae00');
    expect(container(v)).toMatchObject({ ti_flag: 0, tio: 0, protocol_discriminator: 9, message_type: 1 });
    expect(rp(v)).toEqual({
      message_type: 0,
      message_reference: 1,
      elements: {
        originator_address: {},
        destination_address: { number_type: { extension: 1, type_of_number: 1, numbering_plan: 1 }, digits: '33689004000' },
        tpdu: {
          reply_path: 0,
          user_data_header_indicator: 0,
          status_report_request: 0,
          validity_period_format: 0,
          reject_duplicates: 0,
          message_type_indicator: 1,
          message_reference: 131,
          destination_address: { extension: 1, type_of_number: 0, numbering_plan: 1, digits: '0600000000' },
          protocol_identifier: 0,
          data_coding_scheme: 0,
          user_data_length: 5,
          user_data: 'd4f29cae00',
        },
      },
    });
  });

  it('encodes an SMS from a value alone: every length, the semi-octet count of the addresses included', () => {
    const value = {
      message: 'uplink_nas_transport',
      nas_message_container: {
        contents: {
          ti_flag: 0,
          tio: 0,
          protocol_discriminator: 9,
          message_type: 1,
          rpdu: {
            message_type: 0,
            message_reference: 1,
            elements: {
              originator_address: {},
              destination_address: { number_type: { extension: 1, type_of_number: 1, numbering_plan: 1 }, digits: '33689004000' },
              tpdu: {
                reply_path: 0,
                user_data_header_indicator: 0,
                status_report_request: 0,
                validity_period_format: 0,
                reject_duplicates: 0,
                message_type_indicator: 1,
                message_reference: 131,
                destination_address: { extension: 1, type_of_number: 1, numbering_plan: 1, digits: '44778620509' },
                protocol_identifier: 0,
                data_coding_scheme: 0,
                user_data_length: 5,
                user_data: 'd4f29cae00',
              },
            },
          },
        },
      },
    };
    // 11 digits: length 0b, the last semi-octet 1111.
    expect(toHex(encode(value, 'nas-eps'))).toBe(`0763${lv('[0901[00 01 [] [913386094000f0] [01 83 0b914477680205f9 00 00 05 d4f29cae00]]]')}`);
  });

  it('an alphanumeric address: its octets, and a length the octets do not give kept in the value', () => {
    const eight = tpdu(decodedOf(sample('SMS-DELIVER, alphanumeric originator, class 1'))).originating_address;
    expect(eight).toEqual({ extension: 1, type_of_number: 5, numbering_plan: 0, text: 'd637396c7ebbcb' });
    // "ABCD": 28 bits in 4 octets, 7 useful semi-octets; the encoder would count 8.
    const four = tpdu(decodedOf(sample('SMS-DELIVER, alphanumeric originator of 7 semi-octets'))).originating_address;
    expect(four).toEqual({ extension: 1, type_of_number: 5, numbering_plan: 0, text: '41e19008', length: 7 });
  });

  it('digits with keypad characters, and the text and fields Wireshark derives', () => {
    const fields = (name: string) => new Map(ourFields(dissectFull(fromHex(sample(name)), 'nas-eps').tree).map((o) => [o.name, o.value]));
    expect((tpdu(decodedOf(sample('SMS-SUBMIT, keypad digits *100#'))).destination_address as Obj).digits).toBe('*100#');
    expect(fields('SMS-SUBMIT, GSM 7-bit escapes (€, [)').get('gsm_sms.sms_text')).toBe('A€B[');
    expect(fields('SMS-DELIVER, UCS2').get('gsm_sms.sms_text')).toBe('Hi€');
    expect(fields('SMS-DELIVER, alphanumeric originator of 7 semi-octets').get('gsm_sms.tp-oa')).toBe('ABCD');
    expect(fields('SMS-DELIVER, 8-bit data, 8-bit ports, national language single shift').get('gsm_sms.sms_body')).toBe('010203');
    const e164 = fields('SMS-SUBMIT, E.164 number with an identification code (883 51x)');
    expect([e164.get('e164.msisdn'), e164.get('e164.country_code'), e164.get('e164.identification_code')]).toEqual(['88351234567', '883', '5123']);
    const deliver = fields('SMS-DELIVER, GSM 7-bit');
    expect(['year', 'month', 'day', 'hour', 'minutes', 'seconds', 'timezone'].map((k) => deliver.get(`gsm_sms.scts.${k}`))).toEqual(['14', '5', '23', '10', '13', '50', '4']);
  });

  it('reads an enhanced relative validity period as seven octets (TS 23.040 §9.2.3.12.3)', () => {
    const t = tpdu(decodedOf(sample('SMS-SUBMIT, enhanced relative validity period')));
    expect(t.validity_period_enhanced).toEqual({ extension: 0, rest: { single_shot: 0, reserved: 0, format: 1, value: { validity_period: 0xa7, octets: '0000000000' } } });
    expect(t.user_data_length).toBe(5);
  });
});

describe('generated SMS values', () => {
  const arbs = new Arbitraries(ir, { maxBytes: 24 });
  const cp = arbs.type(ir.types.get('sms_cp_message')!, 1);

  it('decode(encode(v)) = v, the compiled decoder agrees, and the leaves tile the bits', () => {
    fc.assert(
      fc.property(cp, fc.boolean(), (contents, up) => {
        const value = { message: up ? 'uplink_nas_transport' : 'downlink_nas_transport', nas_message_container: { contents } };
        const bytes = encode(value, 'nas-eps');
        const r = dissectFull(bytes, 'nas-eps');
        expect(r.expert.filter((e) => e.severity === 'error')).toEqual([]);
        expect(r.value).toEqual(value);
        expect(encode(r.value as Obj, 'nas-eps')).toEqual(bytes);
        expect(decode(bytes, 'nas-eps')).toEqual(value);
        const leaves = [...walk(r.tree)].filter((n) => n !== r.tree && n.children.length === 0 && !n.generated && n.bitLength > 0).sort((a, b) => a.bitOffset - b.bitOffset);
        let pos = 0;
        for (const l of leaves) {
          expect(`${l.filter} at ${l.bitOffset}`).toBe(`${l.filter} at ${pos}`);
          pos += l.bitLength;
        }
        expect(pos).toBe(bytes.length * 8);
      }),
      { seed: 20261129, numRuns: 400 },
    );
  });
});

// ------------------------------------------------------------------------------------------ tshark

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-sms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tshark (Wireshark 4.0) shows the same SMS fields and Info', () => {
  it('on every message built by hand', () => {
    const compared = samples.filter((s) => !s.tsharkDiffers);
    const file = join(dir, 'sms.pcapng');
    writeFileSync(
      file,
      writePcapng(
        compared.map((s, i) => ({ bytes: fromHex(s.hex), protocol: 'nas-eps', label: s.name, source: `sms:${i + 1}` })),
        { linkType: 147 },
      ),
    );
    const uat = 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""';
    const run = (...args: string[]) => execFileSync('tshark', ['-o', uat, '-r', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
    const packets = parseTolerantJson(run('-T', 'json', '-x')) as unknown[];
    const infos = run('-T', 'fields', '-e', '_ws.col.Info').split('\n');
    const mismatches: string[] = [];
    let agreed = 0;
    compared.forEach((s, i) => {
      const layer = member(member(member(packets[i] as never, '_source')!, 'layers')!, 'nas-eps')!;
      // The container's fields: Wireshark's names on both sides (mtcgk's own nas_eps.* names are not Wireshark's).
      const theirs: TsharkField[] = valuedFields(layer).filter((f) => f.ancestors.includes('nas_eps.emm.nas_msg_cont_tree'));
      const r = dissectFull(fromHex(s.hex), 'nas-eps');
      const holder = [...walk(r.tree)].find((n) => n.filter === 'nas_eps.emm.nas_msg_cont') as TreeNode;
      const ours = ourFields(holder).filter((o) => o.node !== holder && !o.name.startsWith('nas_eps.'));
      for (const f of theirs) {
        const k = ours.findIndex((o) => o.name === f.name && o.value === f.value && o.offset === f.offset);
        if (k < 0) mismatches.push(`${s.name}: tshark ${f.name} = ${f.value} @${f.offset}`);
        else {
          agreed++;
          ours.splice(k, 1);
        }
      }
      for (const o of ours) mismatches.push(`${s.name}: mtcgk ${o.name} = ${o.value} @${o.offset}`);
      if (infoColumn(r) !== infos[i]) mismatches.push(`${s.name}: Info "${infoColumn(r)}", tshark "${infos[i]}"`);
    });
    expect(mismatches).toEqual([]);
    expect(agreed).toBeGreaterThan(1500);
  }, 60_000);
});
