/**
 * The flow's Diameter messages as values of the `diameter` grammar (shapes in docs/diameter.md),
 * encoded with encode(value, 'diameter'):
 *
 * | figure step | reference point | command |
 * |---|---|---|
 * | 1.a 2 | S6m, MTC-IWF -> HSS | Subscriber-Information (SIR/SIA) with provisional Group-Key-Info AVPs |
 * | 1.a 3, 1.b 1 | S6a, MME -> HSS | Authentication-Information (AIR/AIA), Update-Location (ULR/ULA; 1.a: Subscription-Data with IMSI-Group-Id and Group-Key-Info) |
 * | 1.b 3 | T5, MTC-IWF -> MME | provisional Group-Key-Provisioning (GKR/GKA) |
 * | 1.b Note x (b) | S6m, HSS -> MTC-IWF | Reporting-Information (RIR/RIA, S6t's HSS-initiated report: S6m has none) |
 * | 1.b Note x (c) | S6m, MTC-IWF -> HSS | Subscriber-Information (SIR/SIA): the serving MME |
 * | 5 | Tsp, SCS -> MTC-IWF | Device-Action (DAR/DAA), Action-Type Group Message Delivery (provisional) |
 *
 * S6a authentication vectors and Serving-Node are typed when the grammar's dictionary has their codes
 * (the default one does) and written as the docs say for unknown codes otherwise (see groupedV3).
 */
import { encodeWith as encode } from '../api.js';
import { defaultGrammar } from '../grammar/default.js';
import { toHex } from '../engine/format.js';
import type { GroupKeyRecord } from '../security/keys.js';
import type { FlowRandom } from './rng.js';
import { MCC, MNC, KEY_LIFETIME, type FlowUe } from './ue.js';

export interface DiameterMessage {
  name: string;
  bytes: Uint8Array;
}

export interface DiameterPair {
  request: DiameterMessage;
  answer: DiameterMessage;
}

export const VENDOR_3GPP = 10415;
export const APP = { s6a: 16777251, tsp: 16777309, s6m: 16777310, s6t: 16777345, t5: 4294967294 } as const;
export const CMD = {
  updateLocation: 316,
  authenticationInformation: 318,
  deviceAction: 8388639,
  subscriberInformation: 8388641,
  reportingInformation: 8388719,
  groupKeyProvisioning: 16777214,
} as const;
/** Tsp Action-Type for a group message (provisional, grammars/diameter/provisional.yaml). */
export const ACTION_TYPE_GROUP_MESSAGE = 100;
const DIAMETER_SUCCESS = 2001;

export const REALM = `epc.mnc0${MNC}.mcc${MCC}.3gppnetwork.org`;
export const HOSTS: Record<string, string> = {
  'MTC-IWF': `mtc-iwf.${REALM}`,
  HSS: `hss.${REALM}`,
  MME: `mme.${REALM}`,
  SCS: 'scs.example.org',
};
const realmOf = (node: string) => (node === 'SCS' ? 'example.org' : REALM);

type Avp = { code: number; mandatory: 0 | 1; vendor_id?: number; data: Record<string, unknown> };

const avp = (code: number, data: Record<string, unknown>, mandatory: 0 | 1 = 1): Avp => ({ code, mandatory, data });
const v3 = (code: number, data: Record<string, unknown>, mandatory: 0 | 1 = 1): Avp => ({ code, vendor_id: VENDOR_3GPP, mandatory, data });
const val = (value: unknown) => ({ value });
const group = (avps: Avp[]) => ({ avps });

/** PLMN identity octets (TS 24.008 §10.5.1.13), as Visited-PLMN-Id and Group-PLMN-Id carry them. */
export function plmnHex(mcc = MCC, mnc = MNC): string {
  const d = (s: string, i: number) => (i < s.length ? Number(s[i]) : 0xf);
  return toHex(Uint8Array.of((d(mcc, 1) << 4) | d(mcc, 0), (d(mnc, 2) << 4) | d(mcc, 2), (d(mnc, 1) << 4) | d(mnc, 0)));
}

/** IMSI-Group-Id AVP (TS 29.272 §7.3.189) for a GID `GGGGGGGG-MCC-MNC-LLLL`. */
export function imsiGroupIdAvp(gid: string): Avp {
  const [gsi, mcc, mnc, lgi] = gid.split('-');
  return v3(1675, group([v3(1676, val(parseInt(gsi, 16)), 0), v3(1677, val(plmnHex(mcc, mnc)), 0), v3(1678, val(lgi.toLowerCase()), 0)]), 0);
}

/** The provisional Group-Key-Info AVP (9000) with the group's identity, Gki, algorithms, keys and lifetime. */
export function groupKeyInfoAvp(k: GroupKeyRecord): Avp {
  return v3(
    9000,
    group([
      imsiGroupIdAvp(k.gid),
      v3(9001, val(k.gki), 0),
      v3(9002, val(k.eea), 0),
      v3(9003, val(k.eia), 0),
      v3(9004, val(toHex(k.gkConf)), 0),
      v3(9005, val(toHex(k.gkInteg)), 0),
      v3(9006, val(KEY_LIFETIME), 0),
    ]),
    0,
  );
}

