// LPP in the generic message container (grammars/nas-eps/lpp.yaml): the LPP messages of the real corpus,
// a round trip of every decoded LPP type, and the parts the grammar leaves undecoded.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

import { decode, dissectFull, encode, fromHex, toHex, walk } from '../../src/index.js';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { BitReader, BitWriter } from '../../src/engine/bits.js';
import { Encoder } from '../../src/engine/encode.js';
import type { TreeNode } from '../../src/engine/tree.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { infoColumn } from '../../src/output/info.js';
import { realCorpus } from '../helpers/fixtures.js';
import { keylessDissector } from '../helpers/keyless.js';

type Obj = Record<string, unknown>;

const ir = defaultGrammar();
const dissector = keylessDissector(ir);
const encoder = new Encoder(ir);
const arbs = new Arbitraries(ir);
const params = { seed: 20261129, numRuns: process.env.MTCGK_DEEP === '1' ? 1000 : 60 };
const lppTypes = Object.keys((parse(readFileSync(new URL('../../grammars/nas-eps/lpp.yaml', import.meta.url), 'utf8')) as Obj).types as Obj);

/** The LPP message of a downlink generic NAS transport, as the container type IE (1) and the LV-E container. */
const transport = (lpp: string) => `076801${(lpp.length / 2).toString(16).padStart(4, '0')}${lpp}`;
/** Filter, `-T fields` text and bit offset of the valued nodes under the generic message container. */
const cells = (tree: TreeNode) => {
  const ie = [...walk(tree)].find((n) => n.filter === 'nas_eps.ie.generic_message_container')!;
  return [...walk(ie)].filter((n) => n.show !== undefined && n.filter !== 'nas_eps.emm.gen_msg_cont' && n.filter !== 'gsm_a.len').map((n) => `${n.filter}=${n.show}@${n.bitOffset}`);
};

