/** `-T fields`: one line per packet, one column per `-e` field, repeated occurrences aggregated. */
import type { DissectResult } from '../engine/dissect.js';
import { walk, type TreeNode } from '../engine/tree.js';
import { frameFields, type FrameFacts } from './frame-fields.js';

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

/** What -Y, -e and the TUI's filter see of a packet: every field occurrence, the protocol as present, and the frame layer. */
export function packetValues(r: DissectResult, frame: Omit<FrameFacts, 'protocol'>): Map<string, string[]> {
  const values = fieldValues([r.tree]);
  if (!values.has(r.protocol)) values.set(r.protocol, ['']);
  for (const [name, v] of frameFields({ ...frame, protocol: r.protocol })) values.set(name, v);
  return values;
}

/** One -T fields line from a packet's values (fieldValues and the frame's own). */
export function fieldsLine(values: ReadonlyMap<string, readonly string[]>, o: FieldsOptions): string {
  const q = o.quote === 'd' ? '"' : o.quote === 's' ? "'" : '';
  return o.fields
    .map((f) => {
      const all = values.get(f) ?? [];
      const picked = o.occurrence === 'a' ? all : o.occurrence === 'f' ? all.slice(0, 1) : o.occurrence === 'l' ? all.slice(-1) : all.slice(o.occurrence - 1, o.occurrence);
      return picked.length ? q + picked.join(o.aggregator) + q : '';
    })
    .join(o.separator);
}

export const fieldsHeader = (o: FieldsOptions): string => o.fields.join(o.separator);
