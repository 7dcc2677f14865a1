/**
 * Hand-built Diameter messages in the value shapes of docs/diameter.md: S6a ULR/ULA/AIA/IDR/IDA, S6m
 * SIR/SIA, Tsp DAR/DAA, a CER with the remaining base data types, and the provisional T5 and group
 * key AVPs. Shared by the round-trip and tshark tests.
 */
import { encode as encodeWith, decode as decodeWith, dissectFull as dissectWith } from '../../src/index.js';
import { loadGrammarDir } from '../../src/grammar/load.js';
import type { GrammarIR } from '../../src/grammar/ir.js';

/**
 * The grammar as the YAML files under grammars/ define it. The library's default grammar is a
 * generated bundle of the same files (src/grammar/bundled.ts); reading the files tests them even
 * before the bundle is regenerated.
 */
export const ir: GrammarIR = loadGrammarDir();
export const encode = (v: unknown): Uint8Array => encodeWith(v, 'diameter', { grammar: ir });
export const decode = (b: Uint8Array): unknown => decodeWith(b, 'diameter', { grammar: ir });
export const dissect = (b: Uint8Array) => dissectWith(b, 'diameter', { grammar: ir });

export const TGPP = 10415;
type Data = Record<string, unknown>;
export interface Avp {
  code: number;
  vendor_id?: number;
  /** Left out of an unknown AVP's value when 0. */
  mandatory?: 0 | 1;
  data: Data;
}

/** A base AVP, M set unless told. */
export const base = (code: number, data: Data, mandatory: 0 | 1 = 1): Avp => ({ code, mandatory, data });
/** A 3GPP AVP (V set, vendor 10415), M as the specification says. */
export const tgpp = (code: number, data: Data, mandatory: 0 | 1 = 1): Avp => ({ code, vendor_id: TGPP, mandatory, data });
const v = (value: unknown): Data => ({ value });
const g = (...avps: Avp[]): Data => ({ avps });

export function message(command_code: number, application_id: number, request: 0 | 1, avps: Avp[], hop = 0x1000 + command_code, e2e = 0x20000 + command_code) {
  return { message: 'diameter_message', request, proxiable: 1, error: 0, retransmitted: 0, command_code, application_id, hop_by_hop_id: hop, end_to_end_id: e2e, avps };
}

export const S6A = 16777251;
export const S6M = 16777310;
export const TSP = 16777309;
export const T5 = 4294967294; // provisional

const session = (host: string, n: number) => base(263, v(`${host};1700000000;${n}`));
const stateless = base(277, v(1));
const origin = (host: string, realm: string) => [base(264, v(host)), base(296, v(realm))];
const imsiGroupId = (gsi: number, plmn: string, lgi: string) => tgpp(1675, g(tgpp(1676, v(gsi), 0), tgpp(1677, v(plmn), 0), tgpp(1678, v(lgi), 0)), 0);
const supportedFeatures = (listId: number, list: number) => tgpp(628, g(base(266, v(TGPP)), tgpp(629, v(listId), 0), tgpp(630, v(list), 0)), 0);

/** The provisional Group-Key-Info AVP (provisional.yaml), with or without the lifetime. */
export const groupKeyInfo = (gki: number, lifetime?: number) =>
  tgpp(
    9000,
    g(
      imsiGroupId(1, '00f110', '01'),
      tgpp(9001, v(gki), 0),
      tgpp(9002, v(2), 0),
      tgpp(9003, v(2), 0),
      tgpp(9004, v('000102030405060708090a0b0c0d0e0f'), 0),
      tgpp(9005, v('101112131415161718191a1b1c1d1e1f'), 0),
      ...(lifetime === undefined ? [] : [tgpp(9006, v(lifetime), 0)]),
    ),
    0,
  );

const MME = 'mme01.epc.mnc001.mcc001.3gppnetwork.org';
const HSS = 'hss01.epc.mnc001.mcc001.3gppnetwork.org';
const IWF = 'mtc-iwf.epc.mnc001.mcc001.3gppnetwork.org';
const SCS = 'scs.example.com';
const REALM = 'epc.mnc001.mcc001.3gppnetwork.org';
const IMSI = '001010123456789';

