/**
 * The seed's Figures 1.a and 1.b played out: N UEs in G groups attach, each with its own EPS AKA run
 * and NAS security context; the Group GW at the MTC-IWF makes the group keys; they reach the MME via
 * the HSS (1.a: S6m, then S6a Update-Location-Answer) or directly (1.b: T5, when Note x's trigger
 * fires); the MME hands them to each UE in the chosen NAS carrier; then the SCS sends group messages
 * over Tsp and the MTC-IWF delivers them, protected, to every member. Attacks add negative messages.
 */
import { toHex } from '../engine/format.js';
import { protectGroupMessage } from '../groupkeys/protect.js';
import { deriveGroupKeys } from '../groupkeys/schedule.js';
import { EEA_NAMES, EIA_NAMES } from '../security/algorithms.js';
import type { GroupKeyRecord, Keys } from '../security/keys.js';
import { DiameterSide, type DiameterPair } from './diameter.js';
import type { FlowMessage, FlowNote, FlowProtocol, Iface } from './model.js';
import type { FlowOptions } from './options.js';
import { FlowRandom } from './rng.js';
import { FlowUe, MCC, MNC, type NasMessage } from './ue.js';

export interface FlowGroup {
  index: number;
  keys: GroupKeyRecord;
  members: FlowUe[];
  /** Group messages sent so far: sequence number -> protected bytes. */
  sent: Uint8Array[];
}

export interface Flow {
  options: FlowOptions;
  ues: FlowUe[];
  groups: FlowGroup[];
  messages: FlowMessage[];
  /** The keys file that opens the capture. */
  keys: Keys;
}

/** GID of group g: Group Service Identifier 1, the flow's PLMN, Local Group Id g. */
export const groupId = (g: number) => `00000001-${MCC}-${MNC}-${g.toString(16).padStart(2, '0')}`;

const keyNote = (k: GroupKeyRecord) => `Group GW generates Gk_conf and Gk_integ for ${k.gid} Gki ${k.gki} (${EEA_NAMES[k.eea]}, ${EIA_NAMES[k.eia]})`;

/**
 * tshark's nas-eps dissector takes a ciphered payload (SHT 2 or 4) for a plain message when its first
 * octet looks like a protocol discriminator (0x07, 0x0F, or low nibble 2) and decodes the ciphertext,
 * often as a malformed packet. The flow draws a UE's RAND again (so a new K_ASME, and new keystreams)
 * until none of its ciphered messages starts with such an octet: the capture stays real and opens in
 * tshark without false [Malformed Packet] marks.
 */
export const tsharkReadsAsPlain = (first: number) => first === 0x07 || first === 0x0f || (first & 0x0f) === 2;

function tsharkUnsafeUes(messages: readonly FlowMessage[]): Set<string> {
  const out = new Set<string>();
  for (const m of messages) {
    if (m.protocol !== 'nas-eps' || m.bytes.length < 7) continue;
    const sht = m.bytes[0] >> 4;
    if ((sht === 2 || sht === 4) && tsharkReadsAsPlain(m.bytes[6])) out.add(m.direction === 'dl' ? m.to : m.from);
  }
  return out;
}

export function buildFlow(o: FlowOptions): Flow {
  const attempts = new Map<string, number>();
  for (let round = 0; ; round++) {
    const flow = buildOnce(o, attempts);
    // With EEA0 the payload is plain, and tshark rightly decodes it.
    const unsafe = o.eea === 0 ? new Set<string>() : tsharkUnsafeUes(flow.messages);
    if (!unsafe.size || round === 200) return flow;
    for (const ue of unsafe) attempts.set(ue, (attempts.get(ue) ?? 0) + 1);
  }
}

