// EMM grammar (grammars/nas-eps/emm-messages.yaml, emm-ies.yaml): real messages, tshark agreement,
// round trips of every EMM type and message, and coverage of TS 24.301 §8.2.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { Arbitraries } from '../../src/engine/arbitrary.js';
import { BitReader, BitWriter } from '../../src/engine/bits.js';
import { type CorpusLine, fixtureJson, realCorpus } from '../helpers/fixtures.js';
import { keylessDissector, readDirection } from '../helpers/keyless.js';
import { Encoder } from '../../src/engine/encode.js';
import { fromHex, toHex } from '../../src/engine/format.js';
import { walk, type TreeNode } from '../../src/engine/tree.js';
import { defaultGrammar } from '../../src/grammar/load.js';

type Obj = Record<string, unknown>;

const ir = defaultGrammar();
const dissector = keylessDissector(ir);
const encoder = new Encoder(ir);
const arbs = new Arbitraries(ir);
const params = { seed: 20261129, numRuns: process.env.MTCGK_DEEP === '1' ? 1000 : 40 };

const grammarFile = (name: string) => parse(readFileSync(new URL(`../../grammars/nas-eps/${name}`, import.meta.url), 'utf8')) as Obj;

interface Line extends CorpusLine {
  index: number;
}
const corpus: Line[] = realCorpus().map((l, index) => ({ index, ...l }));

interface SpecMessage {
  clause: string;
  name: string;
  protocol: 'EMM' | 'ESM';
  message_type: string | null;
}
const specMessages = fixtureJson<SpecMessage[]>('spec/ts24301-messages.json');
const esmNames = new Set(specMessages.filter((m) => m.protocol === 'ESM').map((m) => m.name.toLowerCase()));
const snake = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** The innermost message of a corpus line, when it is EMM. */
const inner = (name: string) => name.replace(/^Security protected NAS message \(SHT \d+\) \/ /, '');
const emmLines = corpus.filter((l) => !l.name.includes('[ciphered') && !esmNames.has(inner(l.name).toLowerCase()));

const messageOf = (value: unknown): string | undefined => {
  const v = value as Obj;
  const nested = v?.nas_message as Obj | undefined;
  return (nested?.message as string | undefined) ?? (v?.message as string | undefined);
};

/** Expert items that the real bytes explain; anything else in an EMM sample fails the test. */
function expectedExperts(line: Line): string[] {
  // open5gs TAU requests send Device properties (D-) before Old GUTI type (E-).
  if (line.note.includes('NON-CANONICAL IE ORDER')) return ['ie_out_of_order'];
  // Two network captures send the MS identity TMSI with octet 3 bits 8-5 = 0000 instead of 1111.
  if (line.index === 98 || line.index === 109) return ['spare_not_zero'];
  return [];
}

