/**
 * The known differences between mtcgk's and tshark 4.0's dissection of the real corpus (used by
 * tshark.test.ts, listed in docs/tshark-agreement.md). Each entry says which occurrences it explains and
 * why; where it can, it checks that the value is there after all (under another name, rendering or
 * split), and the spec clause that decides it. Kinds: (a) 'not modelled', (b) 'tshark differs from the
 * spec', (c) 'engine' (src/, not the grammar).
 */
import { walk as walkTree } from '../../src/index.js';
import { type Allowance, inRanges, type MessageContext, type OurField } from './agreement.js';
import type { TsharkField } from './tshark-json.js';

/** mtcgk's identity IEs whose octet 3 bits 8-5 are the 1111 filler of a GUTI. */
const GUTI_IES = new Set(['nas_eps.ie.guti', 'nas_eps.ie.eps_mobile_identity', 'nas_eps.ie.old_guti', 'nas_eps.ie.additional_guti']);

const under = (f: TsharkField, label: string | RegExp) => f.ancestors.some((a) => (typeof label === 'string' ? a === label : label.test(a)));
const ieOf = (o: OurField) => o.ancestors.filter((a) => a.includes('.ie.')).pop();
const inEsm = (offset: number | undefined, m: MessageContext) => inRanges(offset, m.esm);
/** tshark's value is the octets at its own offset: a byte field over what mtcgk splits or nests. */
const _rawBytes = (f: TsharkField, m: MessageContext) => f.offset !== undefined && f.length !== undefined && m.hex.slice(2 * f.offset, 2 * (f.offset + f.length)) === f.value;
const oursAt = (m: MessageContext, name: string, offset: number | undefined) => m.ours.filter((o) => o.name === name && o.offset === offset);
const _num = (s: string) => (/^0x/i.test(s) ? parseInt(s, 16) : Number(s));

