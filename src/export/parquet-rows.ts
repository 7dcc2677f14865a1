/**
 * The dissection side of `mtcgk convert --to parquet` (src/export/parquet.ts): a message's row as one
 * JSON line, made wherever frames are dissected (worker threads included), and the column kind of
 * each -e field, from the field catalogue.
 */
import type { DissectResult } from '../engine/dissect.js';
import { walk, type TreeNode } from '../engine/tree.js';
import type { FieldIR, GrammarIR } from '../grammar/ir.js';
import { defaultGrammar } from '../grammar/default.js';
import type { Frame } from '../io/frame.js';
import { exportValues, pickOccurrence, type FieldsOptions } from '../output/fields.js';

export type Kind = 'int32' | 'int64' | 'boolean' | 'bytes' | 'string';

const KINDS: Record<string, Kind> = {
  FT_UINT8: 'int32',
  FT_UINT16: 'int32',
  FT_UINT24: 'int32',
  FT_INT8: 'int32',
  FT_INT16: 'int32',
  FT_INT24: 'int32',
  FT_INT32: 'int32',
  FT_UINT32: 'int64',
  FT_UINT64: 'int64',
  FT_INT64: 'int64',
  FT_BOOLEAN: 'boolean',
  FT_BYTES: 'bytes',
};

let octetFields: Set<string> | undefined;

/**
 * Filter names whose value is octets: bytes fields the grammar renders as hex. The catalogue calls
 * text bytes (an APN label) and codec values (IMSI digits) FT_BYTES too; those stay text.
 */
function octets(ir: GrammarIR): Set<string> {
  const out = new Set<string>();
  const visit = (f: FieldIR): void => {
    if (f.kind === 'bytes' && !f.text) out.add(f.filter);
    if (f.kind === 'list') visit(f.item);
  };
  for (const t of ir.types.values()) {
    (t.kind === 'struct' ? t.fields : t.kind === 'l3' ? t.header : []).forEach(visit);
    if (t.kind === 'struct' && t.protection) out.add(t.protection.cipheredFilter);
  }
  return out;
}

export function kindOf(field: string): Kind {
  const ir = defaultGrammar();
  const kind = KINDS[ir.fields.get(field)?.ftype ?? ''] ?? 'string';
  if (kind !== 'bytes') return kind;
  octetFields ??= octets(ir);
  return octetFields.has(field) ? 'bytes' : 'string';
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The octets a node covers, from the data source it was dissected from. */
function nodeBytes(n: TreeNode, r: DissectResult, frame: Frame): string {
  const data = r.sources.get(n.source ?? 'frame') ?? frame.bytes;
  return hex(data.subarray(n.bitOffset >> 3, (n.bitOffset + n.bitLength + 7) >> 3));
}

/** One message's row as a JSON line: number, direction, time, then per field its picked values (octets in hex for FT_BYTES). */
export function parquetRow(frame: Frame, number: number, r: DissectResult, o: FieldsOptions): string {
  const bytesFields = o.fields.filter((f) => kindOf(f) === 'bytes');
  const shows = exportValues([r.tree], o.fields);
  const octets = new Map<string, string[]>();
  if (bytesFields.length) {
    for (const n of walk(r.tree)) {
      if (n.show === undefined || !bytesFields.includes(n.filter)) continue;
      const list = octets.get(n.filter);
      if (list) list.push(nodeBytes(n, r, frame));
      else octets.set(n.filter, [nodeBytes(n, r, frame)]);
    }
  }
  const values = o.fields.map((f) => pickOccurrence((kindOf(f) === 'bytes' ? octets.get(f) : shows.get(f)) ?? [], o.occurrence));
  return JSON.stringify([number, frame.direction ?? null, frame.time ?? null, ...values]);
}
