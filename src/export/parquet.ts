/**
 * `mtcgk convert --to parquet`: a table with a row per message for Spark, Trino and DuckDB, written
 * with hyparquet-writer a row group at a time (docs/analytics.md says why that writer).
 *
 * Columns: `frame.number`, `frame.direction`, `frame.time_epoch` (null when the input has no time
 * stamps), `frame.file` (the input), then one per -e field, named after it and typed from the field
 * catalogue: integers as INT32 (INT64 from 32 bits up), FT_BOOLEAN as BOOLEAN, FT_BYTES as BINARY (the
 * field's octets), anything else as UTF-8 text (the `-T fields` rendering). With `-E occurrence=a`
 * (the default) a field column is a LIST of every occurrence in the message, as `-T fields` aggregates
 * them; with `-E occurrence=f|l|N` it is the one occurrence picked. A message without the field has
 * null there.
 *
 * Rows come as parquetRow's JSON lines (src/export/parquet-rows.ts) from wherever frames were
 * dissected, worker threads included; ParquetTable, on the main thread, types and buffers them.
 */
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { FieldsOptions } from '../output/fields.js';
import { kindOf, type Kind } from './parquet-rows.js';

/**
 * Rows per row group: DuckDB's own (it reads a group per thread); Spark and Trino split files by row
 * group too. Memory holds one group, so this also bounds the conversion's footprint.
 */
export const DEFAULT_ROW_GROUP_ROWS = 122_880;

type Value = number | bigint | boolean | Uint8Array | string;

function converter(kind: Kind): (s: string) => Value | null {
  switch (kind) {
    case 'int32':
      return (s) => {
        const v = Number(s);
        return Number.isInteger(v) ? v : null;
      };
    case 'int64':
      return (s) => {
        try {
          return BigInt(s);
        } catch {
          return null;
        }
      };
    case 'boolean':
      return (s) => s !== '0';
    case 'bytes':
      return (s) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
    case 'string':
      return (s) => s;
  }
}

const PARQUET_TYPES: Record<Kind, { type: 'INT32' | 'INT64' | 'BOOLEAN' | 'BYTE_ARRAY'; converted_type?: 'UTF8' }> = {
  int32: { type: 'INT32' },
  int64: { type: 'INT64' },
  boolean: { type: 'BOOLEAN' },
  bytes: { type: 'BYTE_ARRAY' },
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
};

export interface ParquetTableOptions {
  /** -e fields and -E occurrence. */
  fields: FieldsOptions;
  /** The input, for the frame.file column. */
  file: string;
  rowGroupRows?: number;
}

/** A Parquet file written as rows come (parquetRow lines), a row group at a time: memory holds one group. */
export class ParquetTable {
  private readonly writer: ParquetWriter;
  private readonly kinds: Kind[];
  private readonly convert: Array<(s: string) => Value | null>;
  private readonly names: string[];
  private readonly groupRows: number;
  private columns: unknown[][] = [];
  /** Values that did not parse as their column's type (written as null). */
  untyped = 0;
  rows = 0;

  constructor(
    path: string,
    private readonly o: ParquetTableOptions,
  ) {
    this.groupRows = o.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    const list = o.fields.occurrence === 'a';
    this.kinds = o.fields.fields.map(kindOf);
    this.convert = this.kinds.map(converter);
    this.names = ['frame.number', 'frame.direction', 'frame.time_epoch', 'frame.file', ...o.fields.fields];
    const schema: Array<Record<string, unknown>> = [
      { name: 'root', num_children: this.names.length },
      { name: 'frame.number', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'frame.direction', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'frame.time_epoch', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'frame.file', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ];
    o.fields.fields.forEach((name, i) => {
      const type = PARQUET_TYPES[this.kinds[i]];
      if (!list) return schema.push({ name, ...type, repetition_type: 'OPTIONAL' });
      schema.push(
        { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', ...type, repetition_type: 'REQUIRED' },
      );
    });
    this.writer = new ParquetWriter({ writer: fileWriter(path), schema: schema as never, createdBy: 'mtcgk' });
    this.reset();
  }

  private reset(): void {
    this.columns = this.names.map(() => []);
  }

  /** One parquetRow line. */
  add(line: string): void {
    const [number, direction, time, ...values] = JSON.parse(line) as [number, string | null, number | null, ...string[][]];
    const c = this.columns;
    c[0].push(BigInt(number));
    c[1].push(direction === 'ul' ? 'ul' : direction === 'dl' ? 'dl' : null); // one string for every row
    c[2].push(time);
    c[3].push(this.o.file);
    const list = this.o.fields.occurrence === 'a';
    values.forEach((shows, i) => {
      const typed = shows.map((s) => {
        const v = this.convert[i](s);
        if (v === null) this.untyped++;
        return v;
      });
      // A list column holds no nulls: a value that does not parse leaves the list (and is counted).
      c[4 + i].push(!shows.length ? null : list ? typed.filter((v) => v !== null) : typed[0]);
    });
    this.rows++;
    if (c[0].length >= this.groupRows) this.flush();
  }

  private flush(): void {
    const n = this.columns[0].length;
    if (!n) return;
    this.writer.write({ columnData: this.names.map((name, i) => ({ name, data: this.columns[i] as never })), rowGroupSize: n });
    this.reset();
  }

  /** Writes the last row group and the footer. */
  finish(): void {
    this.flush();
    this.writer.finish();
  }
}