describe('LPP in the generic message container', () => {
  const lines = realCorpus().filter((l) => l.hex.includes('0768010006'));

  it('decodes the RequestCapabilities of the corpus as tshark shows it, and re-encodes it', () => {
    expect(lines.length).toBe(2);
    for (const l of lines) {
      const r = dissectFull(fromHex(l.hex), 'nas-eps');
      const container = ((r.value as Obj).nas_message as Obj).generic_message_container;
      expect(container).toEqual({
        lpp_message: {
          transaction_id: { extension: 0, initiator_extension: 0, initiator: 0, transaction_number: 0 },
          end_transaction: 0,
          sequence_number: 0,
          acknowledgement: { ack_requested: 0 },
          lpp_message_body: 0,
          c1: 0,
          request_capabilities: {
            critical_extensions: 0,
            c1: 0,
            request_capabilities_r9: {
              extension: 0,
              a_gnss_request_capabilities: { extension: 0, gnss_support_list_req: 1, assistance_data_support_list_req: 1, location_velocity_types_req: 1 },
            },
          },
        },
      });
      expect(infoColumn(r)).toBe('Downlink generic NAS transport, Request Capabilities');
      expect(r.expert.filter((e) => e.severity !== 'note' && e.id !== 'mac_not_verified')).toEqual([]);
      expect(toHex(encode(r.value as never, 'nas-eps'))).toBe(l.hex);
    }
    // The container starts at octet 11: bit 88. PER's indices come before the LPP field for the same bits.
    const at = (bit: number) => 88 + bit;
    expect(cells(dissectFull(fromHex(lines[0].hex), 'nas-eps').tree)).toEqual([
      ...[0, 1, 2, 3].map((b) => `per.optional_field_bit=1@${at(b)}`),
      `per.extension_bit=0@${at(4)}`,
      `per.extension_present_bit=0@${at(5)}`,
      `per.enum_index=0@${at(6)}`,
      `lpp.initiator=0@${at(6)}`,
      `lpp.transactionNumber=0@${at(7)}`,
      `lpp.endTransaction=0@${at(15)}`,
      `lpp.sequenceNumber=0@${at(16)}`,
      `per.optional_field_bit=0@${at(24)}`,
      `lpp.ackRequested=0@${at(25)}`,
      `per.choice_index=0@${at(26)}`,
      `lpp.lpp_MessageBody=0@${at(26)}`,
      `per.choice_index=0@${at(27)}`,
      `lpp.c1=0@${at(27)}`,
      `per.choice_index=0@${at(31)}`,
      `lpp.criticalExtensions=0@${at(31)}`,
      `per.choice_index=0@${at(32)}`,
      `lpp.c1=0@${at(32)}`,
      `per.extension_bit=0@${at(34)}`,
      ...[0, 1, 0, 0, 0].map((v, i) => `per.optional_field_bit=${v}@${at(35 + i)}`),
      `per.extension_bit=0@${at(40)}`,
      `lpp.gnss_SupportListReq=1@${at(41)}`,
      `lpp.assistanceDataSupportListReq=1@${at(42)}`,
      `lpp.locationVelocityTypesReq=1@${at(43)}`,
      // The zero bits that pad the encoding to an octet (X.691 §11.1).
      `nas_eps.lpp.padding=00@${at(44)}`,
    ]);
  });

  it.each(lppTypes.filter((n) => !(ir.types.get(n)?.kind === 'struct' && (ir.types.get(n) as { undecoded?: string }).undecoded)))(
    'type %s: decode(encode(v)) = v with no error, consuming exactly what was written',
    (name) => {
      const t = ir.types.get(name)!;
      fc.assert(
        fc.property(arbs.type(t, 0), (v) => {
          const w = new BitWriter();
          encoder.type(t, v, w, '');
          const bits = w.pos;
          const root: TreeNode = { filter: 'test', label: 'test', bitOffset: 0, bitLength: bits, display: '', children: [], expert: [] };
          const r = new BitReader(w.finish(), 0, bits);
          const got = dissector.type(t, r, root, name);
          expect([...walk(root)].flatMap((n) => n.expert).filter((e) => e.severity === 'error')).toEqual([]);
          expect(r.pos).toBe(bits);
          expect(got).toEqual(v);
        }),
        params,
      );
    },
  );

  it('generates LPP containers in generic NAS transports, the container type IE set to match', () => {
    const values = fc.sample(arbs.message('uplink_generic_nas_transport'), { seed: 7, numRuns: 200 }) as Obj[];
    const plain = values.map((v) => (v.message === 'security_protected_nas_message' ? (v.nas_message as Obj) : v)).filter((v) => v.generic_message_container !== undefined);
    expect(plain.length).toBeGreaterThan(150);
    const lpp = plain.filter((v) => 'lpp_message' in (v.generic_message_container as Obj));
    expect(lpp.length).toBeGreaterThan(40);
    for (const v of plain) expect((v.generic_message_container_type as Obj).value === 1).toBe(lpp.includes(v));
    expect(lpp.some((v) => ((v.generic_message_container as Obj).lpp_message as Obj).request_capabilities !== undefined)).toBe(true);
  });

  it('keeps the container of another type as octets', () => {
    const hex = '0769020003aabbcc';
    const r = dissectFull(fromHex(hex), 'nas-eps');
    expect(r.value).toEqual({ message: 'uplink_generic_nas_transport', generic_message_container_type: { value: 2 }, generic_message_container: { contents: 'aabbcc' } });
    expect(r.expert).toEqual([]);
    expect(toHex(encode(r.value as never, 'nas-eps'))).toBe(hex);
    // The container type IE picks the layout when encoding too.
    expect(() => encode({ message: 'uplink_generic_nas_transport', generic_message_container_type: { value: 1 }, generic_message_container: { contents: 'aabbcc' } } as never, 'nas-eps')).toThrow(
      /lpp_message: required/,
    );
  });

  it('names a message body it does not decode, notes it and keeps the container as octets', () => {
    // transactionID (targetDevice, 5), endTransaction, sequenceNumber 3, ackRequested, c1: provideCapabilities.
    const hex = transport('f20b034200');
    const r = dissectFull(fromHex(hex), 'nas-eps');
    expect(r.value).toEqual({ message: 'downlink_generic_nas_transport', generic_message_container_type: { value: 1 }, generic_message_container: { _raw: 'f20b034200' } });
    expect(r.expert.map((e) => [e.id, e.severity, e.bitOffset, e.bitLength])).toEqual([['not_decoded', 'note', 40 + 31, 9]]);
    expect(infoColumn(r)).toBe('Downlink generic NAS transport, Provide Capabilities');
    // What comes before it is shown.
    expect(cells(r.tree).filter((c) => c.startsWith('lpp.'))).toEqual([
      'lpp.initiator=1@46',
      'lpp.transactionNumber=5@47',
      'lpp.endTransaction=1@55',
      'lpp.sequenceNumber=3@56',
      'lpp.ackRequested=1@65',
      'lpp.lpp_MessageBody=0@66',
      'lpp.c1=1@67',
    ]);
    expect([...walk(r.tree)].find((n) => n.filter === 'nas_eps.emm.gen_msg_cont')?.show).toBe('f20b034200');
    expect(toHex(encode(r.value as never, 'nas-eps'))).toBe(hex);
    expect(decode(fromHex(hex), 'nas-eps')).toEqual(r.value);
    expect(() =>
      encode(
        {
          message: 'downlink_generic_nas_transport',
          generic_message_container_type: { value: 1 },
          generic_message_container: { lpp_message: { end_transaction: 0, lpp_message_body: 0, c1: 1, provide_capabilities: {} } },
        } as never,
        'nas-eps',
      ),
    ).toThrow(/provideCapabilities is not decoded by the grammar/);
  });

  it('stops at an extension bit set to 1: what a later release added is not decoded', () => {
    // The transactionID's extension bit is set.
    const hex = transport('fa0b03400870');
    const r = dissectFull(fromHex(hex), 'nas-eps');
    expect((r.value as Obj).generic_message_container).toEqual({ _raw: 'fa0b03400870' });
    expect(r.expert.map((e) => e.id)).toEqual(['not_decoded']);
    expect(cells(r.tree).slice(4, 6)).toEqual(['per.extension_bit=1@44', 'per.extension_present_bit=0@45']);
    expect(infoColumn(r)).toBe('Downlink generic NAS transport');
    expect(toHex(encode(r.value as never, 'nas-eps'))).toBe(hex);
  });
});