describe('EMM messages of the corpus', () => {
  it('covers the EMM samples', () => {
    expect(emmLines.length).toBeGreaterThan(100);
  });

  it.each(emmLines.map((l) => [l.index, l.name, l] as const))('#%i %s: decodes, names the message, re-encodes exactly', (_i, name, line) => {
    const r = dissector.dissect(fromHex(line.hex), 'nas-eps');
    // Chat-level items (a MAC that cannot be verified without keys) are not findings.
    expect(r.expert.filter((e) => e.severity !== 'chat').map((e) => e.id)).toEqual(expectedExperts(line));
    expect(r.expert.filter((e) => e.severity === 'error')).toEqual([]);
    expect(messageOf(r.value)).toBe(snake(inner(name)));
    expect(toHex(encoder.encode(r.value, 'nas-eps'))).toBe(line.hex);
  });

  it('keeps the out-of-order TAU request IEs in their order', () => {
    const quirky = emmLines.filter((l) => l.note.includes('NON-CANONICAL IE ORDER'));
    expect(quirky.length).toBeGreaterThan(0);
    for (const l of quirky) {
      const v = (dissector.dissect(fromHex(l.hex), 'nas-eps').value as Obj).nas_message as Obj;
      const order = v._order as string[];
      expect(order.indexOf('device_properties')).toBeLessThan(order.indexOf('old_guti_type'));
    }
  });

  it('lays out the IEs that used to be opaque', () => {
    const value = (i: number) => {
      const v = dissector.dissect(fromHex(corpus[i].hex), 'nas-eps').value as Obj;
      return (v.nas_message ?? v) as Obj;
    };
    // Authentication request: RAND and AUTN split as TS 33.102 §6.3.2.
    expect(value(24)).toMatchObject({
      nas_key_set_identifier: { tsc: 0, ksi: 1 },
      authentication_parameter_rand: { rand: '0c63a85413e6a4ced986fbe5ce9b625e' },
      authentication_parameter_autn: { sqn_xor_ak: '6757b3c2b970', amf: '9001', mac: '0c728a67579252b8' },
    });
    // Authentication failure: AUTS.
    expect(value(22)).toMatchObject({ emm_cause: { cause: 20 }, authentication_failure_parameter: { sqn_ms_xor_ak: '000000000000', mac_s: '0000000000000000' } });
    // Attach request: UE network capability with its optional octets, DRX parameter, TMSI status.
    expect(value(8)).toMatchObject({
      eps_attach_type: { type: 2 },
      ue_network_capability: { eea0: 1, eea1: 1, eea2: 1, eea3: 1, eia1: 1, octet_5: { uea0: 0 }, octet_7: { acc_csfb: 1, lpp: 1 } },
      drx_parameter: { split_pg_cycle_code: 10, non_drx_timer: 0 },
      tmsi_status: { tmsi_flag: 0 },
      additional_update_type: { autv: 1 },
    });
    // TAU accept: EPS bearer context status bitmap.
    expect(value(172)).toMatchObject({ eps_update_result: { value: 0 }, eps_bearer_context_status: { ebi5: 1, ebi6: 1, ebi7: 0 } });
    // EMM information: network names, universal time and local time zone (+2 h = 8 quarter hours), DST.
    expect(value(35)).toMatchObject({
      full_name_for_network: { coding_scheme: 0, add_ci: 0, text: '4f79d87d2e838c' },
      universal_time_and_local_time_zone: { year: '17', month: '10', day: '19', hour: '09', minute: '16', second: '16', time_zone: { units_digit: 8, negative: 0, tens_digit: 0 } },
      network_daylight_saving_time: { dst_adjustment: 1 },
    });
    // Detach request (UE originating): detach type and GUTI.
    expect(value(33)).toMatchObject({ detach_type: { switch_off: 0, type_of_detach: 3 }, eps_mobile_identity: { type_of_identity: 6, m_tmsi: 3269877402 } });
    // Control plane service request: NAS message container and device properties.
    expect(value(31)).toMatchObject({
      control_plane_service_type: { active_flag: 0, value: 0 },
      nas_message_container: { contents: { ti_flag: 0, tio: 0, protocol_discriminator: 9, message_type: 0x10, cause: 17 } },
      device_properties: { low_priority: 1 },
    });
  });
});

// ---------------------------------------------------------------- tshark agreement