const ascii = (s: string) => new TextEncoder().encode(s);
const u32hex = (n: number) => toHex(Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255));

/** Whether the `diameter` grammar's dictionary names an AVP code (docs/diameter.md, "AVP dictionary"). */
export function inDictionary(code: number): boolean {
  return defaultGrammar().enums.get('dia_avp_code')?.values.has(code) ?? false;
}

/** The RFC 6733 bytes of some AVPs (an encoded message without its 20-octet header). */
function avpBytes(avps: Avp[]): string {
  const m = encode({ message: 'diameter_message', request: 1, proxiable: 0, error: 0, retransmitted: 0, command_code: 0, application_id: 0, hop_by_hop_id: 0, end_to_end_id: 0, avps }, 'diameter');
  return toHex(m.subarray(20));
}

/*
 * AVPs some dictionaries lack (S6a authentication vectors, Serving-Node): typed when the grammar's
 * dictionary has the code, otherwise written as docs/diameter.md says for unknown codes, `{value: hex}`
 * of the data. Either way the bytes on the wire are the same.
 */
const groupedV3 = (code: number, avps: Avp[], mandatory: 0 | 1 = 1): Avp => v3(code, inDictionary(code) ? group(avps) : val(avpBytes(avps)), mandatory);
const u32V3 = (code: number, n: number, mandatory: 0 | 1 = 1): Avp => v3(code, val(inDictionary(code) ? n : u32hex(n)), mandatory);
const octetsV3 = (code: number, bytes: Uint8Array, mandatory: 0 | 1 = 1): Avp => v3(code, val(toHex(bytes)), mandatory);
const identityV3 = (code: number, text: string, mandatory: 0 | 1 = 1): Avp => v3(code, val(inDictionary(code) ? text : toHex(ascii(text))), mandatory);

/** Serving-Node (2401) { MME-Name (2402), MME-Realm (2408) }, TS 29.173/29.336. */
const servingNodeMme = () => groupedV3(2401, [identityV3(2402, HOSTS.MME), identityV3(2408, REALM, 0)]);

export class DiameterSide {
  private id: number;
  private sessions = 0;

  constructor(rng: FlowRandom) {
    this.id = rng.int('diameter/hop-by-hop', 0x7fff0000);
  }

  private pair(o: { name: string; abbrev: [string, string]; app: number; cmd: number; from: string; to: string; request: Avp[]; answer: Avp[]; vendorApp?: boolean }): DiameterPair {
    const id = ++this.id;
    const session = avp(263, val(`${HOSTS[o.from]};${1704067200 + (this.sessions >> 16)};${++this.sessions}`));
    const vsai = o.vendorApp === false ? [] : [avp(260, group([avp(266, val(VENDOR_3GPP)), avp(258, val(o.app))]))];
    const message = (request: 0 | 1, avps: Avp[]) =>
      encode({ message: 'diameter_message', request, proxiable: 1, error: 0, retransmitted: 0, command_code: o.cmd, application_id: o.app, hop_by_hop_id: id, end_to_end_id: id, avps }, 'diameter');
    const stateless = avp(277, val(1));
    const origin = (node: string) => [avp(264, val(HOSTS[node])), avp(296, val(realmOf(node)))];
    return {
      request: {
        name: `${o.name}-Request (${o.abbrev[0]})`,
        bytes: message(1, [session, ...vsai, stateless, ...origin(o.from), avp(293, val(HOSTS[o.to])), avp(283, val(realmOf(o.to))), ...o.request]),
      },
      answer: {
        name: `${o.name}-Answer (${o.abbrev[1]})`,
        bytes: message(0, [session, ...vsai, avp(268, val(DIAMETER_SUCCESS)), stateless, ...origin(o.to), ...o.answer]),
      },
    };
  }

  /** 1.a step 2: the MTC-IWF updates the HSS with the group keys (S6m SIR, keys in its *[AVP]). */
  s6mGroupKeys(keys: GroupKeyRecord[]): DiameterPair {
    return this.pair({
      name: 'Subscriber-Information',
      abbrev: ['SIR, group keys', 'SIA'],
      app: APP.s6m,
      cmd: CMD.subscriberInformation,
      from: 'MTC-IWF',
      to: 'HSS',
      request: [v3(3102, group([v3(3111, val(externalGroupId(keys[0].gid)))])), v3(3110, val(0)), ...keys.map(groupKeyInfoAvp)],
      answer: [],
    });
  }