export const ulr = message(316, S6A, 1, [
  session(MME, 1),
  base(260, g(base(266, v(TGPP)), base(258, v(S6A)))),
  stateless,
  ...origin(MME, REALM),
  base(283, v(REALM)),
  base(1, v(IMSI)),
  supportedFeatures(1, 0x1c000607),
  tgpp(1032, v(1004), 0),
  tgpp(1405, v(0x22)),
  tgpp(1407, v('00f110')),
  base(301, v(8), 0),
]);

export const ula = message(
  316,
  S6A,
  0,
  [
    session(MME, 1),
    base(268, v(2001)),
    stateless,
    ...origin(HSS, REALM),
    supportedFeatures(1, 0x1c000607),
    tgpp(1406, v(1)),
    tgpp(1400, g(tgpp(1424, v(0)), tgpp(701, v('945112074365')), tgpp(1654, v(0), 0), tgpp(1680, v(3), 0), imsiGroupId(1, '00f110', '01'), imsiGroupId(0x3e9, '00f110', 'a1b2c3'))),
  ],
  0x1000 + 316,
  0x20000 + 316,
);

/**
 * AIA: an E-UTRAN and a UTRAN vector, an overload report and a load report. The UTRAN vector's
 * Confidentiality-Key and Integrity-Key (3GPP, TS 29.229) have the codes of DOIC's OC-Validity-Duration
 * and OC-Report-Type (IETF, RFC 7683), 625 and 626: the Vendor-ID tells them apart.
 */
export const aia = message(318, S6A, 0, [
  session(MME, 2),
  base(268, v(2001)),
  stateless,
  ...origin(HSS, REALM),
  base(621, g(base(622, v('1'), 0)), 0),
  base(623, g(base(624, v('7'), 0), base(626, v(1), 0), base(627, v(40), 0), base(625, v(30), 0)), 0),
  tgpp(
    1413,
    g(
      tgpp(1414, g(tgpp(1447, v('00112233445566778899aabbccddeeff')), tgpp(1448, v('0102030405060708')), tgpp(1449, v('ffeeddccbbaa99887766554433221100')), tgpp(1450, v('a0'.repeat(32))))),
      tgpp(
        1415,
        g(
          tgpp(1419, v(2)),
          tgpp(1447, v('101112131415161718191a1b1c1d1e1f')),
          tgpp(1448, v('2122232425262728')),
          tgpp(1449, v('303132333435363738393a3b3c3d3e3f')),
          tgpp(625, v('404142434445464748494a4b4c4d4e4f')),
          tgpp(626, v('505152535455565758595a5b5c5d5e5f')),
        ),
      ),
    ),
  ),
  base(650, g(base(651, v(0), 0), base(652, v('64'), 0), base(649, v(HSS), 0)), 0),
]);

/** IDR: the HSS hands the MME a group's keys inside Subscription-Data (provisional Group-Key-Info in its *[AVP]). */
export const idr = message(319, S6A, 1, [
  session(HSS, 7),
  stateless,
  ...origin(HSS, REALM),
  base(293, v(MME)),
  base(283, v(REALM)),
  base(1, v(IMSI)),
  tgpp(1400, g(imsiGroupId(1, '00f110', '01'), groupKeyInfo(1, 86400))),
  tgpp(1490, v(0), 0),
]);

export const ida = message(319, S6A, 0, [
  session(HSS, 7),
  base(297, g(base(266, v(TGPP)), base(298, v(5001)))),
  stateless,
  ...origin(MME, REALM),
  base(279, g(tgpp(1400, g(imsiGroupId(1, '00f110', '01'))))),
  base(281, v('group unknown – ü'), 0),
]);

/** SIR: the Group GW at the MTC-IWF asks the HSS for a device and hands it the group keys (provisional, in *[AVP]). */
export const sir = message(8388641, S6M, 1, [
  session(IWF, 3),
  base(301, v(2), 0),
  stateless,
  ...origin(IWF, REALM),
  base(283, v(REALM)),
  tgpp(3102, g(tgpp(3111, v('device1@example.com')), tgpp(701, v('945112074365')))),
  tgpp(3103, v(0)),
  tgpp(3104, v('3919890000')),
  tgpp(3105, g(tgpp(3010, v(5683)))),
  tgpp(3110, v(1)),
  supportedFeatures(1, 3),
  groupKeyInfo(2),
  base(282, v(SCS)),
]);

