/** `-T fields`: one line per packet, one column per `-e` field, repeated occurrences aggregated. */
import type { DissectResult } from '../engine/dissect.js';
import { expertOf, walk, type TreeNode } from '../engine/tree.js';
import { frameFields, type FrameFacts } from './frame-fields.js';
import { INFO_COLUMN, infoColumn } from './info.js';

export interface FieldsOptions {
  fields: string[];
  separator: string;
  aggregator: string;
  occurrence: 'a' | 'f' | 'l' | number;
  quote: 'n' | 'd' | 's';
  header: boolean;
}

export const DEFAULT_FIELDS_OPTIONS: Omit<FieldsOptions, 'fields'> = { separator: '\t', aggregator: ',', occurrence: 'a', quote: 'n', header: false };

/** Every value of each filter name in the tree, in tree order. */
export function fieldValues(roots: TreeNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const root of roots) {
    for (const n of walk(root)) {
      if (n.show === undefined) continue;
      const list = out.get(n.filter);
      if (list) list.push(n.show);
      else out.set(n.filter, [n.show]);
    }
  }
  return out;
}

/**
 * What `-e` can name: every filter name's values, and tshark's expert fields (`_ws.expert.message`,
 * `.severity`, `.group`, and `.id` here) over every expert item in the tree, security verdicts and
 * group key audit findings among them. The tree is walked for expert items only when `names` asks.
 */
export function exportValues(roots: TreeNode[], names: readonly string[]): Map<string, string[]> {
  const out = fieldValues(roots);
  if (!names.some((n) => n.startsWith('_ws.expert.'))) return out;
  const experts = roots.flatMap(expertOf);
  if (experts.length) {
    out.set(
      '_ws.expert.id',
      experts.map((e) => e.id),
    );
    out.set(
      '_ws.expert.message',
      experts.map((e) => e.message),
    );
    out.set(
      '_ws.expert.severity',
      experts.map((e) => e.severity),
    );
    out.set(
      '_ws.expert.group',
      experts.map((e) => e.group),
    );
  }
  return out;
}

/** The occurrences `-E occurrence` keeps: all, the first, the last or the Nth. */
export const pickOccurrence = <T>(all: readonly T[], occurrence: FieldsOptions['occurrence']): readonly T[] =>
  occurrence === 'a' ? all : occurrence === 'f' ? all.slice(0, 1) : occurrence === 'l' ? all.slice(-1) : all.slice(occurrence - 1, occurrence);

/**
 * What -Y, -e and the TUI's filter see of a packet: every field occurrence, the protocol as present,
 * the frame layer, and what `names` asks beyond the tree (expert fields, the Info column).
 */
export function packetValues(r: DissectResult, frame: Omit<FrameFacts, 'protocol'>, names: readonly string[] = []): Map<string, string[]> {
  const values = exportValues([r.tree], names);
  if (!values.has(r.protocol)) values.set(r.protocol, ['']);
  for (const [name, v] of frameFields({ ...frame, protocol: r.protocol })) values.set(name, v);
  if (names.includes(INFO_COLUMN)) values.set(INFO_COLUMN, [infoColumn(r)]);
  return values;
}

/** One -T fields line from a packet's values. */
export function fieldsLine(values: ReadonlyMap<string, readonly string[]>, o: FieldsOptions): string {
  const q = o.quote === 'd' ? '"' : o.quote === 's' ? "'" : '';
  return o.fields
    .map((f) => {
      const picked = pickOccurrence(values.get(f) ?? [], o.occurrence);
      return picked.length ? q + picked.join(o.aggregator) + q : '';
    })
    .join(o.separator);
}

export const fieldsHeader = (o: FieldsOptions): string => o.fields.join(o.separator);