/** A classic pcap with link type 147 (USER0), one record per PDU. */
function pcap(pdus: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, 0xa1b2c3d4, true);
  header.setUint16(4, 2, true);
  header.setUint16(6, 4, true);
  header.setUint32(16, 65535, true);
  header.setUint32(20, 147, true);
  parts.push(new Uint8Array(header.buffer));
  pdus.forEach((p, i) => {
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, i, true);
    rec.setUint32(8, p.length, true);
    rec.setUint32(12, p.length, true);
    parts.push(new Uint8Array(rec.buffer), p);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface WsField {
  name: string;
  pos: number;
  show: string;
}

const entities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The fields of each packet of tshark's PDML, in document order. */
function pdmlFields(pdml: string): WsField[][] {
  return pdml
    .split('<packet>')
    .slice(1)
    .map((packet) => {
      const fields: WsField[] = [];
      for (const m of packet.matchAll(/<field name="([^"]+)"[^>]*?\bpos="(\d+)"[^>]*?\bshow="([^"]*)"/g)) fields.push({ name: m[1], pos: Number(m[2]), show: entities(m[3]) });
      return fields;
    });
}

/** Filters whose rendering differs for reasons outside the EMM grammar (see the comments). */
const notCompared = new Set([
  // Spare fields: the engine shows every spare field as 0x.. hex; these Wireshark fields are BASE_DEC.
  'gsm_a.spare_bits',
  'gsm_a.spareb7',
  'gsm_a.spareb8',
  'nas_eps.emm.spare_half_octet',
]);

describe('agreement with tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-emm-'));
  let ws: WsField[][] = [];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => {
    const file = join(dir, 'emm.pcap');
    writeFileSync(file, pcap(emmLines.map((l) => fromHex(l.hex))));
    const uat = 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""';
    const out = execFileSync('tshark', ['-o', uat, '-r', file, '-T', 'pdml'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    ws = pdmlFields(out);
  });

  it('dissects every EMM sample', () => {
    expect(ws.length).toBe(emmLines.length);
  });

  it('gives the same value wherever we use a Wireshark filter name at the same offset', () => {
    let compared = 0;
    const diffs: string[] = [];
    emmLines.forEach((line, k) => {
      const r = dissector.dissect(fromHex(line.hex), 'nas-eps');
      const fields = ws[k];
      const names = new Set(fields.map((f) => f.name));
      // ESM containers are the ESM grammar's: skip their subtrees.
      const skip = new Set<TreeNode>();
      for (const n of walk(r.tree)) if (n.filter === 'nas_eps.ie.esm_message_container') for (const c of walk(n)) skip.add(c);
      for (const n of walk(r.tree)) {
        if (skip.has(n) || n.show === undefined || notCompared.has(n.filter) || !names.has(n.filter)) continue;
        const same = fields.filter((f) => f.name === n.filter && f.pos === n.bitOffset >> 3);
        if (!same.length) continue;
        compared++;
        if (!same.some((f) => f.show === n.show || f.show.replace(/:/g, '') === n.show))
          diffs.push(`#${line.index} ${n.filter}@${n.bitOffset >> 3}: ${n.show} vs ${same.map((f) => f.show).join('|')}`);
      }
    });
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(3000);
  });
});

// ---------------------------------------------------------------- round trips

/** Types whose values nest whole messages (checked through the messages below instead). */
const nestsMessages = new Set(['replayed_nas_message']);
const emmTypeNames = [...Object.keys(grammarFile('emm-ies.yaml').types as Obj), ...Object.keys((grammarFile('emm-messages.yaml').types as Obj | undefined) ?? {})];

const sorted = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Obj)[k])]),
        )
      : v;

describe.each(emmTypeNames.filter((n) => !nestsMessages.has(n)))('type %s', (name) => {
  it('decode(encode(v)) = v with no error, consuming exactly what was written', () => {
    const t = ir.types.get(name)!;
    fc.assert(
      fc.property(arbs.type(t, 0), (v) => {
        const w = new BitWriter();
        encoder.type(t, v, w, '');
        const bits = w.pos;
        const bytes = w.finish();
        const root: TreeNode = { filter: 'test', label: 'test', bitOffset: 0, bitLength: bits, display: '', children: [], expert: [] };
        const r = new BitReader(bytes, 0, bits);
        const got = dissector.type(t, r, root, name);
        expect([...walk(root)].flatMap((n) => n.expert).filter((e) => e.severity === 'error')).toEqual([]);
        expect(r.pos).toBe(bits);
        expect(sorted(got)).toEqual(sorted(v));
      }),
      params,
    );
  });
});

const emmMessageNames = Object.keys(grammarFile('emm-messages.yaml').messages as Obj);
/** Nested messages are pinned to fixed bytes so that only the EMM layout is under test. */
const pinned: Obj = {
  esm_message_container: { _raw: '5200c2' },
  replayed_nas_message_container: { _raw: corpus[11].hex },
};
const unpin = (v: Obj): Obj => Object.fromEntries(Object.entries(v).filter(([k]) => !(k in pinned)));
const pin = (v: unknown): Obj => {
  const o = { ...(v as Obj) };
  for (const k of Object.keys(pinned)) if (k in o) o[k] = pinned[k];
  return o;
};