export const sia = message(8388641, S6M, 0, [
  session(IWF, 3),
  base(268, v(2001)),
  stateless,
  ...origin(HSS, REALM),
  tgpp(3102, g(base(1, v(IMSI)), tgpp(701, v('945112074365')), tgpp(3111, v('device1@example.com')), tgpp(2400, v('01020304')))),
  tgpp(3107, g(tgpp(3108, g(tgpp(3109, v(0)))))),
]);

export const dar = message(8388639, TSP, 1, [
  session(SCS, 11),
  base(258, v(TSP)),
  stateless,
  ...origin(SCS, 'example.com'),
  base(283, v(REALM)),
  base(278, v(1700000000)),
  tgpp(
    3001,
    g(
      tgpp(3111, v('device1@example.com')),
      tgpp(3104, v('3919890000')),
      tgpp(3007, v(42)),
      tgpp(3005, v(1)),
      tgpp(3003, g(tgpp(3004, v('0a0b0c0d0e')), tgpp(3006, v(1)), tgpp(3010, v(5683)))),
      base(448, v(3600)),
    ),
  ),
  base(284, g(base(280, v('dra.example.com')), base(33, v('cafe'))), 1),
  base(282, v('dra.example.com')),
]);

/** A group message over Tsp: the provisional Action-Type Group Message Delivery (100), the group by its External Group Identifier. */
export const darGroup = message(8388639, TSP, 1, [
  session(SCS, 12),
  base(258, v(TSP)),
  stateless,
  ...origin(SCS, 'example.com'),
  base(283, v(REALM)),
  tgpp(3001, g(tgpp(3111, v('group1@example.com')), tgpp(3007, v(43)), tgpp(3005, v(100)), tgpp(3003, g(tgpp(3004, v('48656c6c6f2c2067726f757021')))))),
]);

export const daa = message(8388639, TSP, 0, [
  session(SCS, 11),
  base(268, v(2001)),
  stateless,
  ...origin(IWF, REALM),
  tgpp(3002, g(tgpp(3111, v('device1@example.com')), tgpp(3007, v(42)), tgpp(3005, v(1)), tgpp(3008, v(0)), tgpp(3009, v(0)), tgpp(3203, v(0)))),
  tgpp(3012, v(1), 0),
]);

/** CER: Address, Unsigned64, Time and the application advertisement AVPs. */
export const cer = message(257, 0, 1, [
  ...origin(MME, REALM),
  base(257, { family: 1, address: 'c0000201' }),
  base(257, { family: 2, address: '20010db8000000000000000000000001' }),
  base(266, v(TGPP)),
  base(269, v('mtcgk'), 0),
  base(267, v(1), 0),
  base(265, v(TGPP)),
  base(258, v(S6A)),
  base(259, v(3)),
  base(287, v('18446744073709551615')),
  base(55, v(3913056000)), // 2024-01-01T00:00:00Z
]);

/** T5 (provisional): Group-Key-Provisioning request from the MTC-IWF to the MME. */
export const gkr = message(16777214, T5, 1, [
  session(IWF, 21),
  stateless,
  ...origin(IWF, REALM),
  base(293, v(MME)),
  base(283, v(REALM)),
  tgpp(3102, g(base(1, v(IMSI)))),
  groupKeyInfo(1, 86400),
  groupKeyInfo(2),
]);

/** T5 (provisional): MT-Group-Data request, the protected group message as Non-IP-Data. */
export const gdr = message(16777215, T5, 1, [
  session(IWF, 22),
  imsiGroupId(1, '00f110', '01'),
  stateless,
  ...origin(IWF, REALM),
  base(283, v(REALM)),
  tgpp(4315, v('1022080000000100f110010100000001000548656c6c6f0a0b0c0d')),
  tgpp(1020, v('05')),
]);

export const gka = message(16777214, T5, 0, [session(IWF, 21), base(268, v(2001)), stateless, ...origin(MME, REALM)]);

export const STANDARD = { ulr, ula, aia, idr, ida, sir, sia, dar, daa, cer } as const;
export const PROVISIONAL = { darGroup, gkr, gka, gdr } as const;
export const ALL = { ...STANDARD, ...PROVISIONAL } as const;
