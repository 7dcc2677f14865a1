/** `-T fields`: one line per packet, one column per `-e` field, repeated occurrences aggregated. */
import { walk, type TreeNode } from '../engine/tree.js';

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
  const experts = roots.flatMap((root) => [...walk(root)].flatMap((n) => n.expert));
  if (experts.length) {
    out.set('_ws.expert.id', experts.map((e) => e.id));
    out.set('_ws.expert.message', experts.map((e) => e.message));
    out.set('_ws.expert.severity', experts.map((e) => e.severity));
    out.set('_ws.expert.group', experts.map((e) => e.group));
  }
  return out;
}

/** The occurrences `-E occurrence` keeps: all, the first, the last or the Nth. */
export const pickOccurrence = <T>(all: T[], occurrence: FieldsOptions['occurrence']): T[] =>
  occurrence === 'a' ? all : occurrence === 'f' ? all.slice(0, 1) : occurrence === 'l' ? all.slice(-1) : all.slice(occurrence - 1, occurrence);

/** `columns`: values of names that are not tree fields (`_ws.col.Info`). */
export function fieldsLine(roots: TreeNode[], o: FieldsOptions, columns?: ReadonlyMap<string, string[]>): string {
  const values = exportValues(roots, o.fields);
  for (const [k, v] of columns ?? []) values.set(k, v);
  const q = o.quote === 'd' ? '"' : o.quote === 's' ? "'" : '';
  return o.fields
    .map((f) => {
      const picked = pickOccurrence(values.get(f) ?? [], o.occurrence);
      return picked.length ? q + picked.join(o.aggregator) + q : '';
    })
    .join(o.separator);
}

export const fieldsHeader = (o: FieldsOptions): string => o.fields.join(o.separator);