describe.each(emmMessageNames)('message %s', (name) => {
  const arb = arbs.message(name).map(pin);
  const ctx = { direction: readDirection(ir, name) };

  it('decode(encode(v)) = v, encode(decode(b)) = b', () => {
    fc.assert(
      fc.property(arb, (v) => {
        const bytes = encoder.encode(v, 'nas-eps');
        const r = dissector.dissect(bytes, 'nas-eps', ctx);
        expect(r.expert.filter((e) => e.severity === 'error')).toEqual([]);
        expect(messageOf(r.value)).toBe(name);
        expect(unpin(r.value as Obj)).toEqual(unpin(v));
        expect(encoder.encode(r.value, 'nas-eps')).toEqual(bytes);
      }),
      params,
    );
  });

  it('a cut message is a shorter valid message or is truncated across the cut', () => {
    fc.assert(
      fc.property(arb, fc.nat(), (v, k) => {
        const bytes = encoder.encode(v, 'nas-eps');
        const cut = 1 + (k % (bytes.length - 1));
        const r = dissector.dissect(bytes.subarray(0, cut), 'nas-eps', ctx);
        if (!r.expert.some((e) => e.severity === 'error')) {
          expect(encoder.encode(r.value, 'nas-eps')).toEqual(bytes.subarray(0, cut));
          return;
        }
        const bit = cut * 8;
        expect([...walk(r.tree)].some((n) => n.expert.some((e) => e.id === 'truncated') && n.bitOffset <= bit && bit < n.bitOffset + n.bitLength)).toBe(true);
      }),
      params,
    );
  });
});

// ---------------------------------------------------------------- coverage and special cases