  /** S6a AIR/AIA: one E-UTRAN vector (RAND, XRES, AUTN, K_ASME) from the HSS's MILENAGE run. */
  s6aAuthenticationInformation(ue: FlowUe): DiameterPair {
    const v = ue.hssVector();
    const vector = groupedV3(1414, [octetsV3(1447, v.rand), octetsV3(1448, v.xres), octetsV3(1449, v.autn), octetsV3(1450, v.kasme)]);
    return this.pair({
      name: 'Authentication-Information',
      abbrev: ['AIR', 'AIA'],
      app: APP.s6a,
      cmd: CMD.authenticationInformation,
      from: 'MME',
      to: 'HSS',
      request: [avp(1, val(ue.imsi)), groupedV3(1408, [u32V3(1410, 1), u32V3(1412, 0, 0)]), v3(1407, val(plmnHex()))],
      answer: [groupedV3(1413, [vector])],
    });
  }

  /**
   * S6a ULR/ULA. The Subscription-Data names the UE's group (IMSI-Group-Id); in Figure 1.a (step 3)
   * it also holds the group based feature information: Group-Key-Info with GID, Gki and keys.
   */
  s6aUpdateLocation(ue: FlowUe, keys: GroupKeyRecord, withKeys: boolean): DiameterPair {
    const subscription = [v3(1424, val(0)), imsiGroupIdAvp(keys.gid), ...(withKeys ? [groupKeyInfoAvp(keys)] : [])];
    return this.pair({
      name: 'Update-Location',
      abbrev: ['ULR', withKeys ? 'ULA, group keys' : 'ULA'],
      app: APP.s6a,
      cmd: CMD.updateLocation,
      from: 'MME',
      to: 'HSS',
      request: [avp(1, val(ue.imsi)), v3(1032, val(1004), 0), v3(1405, val(0x22)), v3(1407, val(plmnHex()))],
      answer: [v3(1406, val(1)), v3(1400, group(subscription))],
    });
  }

  /** 1.b step 3: the MTC-IWF gives the MME the group keys over T5 (provisional GKR/GKA). */
  t5GroupKeys(keys: GroupKeyRecord[]): DiameterPair {
    return this.pair({
      name: 'Group-Key-Provisioning',
      abbrev: ['GKR', 'GKA'],
      app: APP.t5,
      cmd: CMD.groupKeyProvisioning,
      from: 'MTC-IWF',
      to: 'MME',
      request: keys.map(groupKeyInfoAvp),
      answer: [],
      vendorApp: false,
    });
  }

  /** 1.b Note x (b): the HSS tells the MTC-IWF that a group member authenticated, and at which MME. */
  s6mUeAuthenticated(ue: FlowUe, keys: GroupKeyRecord): DiameterPair {
    return this.pair({
      name: 'Reporting-Information',
      abbrev: ['RIR, UE authenticated', 'RIA'],
      app: APP.s6t,
      cmd: CMD.reportingInformation,
      from: 'HSS',
      to: 'MTC-IWF',
      request: [avp(1, val(ue.imsi)), imsiGroupIdAvp(keys.gid), servingNodeMme()],
      answer: [],
    });
  }

  /** 1.b Note x (c): the MTC-IWF asks the HSS which MME serves the UE (S6m SIR/SIA, Serving-Node in T4-Data). */
  s6mServingNode(ue: FlowUe): DiameterPair {
    return this.pair({
      name: 'Subscriber-Information',
      abbrev: ['SIR, serving MME', 'SIA'],
      app: APP.s6m,
      cmd: CMD.subscriberInformation,
      from: 'MTC-IWF',
      to: 'HSS',
      request: [v3(3102, group([avp(1, val(ue.imsi))])), v3(3103, val(0)), v3(3110, val(0))],
      answer: [v3(3102, group([avp(1, val(ue.imsi))])), v3(3107, group([v3(3108, group([servingNodeMme()]))]))],
    });
  }

  /** Step 5: the SCS hands the group message to the MTC-IWF over Tsp (DAR, Action-Type Group Message Delivery). */
  tspGroupMessage(keys: GroupKeyRecord, payload: Uint8Array, reference: number): DiameterPair {
    const ext = v3(3111, val(externalGroupId(keys.gid)));
    return this.pair({
      name: 'Device-Action',
      abbrev: ['DAR, group message', 'DAA'],
      app: APP.tsp,
      cmd: CMD.deviceAction,
      from: 'SCS',
      to: 'MTC-IWF',
      request: [
        v3(
          3001,
          group([
            ext,
            v3(3104, val(toHex(ascii(HOSTS.SCS)))),
            v3(3007, val(reference)),
            v3(3005, val(ACTION_TYPE_GROUP_MESSAGE)),
            v3(3003, group([v3(3004, val(toHex(payload))), v3(3006, val(0))])),
            avp(448, val(3600)),
          ]),
        ),
      ],
      answer: [v3(3002, group([ext, v3(3007, val(reference)), v3(3005, val(ACTION_TYPE_GROUP_MESSAGE)), v3(3008, val(0))]))],
    });
  }
}

/** The External Group Identifier of a group (TS 23.682: `local-id@domain`). */
export const externalGroupId = (gid: string) => `mtc-group-${gid.toLowerCase()}@example.org`;
