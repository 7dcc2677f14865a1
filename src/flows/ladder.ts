/**
 * `mtcgk -z flow`: the capture as a ladder diagram. Columns SCS, MTC-IWF, HSS, MME, UE1..UEn; one row
 * per message with an arrow from sender to receiver (read back from the packet's flow label), the
 * figure's step beside it, the message name, and the security findings (expert items of group
 * security, warn or error) on the arrow. Steps inside a node (key generation, protection) are rows
 * with a '*' on that node.
 */
import type { CheckedFrame } from './check.js';
import { NETWORK_NODES } from './model.js';

const ueNumber = (n: string) => Number(n.match(/^UE(\d*)$/)?.[1] || 0);

/** Sender and receiver: from the flow label, else guessed for NAS and group messages of a known direction (one UE). */
function ends(r: CheckedFrame): { from: string; to: string } | undefined {
  if (r.label) return r.label;
  const d = r.frame.direction;
  if (r.protocol === 'nas-eps' && d) return d === 'dl' ? { from: 'MME', to: 'UE' } : { from: 'UE', to: 'MME' };
  if (r.protocol === 'gmsg') return { from: 'MTC-IWF', to: 'UE' };
  return undefined;
}

/** One line of the ladder below its header. */
export interface LadderRow {
  /** Index into the checked frames of the message this line is (or of the message a node step comes before). */
  frame: number;
  /** 'message': the packet's arrow; 'note': a step inside a node just before it. */
  kind: 'message' | 'note';
  /** The whole line. */
  text: string;
  /** Its part right of the lanes: the message and its findings, or the node and its step. */
  what: string;
}

const NUM = 5;
const STEP = 4;
/** Columns before the lanes: the packet number and the step (the TUI keeps them when it pans). */
export const LEAD_WIDTH = NUM + 1 + STEP;

/** The ladder as its header line and one row per message or node step (what `ladder` prints, line by line). */
export function ladderRows(rows: readonly CheckedFrame[]): { header: string; rows: LadderRow[] } {
  const ues = new Set<string>();
  for (const r of rows) for (const n of [ends(r)?.from, ends(r)?.to, ...(r.label?.notes.map((x) => x.node) ?? [])]) if (n && /^UE\d*$/.test(n)) ues.add(n);
  const nodes = [...NETWORK_NODES, ...[...ues].sort((a, b) => ueNumber(a) - ueNumber(b))];
  const width = Math.max(11, ...nodes.map((n) => n.length + 3));
  const lanesWidth = nodes.length * width;
  const center = (node: string) => nodes.indexOf(node) * width + (width >> 1);
  const lead = (num: string, step: string) => `${num.padStart(NUM)} ${step.padEnd(STEP)}`;
  const empty = (): string[] => Array.from({ length: lanesWidth }, (_, i) => (i % width === width >> 1 ? '|' : ' '));

  const out: LadderRow[] = [];
  const head = Array.from({ length: lanesWidth }, () => ' ');
  for (const n of nodes) {
    const start = Math.max(0, center(n) - (n.length >> 1));
    for (let i = 0; i < n.length; i++) head[start + i] = n[i];
  }
  const header = `${lead('#', 'step')}${head.join('').trimEnd()}`;

  for (const [i, r] of rows.entries()) {
    const l = r.label;
    const e = ends(r);
    for (const n of l?.notes ?? []) {
      const lane = empty();
      if (nodes.includes(n.node)) lane[center(n.node)] = '*';
      const what = `${n.node} ${n.text}`;
      out.push({ frame: i, kind: 'note', text: `${lead('', n.step)}${lane.join('')}  ${what}`, what });
    }
    const lane = empty();
    const findings = [...new Map(r.findings.map((f) => [f.id, f])).values()];
    let text: string;
    if (e && nodes.includes(e.from) && nodes.includes(e.to) && e.from !== e.to) {
      const a = center(e.from);
      const b = center(e.to);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      for (let x = lo + 1; x < hi; x++) lane[x] = findings.length ? '=' : '-';
      lane[b + (a < b ? -1 : 1)] = a < b ? '>' : '<';
      const mark = findings.length ? ` ${findings.map((f) => f.id).join(',')} ` : '';
      if (mark && mark.length <= hi - lo - 3) {
        const start = lo + 1 + ((hi - lo - 1 - mark.length) >> 1);
        for (let k = 0; k < mark.length; k++) lane[start + k] = mark[k];
      }
      text = l ? `${l.name} (${l.iface})` : `${r.frame.label ?? r.result.tree.label} (${r.protocol})`;
    } else {
      text = `${l?.name ?? r.frame.label ?? 'message'} (${r.protocol}, no sender/receiver in the label)`;
    }
    const notes = findings.map((f) => ` [${f.severity} ${f.id}: ${f.message}]`).join('');
    out.push({ frame: i, kind: 'message', text: `${lead(String(i + 1), l?.step ?? '-')}${lane.join('')}  ${text}${notes}`, what: `${text}${notes}` });
  }
  return { header, rows: out };
}

export function ladder(rows: readonly CheckedFrame[]): string {
  const { header, rows: lines } = ladderRows(rows);
  return [header, ...lines.map((r) => r.text)].join('\n');
}