describe('coverage of TS 24.301 §8.2', () => {
  const emmTables = specMessages.filter((m) => m.protocol === 'EMM');
  // The network-to-UE Detach request has a message of its own; both Detach accept tables share one.
  const grammarName: Record<string, string> = { '8.2.11.2': 'detach_request_network' };

  it('has all 37 EMM tables', () => {
    expect(emmTables.length).toBe(37);
  });

  it.each(emmTables.map((m) => [m.clause, m.name, m] as const))('§%s %s', (clause, name, m) => {
    const t = ir.messages.get(grammarName[clause] ?? snake(name.replace(/ \(.*\)$/, '')));
    // The three messages with no message type octet (security protected, service request, EMM
    // transport) are structs that protocol.yaml routes by security header type.
    expect(t?.kind).toBe(m.message_type === null ? 'struct' : 'l3');
    expect(t?.kind === 'l3' ? t.set.get('message_type') : null).toBe(m.message_type === null ? null : Number(m.message_type));
  });

  it('dispatches every EMM message type of §9.8 to a message', () => {
    const types = emmTables.filter((m) => m.message_type).map((m) => Number(m.message_type));
    for (const mt of new Set(types)) {
      const r = dissector.dissect(new Uint8Array([0x07, mt, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'nas-eps');
      expect(r.expert.map((e) => e.id)).not.toContain('unknown_message_type');
      expect((r.value as Obj).message).not.toBe('unknown_emm_message');
    }
  });
});

describe('EMM TRANSPORT (security header type 11, no message type)', () => {
  const decode = (hex: string) => {
    const r = dissector.dissect(fromHex(hex), 'nas-eps');
    return { value: r.value as Obj, expert: r.expert };
  };
  const encode = (value: unknown) => toHex(encoder.encode(value, 'nas-eps'));

  it('lays out control plane user data: data type, DDX, EBI and the payload to the end of the PDU', () => {
    const hex = 'b71122334405' + '03' + '450000';
    const { value, expert } = decode(hex);
    expect(expert).toEqual([]);
    expect(value).toEqual({
      message: 'emm_transport',
      message_authentication_code: 0x11223344,
      sequence_number: 5,
      data_container: { data_type: 0, body: { ddx: 0, eps_bearer_identity: 3, payload: '450000' } },
    });
    expect(encode(value)).toBe(hex);
  });

  it('lays out a location services container with its additional information', () => {
    const hex = 'b700000001ff' + '48' + '02abcd' + '0102';
    const { value, expert } = decode(hex);
    expect(expert).toEqual([]);
    expect(value.data_container).toEqual({ data_type: 2, body: { ddx: 1, additional_information: 'abcd', payload: '0102' } });
    expect(encode(value)).toBe(hex);
  });
});

describe('detach request', () => {
  it('decodes the UE originating layout', () => {
    const r = dissector.dissect(fromHex('0745090bf600f110000201020003e6'), 'nas-eps');
    expect(r.expert).toEqual([]);
    expect(r.value).toMatchObject({ message: 'detach_request', detach_type: { switch_off: 1, type_of_detach: 1 }, nas_key_set_identifier: { tsc: 0, ksi: 0 } });
  });

  it('decodes the UE terminated layout when the message is read downlink', () => {
    const r = dissector.dissect(fromHex('0745015302'), 'nas-eps', { direction: 'dl' });
    expect(r.expert).toEqual([]);
    expect(r.value).toEqual({ message: 'detach_request_network', detach_type: { switch_off: 0, type_of_detach: 1 }, emm_cause: { cause: 2 } });
  });

  it('reads type 0x45 with no direction as the UE originating layout', () => {
    const r = dissector.dissect(fromHex('074501'), 'nas-eps');
    expect(r.expert.map((e) => e.id)).toEqual(['truncated']);
  });
});

describe('MS classmark 3 (TS 24.008 §10.5.1.7): CSN.1 read while its bits remain, as tshark', () => {
  // Attach request #13 of the corpus carries classmark 3 as 20 0a <value>; the value is swapped in.
  const at = corpus[13].hex.indexOf('200a60140462918100127e00');
  const withValue = (value: string) => `${corpus[13].hex.slice(0, at)}20${(value.length / 2).toString(16).padStart(2, '0')}${value}${corpus[13].hex.slice(at + 24)}`;
  const cm3Of = (hex: string) => {
    const r = dissector.dissect(fromHex(hex), 'nas-eps');
    const node = [...walk(r.tree)].find((n) => n.filter === 'nas_eps.ie.mobile_station_classmark_3')!;
    const fields = [...walk(node)].filter((n) => n.show !== undefined && n !== node);
    return { r, value: (r.value as Obj).mobile_station_classmark_3 as Obj, fields, shows: (f: string) => fields.filter((n) => n.filter === f).map((n) => n.show) };
  };
  const roundTrip = (hex: string) => expect(toHex(encoder.encode(dissector.dissect(fromHex(hex), 'nas-eps').value, 'nas-eps'))).toBe(hex);

  it('is in the corpus at #13', () => {
    expect(at).toBeGreaterThan(0);
    expect(withValue('60140462918100127e00')).toBe(corpus[13].hex);
  });

  it('decodes the corpus values to the component each sender stopped after, and re-encodes them exactly', () => {
    const cases = [
      // Stops after Selective Ciphering: tshark reads CS to PS SRVCC to UTRA from the padding, then one spare bit.
      { i: 13, last: 'cs_to_ps_srvcc_from_geran_to_utra', spare: ['0', '0'] },
      // Stops after VAMOS level with one bit to the boundary: TIGHTER (2 bits) does not fit.
      { i: 45, last: 'vamos_level', spare: ['0', '0'] },
      // Ends on the boundary after CS to PS SRVCC to E-UTRA: no padding.
      { i: 46, last: 'cs_to_ps_srvcc_from_geran_to_e_utra', spare: ['0'] },
    ];
    for (const c of cases) {
      const { r, value, shows } = cm3Of(corpus[c.i].hex);
      const v = ((r.value as Obj).nas_message as Obj | undefined)?.mobile_station_classmark_3 ?? value;
      expect(Object.keys(v as Obj).pop(), `#${c.i}`).toBe(c.last);
      expect(shows('gsm_a.spare_bits'), `#${c.i}`).toEqual(c.spare);
      expect(r.expert.filter((e) => e.severity !== 'chat')).toEqual([]);
      roundTrip(corpus[c.i].hex);
    }
    const { value, shows } = cm3Of(corpus[13].hex);
    expect(value).toMatchObject({ multiband_supported: 6, a5_bits: { a5_7: 0, a5_4: 0 }, associated_radio_capability_2: 1, associated_radio_capability_1: 4 });
    expect(value).toMatchObject({ ms_positioning_method: { ms_based_gps: 1, ms_conventional_gps: 1 }, gsm_850_associated_radio_capability: 4, e_utra_fdd: 1 });
    // The parents tshark shows over bits it also splits: the bands under the multiband field, A5 bits, 8-PSK Struct.
    expect(shows('gsm_a.multi_bnd_sup_fields')).toEqual(['6']);
    expect(['gsm1800Supported', 'egsmSupported', 'pgsmSupported'].map((f) => shows(`gsm_a.classmark3.${f}`)[0])).toEqual(['1', '1', '0']);
    expect(shows('gsm_a.classmark3.a5_bits')).toEqual(['0x00']);
    expect(shows('gsm_a.classmark3.ms_pos_method')).toEqual(['0x03']);
    expect(cm3Of(corpus[46].hex).shows('gsm_a.classmark3.8_psk_struct')).toEqual(['0x76']);
  });

  it('ends where the value ends: at any component, a presence bit of 0 included', () => {
    // Spare bit, multiband 110, A5 bits, the radio capabilities: nothing more.
    expect(cm3Of(withValue('6014')).value).toEqual({ multiband_supported: 6, a5_bits: { a5_7: 0, a5_6: 0, a5_5: 0, a5_4: 0 }, associated_radio_capability_2: 1, associated_radio_capability_1: 4 });
    // Then 8 zero bits: the components that fit, up to the 8-PSK Struct presence bit, which the value keeps (it ends there).
    const { value, shows } = cm3Of(withValue('601400'));
    expect(value).toMatchObject({ ucs2_treatment: 0, extended_measurement_capability: 0, eight_psk_struct_present: 0 });
    expect(value).not.toHaveProperty('r_support');
    expect(shows('gsm_a.classmark3.8_psk_struct_present')).toEqual(['0']);
    for (const hex of ['6014', '601400', '60140000', '0000', '2000f0']) roundTrip(withValue(hex));
  });

  it('shows non-zero spare bits and keeps them, and extra octets as extraneous data', () => {
    const odd = cm3Of(withValue('601404ef65233b8878d291'));
    expect(odd.r.expert.map((e) => e.id)).toContain('spare_not_zero');
    expect(odd.value._spare_padding).toBe(1);
    roundTrip(withValue('601404ef65233b8878d291'));
    // Every component through Extended EARFCN value range, a spare bit, then one octet too many.
    const long = cm3Of(withValue('6014046f65230200243c200000'));
    expect(long.value).toMatchObject({ extended_earfcn_value_range: 0, _trailing: '00' });
    expect(long.r.expert.map((e) => e.id)).toContain('extraneous_data');
    roundTrip(withValue('6014046f65230200243c200000'));
  });

  it('flags a group cut by the end of the value, or a length out of 2-34, without throwing', () => {
    // The last bit says an 8-PSK Struct follows, and no bit is left for it.
    const cut = cm3Of(withValue('601401'));
    expect(cut.r.expert.map((e) => e.id)).toContain('element_too_short');
    expect(cut.value).toEqual({ _raw: '601401' });
    roundTrip(withValue('601401'));
    const long = withValue(`6014${'00'.repeat(31)}`);
    expect(cm3Of(long).r.expert.map((e) => e.id)).toContain('length_out_of_range');
    roundTrip(long);
  });

  it('encodes a value given up to any component, its presence bits computed; the spare bits fill the octet', () => {
    const base = { ...(dissector.dissect(fromHex(corpus[13].hex), 'nas-eps').value as Obj) };
    const value = { multiband_supported: 0, a5_bits: { a5_7: 1, a5_6: 0, a5_5: 0, a5_4: 0 }, ucs2_treatment: 1, extended_measurement_capability: 0, gsm_850_associated_radio_capability: 4 };
    const bytes = encoder.encode({ ...base, mobile_station_classmark_3: value }, 'nas-eps');
    // 0 000 1000 | R 0, HSCSD 0, UCS2 1, ext 0, meas 0, pos 0, ECSD 0, 8-PSK 0 | GSM 400 0, GSM 850 1 0100, 2 spare bits
    expect(toHex(bytes)).toBe(withValue('082050'));
    // The two spare bits read back as the components that fit there (CSN.1 takes what is missing as 0):
    // GSM 1900 presence 0 and UMTS FDD 0. The same octets again.
    const back = cm3Of(toHex(bytes)).value;
    expect(back).toEqual({ ...value, umts_fdd: 0 });
    expect(toHex(encoder.encode({ ...base, mobile_station_classmark_3: back }, 'nas-eps'))).toBe(toHex(bytes));
    // A component after a gap cannot be encoded: the value names the first one missing.
    expect(() => encoder.encode({ ...base, mobile_station_classmark_3: { ...value, extended_measurement_capability: undefined } }, 'nas-eps')).toThrow(/extended_measurement_capability: required/);
  });
});