function buildOnce(o: FlowOptions, attempts: ReadonlyMap<string, number>): Flow {
  const rng = new FlowRandom(o.seed);
  const groups: FlowGroup[] = [];
  for (let g = 1; g <= o.groups; g++) {
    const keys = deriveGroupKeys(rng.bytes(`group${g}/root`, 32), { gid: groupId(g), gki: 1, eea: o.eea, eia: o.eia });
    groups.push({ index: g, keys, members: [], sent: [] });
  }
  const ues: FlowUe[] = [];
  for (let i = 1; i <= o.ues; i++) {
    const group = groups[(i - 1) % o.groups];
    const ue = new FlowUe(i, rng, o.eea, o.eia, [group.keys], attempts.get(`UE${i}`) ?? 0);
    group.members.push(ue);
    ues.push(ue);
  }
  const groupOf = (ue: FlowUe) => groups.find((g) => g.members.includes(ue))!;
  const dia = new DiameterSide(rng);
  const messages: FlowMessage[] = [];
  let pendingNotes: FlowNote[] = [];
  const note = (step: string, node: string, text: string) => pendingNotes.push({ step, node, text });
  const push = (step: string, from: string, to: string, iface: Iface, protocol: FlowProtocol, name: string, bytes: Uint8Array, direction?: 'ul' | 'dl') => {
    messages.push({ step, from, to, iface, protocol, name, bytes, notes: pendingNotes, time: o.startTime + messages.length * 0.01, ...(direction && { direction }) });
    pendingNotes = [];
  };
  const diameter = (step: string, a: string, b: string, iface: Iface, pair: DiameterPair) => {
    push(step, a, b, iface, 'diameter', pair.request.name, pair.request.bytes);
    push(step, b, a, iface, 'diameter', pair.answer.name, pair.answer.bytes);
  };
  const nas = (step: string, ue: FlowUe, m: NasMessage) =>
    m.direction === 'dl' ? push(step, 'MME', ue.name, 'NAS/S1-MME', 'nas-eps', m.name, m.bytes, 'dl') : push(step, ue.name, 'MME', 'NAS/S1-MME', 'nas-eps', m.name, m.bytes, 'ul');

  const fig = o.variant === 'hss' ? 'a' : 'b';
  /** The attach procedure is step 3 of Figure 1.a and step 1 of Figure 1.b. */
  const attachStep = fig === 'a' ? '3' : '1';
  const clear = o.attack === 'keys-in-clear';

  // Figure 1.a steps 1-2: the Group GW makes each group's keys and puts them in the HSS.
  const atMme = new Set<FlowGroup>();
  if (fig === 'a') {
    for (const g of groups) {
      note('1', 'MTC-IWF', keyNote(g.keys));
      diameter('2', 'MTC-IWF', 'HSS', 'S6m', dia.s6mGroupKeys([g.keys]));
    }
  }

  /** Figure 1.b steps 2-3: keys generated and sent to the MME over T5 (once per group). */
  const keysToMme = (g: FlowGroup) => {
    if (atMme.has(g)) return;
    atMme.add(g);
    note('2', 'MTC-IWF', keyNote(g.keys));
    diameter('3', 'MTC-IWF', 'MME', 'T5', dia.t5GroupKeys([g.keys]));
  };

  // Attach up to the point where the MME needs the keys for the chosen carrier.
  const authenticate = (ue: FlowUe) => {
    nas(attachStep, ue, ue.attachRequest());
    diameter(attachStep, 'MME', 'HSS', 'S6a', dia.s6aAuthenticationInformation(ue));
    nas(attachStep, ue, ue.authenticationRequest());
    nas(attachStep, ue, ue.authenticationResponse());
    // 1.a step 3: the subscription data holds the group based feature information (GID, keys, Gki).
    diameter(attachStep, 'MME', 'HSS', 'S6a', dia.s6aUpdateLocation(ue, groupOf(ue).keys, fig === 'a'));
    if (fig === 'b' && o.trigger === 'hss-auth') {
      diameter('x', 'HSS', 'MTC-IWF', 'S6m', dia.s6mUeAuthenticated(ue, groupOf(ue).keys));
      keysToMme(groupOf(ue));
    } else if (fig === 'b' && o.trigger === 'interrogate') {
      diameter('x', 'MTC-IWF', 'HSS', 'S6m', dia.s6mServingNode(ue));
      keysToMme(groupOf(ue));
    }
    if (o.carrier === 'attach-accept' || o.carrier === 'dedicated') {
      nas(attachStep, ue, ue.securityModeCommand());
      nas(attachStep, ue, ue.securityModeComplete());
    }
    if (o.carrier === 'dedicated') {
      nas(attachStep, ue, ue.attachAccept());
      nas(attachStep, ue, ue.attachComplete());
    }
  };
  // Step 4: the MME passes the keys to the UE under its NAS security context (4' the UE's answer).
  const deliverKeys = (ue: FlowUe) => {
    const keys = ue.groups;
    if (o.carrier === 'smc' || o.carrier === 'smc-ciphered') {
      nas('4', ue, ue.securityModeCommand({ groups: keys, ciphered: o.carrier === 'smc-ciphered' && !clear }));
      nas("4'", ue, ue.securityModeComplete());
      nas(attachStep, ue, ue.attachAccept());
      nas(attachStep, ue, ue.attachComplete());
    } else if (o.carrier === 'attach-accept') {
      const m = ue.attachAccept(keys, clear ? 1 : 2);
      nas('4', ue, clear ? { ...m, name: `${m.name}, integrity only` } : m);
      nas("4'", ue, ue.attachComplete());
    } else {
      const m = ue.groupKeyDistribution(keys, clear ? 1 : 2);
      nas('4', ue, clear ? { ...m, name: `${m.name}, integrity only` } : m);
      nas("4'", ue, ue.groupKeyDistributionComplete(keys));
    }
  };

  const byTrigger = fig === 'b' && o.trigger === 'first-message';
  for (const ue of ues) {
    authenticate(ue);
    if (!byTrigger) deliverKeys(ue);
  }

  // Steps 5-7: group messages from the SCS over Tsp, protected by the MTC-IWF, delivered to each member.
  const cipher = o.confidentiality && o.eea !== 0;
  const deliver = (g: FlowGroup, bytes: Uint8Array, name: string) => {
    for (const ue of g.members) push('7', 'MTC-IWF', ue.name, 'group-delivery', 'gmsg', name, bytes, 'dl');
  };
  for (let m = 1; m <= o.messages; m++) {
    for (const g of groups) {
      const payload = new TextEncoder().encode(`group ${g.index} message ${m}: report meter readings at 02:00 UTC`);
      diameter('5', 'SCS', 'MTC-IWF', 'Tsp', dia.tspGroupMessage(g.keys, payload, m));
      if (byTrigger && !atMme.has(g)) {
        // Note x (a): the first group message triggers steps 2-3, then step 4 for every member.
        keysToMme(g);
        for (const ue of g.members) deliverKeys(ue);
      }
      const seq = g.sent.length + 1;
      const bytes = protectGroupMessage({ key: g.keys, count: seq, payload, cipher });
      g.sent.push(bytes);
      note('6', 'MTC-IWF', `protects group message ${m} for ${g.keys.gid} with Gki ${g.keys.gki}, sequence number ${seq}${cipher ? '' : ', integrity only'}`);
      deliver(g, bytes, `Protected group message ${m} (${g.keys.gid} Gki ${g.keys.gki} seq ${seq})`);
    }
  }

  // Negative messages, on purpose.
  const g1 = groups[0];
  const victim = g1.members[0];
  if (o.attack === 'tamper') {
    const t = g1.sent[g1.sent.length - 1].slice();
    t[t.length - 5] ^= 0x01; // last payload octet, before the MAC
    note('7', 'attacker', `flips one payload bit of the last group message on its way to ${victim.name}`);
    push('7', 'MTC-IWF', victim.name, 'group-delivery', 'gmsg', `Protected group message ${o.messages} TAMPERED (${g1.keys.gid})`, t, 'dl');
  } else if (o.attack === 'replay') {
    note('7', 'attacker', `replays the first group message to ${victim.name}`);
    push('7', 'MTC-IWF', victim.name, 'group-delivery', 'gmsg', `Protected group message 1 REPLAYED (${g1.keys.gid} seq 1)`, g1.sent[0], 'dl');
  } else if (o.attack === 'eia0') {
    const seq = g1.sent.length + 1;
    const forged = protectGroupMessage({ key: { ...g1.keys, eia: 0 }, count: seq, payload: new TextEncoder().encode('switch to attacker firmware'), cipher: false });
    note('7', 'attacker', `sends a group message for ${g1.keys.gid} downgraded to EIA0 and EEA0 (no MAC, no ciphering)`);
    deliver(g1, forged, `Protected group message DOWNGRADED to EIA0 (${g1.keys.gid} seq ${seq})`);
  }

  const keys: Keys = {
    nas: ues.map((ue) => ({ kasme: ue.kasme!, eea: o.eea, eia: o.eia, allowNull: false, ue: `${ue.name} imsi-${ue.imsi}`, where: ue.name })),
    groups: groups.map((g) => g.keys),
  };
  return { options: o, ues, groups, messages, keys };
}

/** keys.json: every UE's NAS context (K_ASME and algorithms) and every group's keys. */
export function keysJson(flow: Flow): string {
  return (
    JSON.stringify(
      {
        nas: flow.keys.nas.map((r) => ({ ue: r.ue, kasme: toHex(r.kasme!), eea: r.eea, eia: r.eia })),
        groups: flow.keys.groups.map((g) => ({ gid: g.gid, gki: g.gki, gk_conf: toHex(g.gkConf), gk_integ: toHex(g.gkInteg), eea: g.eea, eia: g.eia })),
      },
      null,
      2,
    ) + '\n'
  );
}