export const allowances: Allowance[] = [
  // ---- (a) tshark shows it, mtcgk does not model it
  {
    id: 'mnc-length',
    kind: 'not modelled',
    fields: ['e212.mnc'],
    reason:
      "the MNC of an IMSI has two or three digits and the IMSI does not say which; tshark looks the MCC+MNC up in its table of allocated networks (e.g. 001-010, 235-047), mtcgk takes three digits for the MCCs whose numbering plan has them and two otherwise (src/engine/render.ts). Checked: tshark's MNC is the other length of the same digits",
    spec: 'TS 23.003 §2.2, §2.3',
    tshark: (f) => f.name === 'e212.mnc' && under(f, 'e212.assoc.imsi_tree'),
    counterpart: (f, left, m) =>
      left.find((o) => {
        const imsi = m.ours.find((x) => x.name === 'e212.assoc.imsi' && x.offset === o.offset)?.value ?? '';
        return o.name === 'e212.mnc' && o.ancestors.includes('e212.assoc.imsi') && [imsi.slice(3, 5), imsi.slice(3, 6)].some((d) => d !== '' && Number(d) === Number(f.value));
      }),
  },
  // ---- (b) tshark differs from the spec
  {
    id: 'plain-esm-pdu',
    kind: 'tshark differs from the spec',
    fields: ['nas_eps.security_header_type', 'all fields of the ESM message'],
    reason:
      'for a plain ESM message at the top of the PDU tshark reads octet 1 bits 8-5 (the EPS bearer identity) as a security header type and stops ("A security header should use EMM protocol discriminator", or "should be integrity protected" when they are 0). Checked: tshark\'s "security header type" is the EPS bearer identity mtcgk shows',
    spec: 'TS 24.301 §9.3.1 (security header type: EMM messages only), §9.3.2 (EPS bearer identity)',
    tshark: (f, m) => f.name === 'nas_eps.security_header_type' && f.offset === 0 && inEsm(0, m),
    verify: (f, m) => oursAt(m, 'nas_eps.bearer_id', 0).some((o) => o.value === f.value),
    ours: (_o, m) => inEsm(0, m) && !m.tshark.some((f) => f.name === 'nas_eps.nas_msg_esm_type'),
  },
  {
    id: 'eps-upip',
    kind: 'tshark differs from the spec',
    fields: ['nas_eps.emm.eia7'],
    reason: 'tshark 4.0 still calls octet 4 bit 1 of UE network capability and UE security capability "EIA7"; the spec calls it EPS-UPIP (mtcgk: nas_eps.emm.eps_upip). Checked: same bit, same value',
    spec: 'TS 24.301 §9.9.3.34, §9.9.3.36',
    tshark: (f) => f.name === 'nas_eps.emm.eia7',
    counterpart: (f, left) => left.find((o) => o.name === 'nas_eps.emm.eps_upip' && o.offset === f.offset && o.value === f.value),
  },
  {
    id: 'spare-bits-tshark-omits',
    kind: 'tshark differs from the spec',
    fields: ['nas_eps.spare_bits', 'gsm_a.spare_bits'],
    reason:
      'spare bits and fillers the spec defines and tshark shows no field for: octet 3 bits 8-5 (1111) of a GUTI, bit 4 of identity type 2, PDN type, request type and radio priority, octet 3 bits 8-4 of PDN address, octet 3 bits 7-4 of protocol configuration options, bits 4-1 of a transaction identifier',
    spec: 'TS 24.301 §9.9.3.12, §9.9.3.17, §9.9.4.9, §9.9.4.10, §9.9.4.14; TS 24.008 §10.5.6.3, §10.5.7.2, §10.5.6.7',
    ours: (o) =>
      (o.name === 'nas_eps.spare_bits' && o.value === '0x0f' && GUTI_IES.has(ieOf(o) ?? '')) ||
      (o.name === 'nas_eps.spare_bits' && ['nas_eps.ie.identity_type', 'nas_eps.esm.ie.pdn_type', 'nas_eps.esm.ie.request_type', 'nas_eps.esm.ie.pdn_address'].includes(ieOf(o) ?? '')) ||
      (o.name === 'gsm_a.spare_bits' && ['nas_eps.esm.ie.protocol_configuration_options', 'nas_eps.esm.ie.radio_priority', 'nas_eps.esm.ie.transaction_identifier'].includes(ieOf(o) ?? '')),
  },
  {
    id: 'ies-out-of-order',
    kind: 'tshark differs from the spec',
    fields: ['fields of the IEs after the first out-of-order IE'],
    reason:
      'tshark reads the optional IEs in table order only and reports the rest of the message as extraneous data once one comes out of order (open5gs TAU requests send Device properties before Old GUTI type); every IE of the non-imperative part is self-delimiting, so mtcgk dissects them all, with an ie_out_of_order note',
    spec: 'TS 24.007 §11.2.4; TS 24.301 §7.6',
    ours: (o, m) => {
      const firstLate = [...walkTree(m.tree)].flatMap((n) => n.expert).find((e) => e.id === 'ie_out_of_order');
      return firstLate !== undefined && o.node.bitOffset >= firstLate.bitOffset;
    },
  },
  // ---- (c) what the engine (src/, not the grammar) cannot express
  {
    id: 'identity-filler',
    kind: 'engine',
    fields: ['gsm_a.filler'],
    reason:
      "the 1111 filler of an even number of digits (IMEISV) shares its octet with the last digit; tshark shows it as a field over the digits' octet, and mtcgk's leaves do not overlap (the digits hold the octet)",
    spec: 'TS 24.008 §10.5.1.4',
    tshark: (f) => f.name === 'gsm_a.filler',
    verify: (f, m) => f.value === '0x0f' && m.ours.some((o) => o.name === 'gsm_a.imeisv'),
  },
];

/** Diameter: what tshark adds across a capture, which a dissection of one message cannot have. */
export const requestAnswerLinks: Allowance = {
  id: 'request-answer-links',
  kind: 'not modelled',
  fields: ['diameter.answer_in', 'diameter.answer_to', 'diameter.resp_time'],
  reason:
    'tshark pairs a request with its answer across the capture (same Hop-by-Hop and End-to-End Identifiers) and shows the frame numbers and the response time; mtcgk dissects one message at a time',
  tshark: (f) => ['diameter.answer_in', 'diameter.answer_to', 'diameter.resp_time'].includes(f.name),
};
