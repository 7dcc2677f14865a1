/**
 * What a flow is made of: the nodes of the seed's figures, their reference points, and one captured
 * message per arrow. Each message's label names its figure step, sender and receiver, reference
 * point and protocol; the ladder reads them back from the capture (see parseLabel).
 */
import type { Direction } from '../io/frame.js';

export type Variant = 'hss' | 'mme';
export type Trigger = 'first-message' | 'hss-auth' | 'interrogate';
export type Attack = 'tamper' | 'replay' | 'keys-in-clear' | 'eia0';
export type FlowProtocol = 'nas-eps' | 'diameter' | 'gmsg';

/** Reference points, one pcapng interface each. */
export const INTERFACES = ['S6m', 'S6a', 'T5', 'NAS/S1-MME', 'Tsp', 'group-delivery'] as const;
export type Iface = (typeof INTERFACES)[number];

export const INTERFACE_DESCRIPTIONS: Record<Iface, string> = {
  S6m: 'MTC-IWF - HSS (Diameter S6m, provisional group key commands)',
  S6a: 'MME - HSS (Diameter S6a)',
  T5: 'MTC-IWF - MME (Diameter, provisional T5 application)',
  'NAS/S1-MME': 'MME - UE (NAS-EPS, carried over S1-MME and the radio)',
  Tsp: 'SCS - MTC-IWF (Diameter Tsp)',
  'group-delivery': 'MTC-IWF - UEs (protected group messages, one packet per UE delivery)',
};

/** Fixed columns of the ladder; UE1..UEn follow. */
export const NETWORK_NODES = ['SCS', 'MTC-IWF', 'HSS', 'MME'] as const;

/** A step of the figure that happens inside one node (no message on the wire). */
export interface FlowNote {
  step: string;
  node: string;
  text: string;
}

export interface FlowMessage {
  /** Figure step: '1'..'7', "4'" for the UE's acknowledgement, 'x' for a Note x trigger message. */
  step: string;
  from: string;
  to: string;
  iface: Iface;
  protocol: FlowProtocol;
  /** NAS and group messages: seen from the UE. */
  direction?: Direction;
  name: string;
  bytes: Uint8Array;
  /** Steps inside a node that happen just before this message. */
  notes: FlowNote[];
  /** Seconds since the epoch. */
  time: number;
}

/**
 * `step 1 @MTC-IWF generates ... | step 2 MTC-IWF->HSS S6m diameter Group key update request`.
 * Labels never hold '#' or ': ' (they are also hex-line labels in flow.txt).
 */
export function formatLabel(m: Pick<FlowMessage, 'step' | 'from' | 'to' | 'iface' | 'protocol' | 'name' | 'notes'>): string {
  const clean = (s: string) => s.replace(/[#\r\n]/g, ' ').replace(/: /g, ' - ');
  const notes = m.notes.map((n) => `step ${n.step} @${n.node} ${clean(n.text)}`);
  return [...notes, `step ${m.step} ${m.from}->${m.to} ${m.iface} ${m.protocol} ${clean(m.name)}`].join(' | ');
}

export interface ParsedLabel {
  step: string;
  from: string;
  to: string;
  iface: string;
  protocol: string;
  name: string;
  notes: FlowNote[];
}

const ARROW = /^step (\S+) ([^\s>]+)->(\S+) (\S+) (\S+) (.*)$/;
const NOTE = /^step (\S+) @(\S+) (.*)$/;

/** The parts of a flow label, or undefined for a label that is not one. */
export function parseLabel(label: string | undefined): ParsedLabel | undefined {
  if (!label) return undefined;
  const parts = label.split(' | ');
  const m = parts.pop()!.match(ARROW);
  if (!m) return undefined;
  const notes: FlowNote[] = [];
  for (const p of parts) {
    const n = p.match(NOTE);
    if (n) notes.push({ step: n[1], node: n[2], text: n[3] });
  }
  return { step: m[1], from: m[2], to: m[3], iface: m[4], protocol: m[5], name: m[6], notes };
}
