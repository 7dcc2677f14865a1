// convert --to parquet read back by a real engine (DuckDB): one row per message, typed columns, and
// counts and group-bys equal to what `-T fields` prints for the same capture.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliLines } from '../helpers/cli.js';

async function run(...argv: string[]) {
  const r = await runCliLines(...argv);
  return { ...r, err: r.err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-parquet-'));
let db: DuckDBConnection;
beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
const q = (name: string) => `"${name}"`;

/** Message lines of the sample captures (direction, label, hex), over and over up to n messages. */
function capture(n: number): string {
  const lines = ['captures/nas-eps-samples.txt', 'captures/group-keys-nas.txt'].flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.trim() && !l.startsWith('#'));
  return Array.from({ length: n }, (_, i) => lines[i % lines.length]).join('\n') + '\n';
}

const FIELDS = ['nas_eps.nas_msg_emm_type', 'nas_eps.emm.cause', 'nas_eps.msg_auth_code', 'nas_eps.esm.pdn_ipv4', 'e212.imsi', 'gsm_a.CM3', 'nas_eps.security_header_type'];
const e = FIELDS.flatMap((f) => ['-e', f]);

describe('convert --to parquet', () => {
  it('writes typed columns named after the fields, a row per message in capture order', async () => {
    const small = join(dir, 'small.txt');
    writeFileSync(small, capture(80));
    const out = join(dir, 'small.parquet');
    const r = await run('convert', '--to', 'parquet', '-r', small, '-w', out, ...e);
    expect(r.err).toBe('');
    expect(r.out).toEqual([`80 messages written to ${out}`]);
    const types = Object.fromEntries((await rows(`DESCRIBE SELECT * FROM read_parquet('${out}')`)).map((c) => [c.column_name, c.column_type]));
    expect(types).toEqual({
      'frame.number': 'BIGINT',
      'frame.direction': 'VARCHAR',
      'frame.time_epoch': 'DOUBLE',
      'frame.file': 'VARCHAR',
      'nas_eps.nas_msg_emm_type': 'INTEGER[]',
      'nas_eps.emm.cause': 'INTEGER[]',
      'nas_eps.msg_auth_code': 'BIGINT[]',
      'nas_eps.esm.pdn_ipv4': 'VARCHAR[]',
      'e212.imsi': 'VARCHAR[]',
      'gsm_a.CM3': 'BOOLEAN[]',
      'nas_eps.security_header_type': 'INTEGER[]',
    });
    // Every value, row by row, is the -T fields rendering read as its type.
    const fields = (await run('-r', small, '-T', 'fields', ...e)).out.map((l) => l.split('\t'));
    const table = await rows(`SELECT "frame.number" n, "frame.direction" d, "frame.file" f, ${FIELDS.map((c, i) => `${q(c)} c${i}`).join(', ')} FROM read_parquet('${out}') ORDER BY 1`);
    expect(table).toHaveLength(80);
    const text = readFileSync(small, 'utf8').split('\n');
    table.forEach((row, i) => {
      expect(row.n).toBe(String(i + 1));
      expect(row.d).toBe(text[i].startsWith('UL') ? 'ul' : 'dl');
      expect(row.f).toBe(small);
      FIELDS.forEach((name, c) => {
        const shown = fields[i][c] === '' ? null : fields[i][c].split(',');
        const typed = shown?.map((s) => (name === 'gsm_a.CM3' ? s === '1' : /^(0x[0-9a-f]+|\d+)$/.test(s) && name !== 'e212.imsi' && name !== 'nas_eps.esm.pdn_ipv4' ? String(Number(s)) : s));
        const got = row[`c${c}`] as unknown[] | null;
        expect(got?.map((v) => (typeof v === 'number' ? String(v) : v)) ?? null, `${name} of message ${i + 1}`).toEqual(typed ?? null);
      });
    });
  });

  it('converts 200,000 messages; DuckDB counts and group-bys equal -T fields', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, capture(200_000));
    const out = join(dir, 'big.parquet');
    const r = await run(
      'convert',
      '--to',
      'parquet',
      '-r',
      big,
      '-w',
      out,
      '-e',
      'nas_eps.nas_msg_emm_type',
      '-e',
      'nas_eps.msg_auth_code.status',
      '-e',
      'nas_eps.emm.cause',
      '--row-group',
      '65536',
      '-j',
      '2',
    );
    expect(r.out).toEqual([`200000 messages written to ${out}`]);
    const fields = (await run('-r', big, '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type', '-e', 'nas_eps.msg_auth_code.status', '-e', 'nas_eps.emm.cause', '-j', '2')).out.map((l) => l.split('\t'));
    expect(fields).toHaveLength(200_000);
    const [count] = await rows(`SELECT count(*) n, count(DISTINCT "frame.number") d FROM read_parquet('${out}')`);
    expect(count).toEqual({ n: '200000', d: '200000' });
    const tally = (col: number) => {
      const m = new Map<string, number>();
      for (const f of fields) m.set(f[col], (m.get(f[col]) ?? 0) + 1);
      return m;
    };
    // Message types: the group-by over the list column equals the -T fields tally (hex read as integers).
    const types = await rows(`SELECT array_to_string(list_transform("nas_eps.nas_msg_emm_type", x -> printf('0x%02x', x)), ',') v, count(*) n FROM read_parquet('${out}') GROUP BY 1`);
    expect(new Map(types.map((t) => [t.v ?? '', Number(t.n)]))).toEqual(tally(0));
    const statuses = await rows(`SELECT array_to_string("nas_eps.msg_auth_code.status", ',') v, count(*) n FROM read_parquet('${out}') GROUP BY 1`);
    expect(new Map(statuses.map((t) => [t.v ?? '', Number(t.n)]))).toEqual(tally(1));
    const causes = await rows(`SELECT "nas_eps.emm.cause"[1] v, count(*) n FROM read_parquet('${out}') WHERE "nas_eps.emm.cause" IS NOT NULL GROUP BY 1`);
    const causeTally = tally(2);
    causeTally.delete('');
    expect(new Map(causes.map((t) => [String(t.v), Number(t.n)]))).toEqual(causeTally);
    // Row groups of the size asked for, so engines split the file across threads.
    const groups = await rows(`SELECT row_group_id, any_value(row_group_num_rows) n FROM parquet_metadata('${out}') GROUP BY 1 ORDER BY 1`);
    expect(groups.map((g) => Number(g.n))).toEqual([65536, 65536, 65536, 3392]);
  }, 600_000);

  it('with -E occurrence=f writes scalar columns; -j 2 writes the same file as one thread', async () => {
    const mid = join(dir, 'mid.txt');
    writeFileSync(mid, capture(3000));
    const [one, two] = [join(dir, 'one.parquet'), join(dir, 'two.parquet')];
    const args = ['-r', mid, '-e', 'nas_eps.nas_msg_emm_type', '-e', 'nas_eps.security_header_type', '-e', 'nas_eps.gk.gid', '-E', 'occurrence=f'];
    expect((await run('convert', '--to', 'parquet', '-w', one, ...args)).out).toEqual([`3000 messages written to ${one}`]);
    expect((await run('convert', '--to', 'parquet', '-w', two, '-j', '2', ...args)).out).toEqual([`3000 messages written to ${two}`]);
    expect(readFileSync(two).equals(readFileSync(one))).toBe(true);
    const types = Object.fromEntries((await rows(`DESCRIBE SELECT * FROM read_parquet('${one}')`)).map((c) => [c.column_name, c.column_type]));
    expect(types['nas_eps.security_header_type']).toBe('INTEGER');
    const shown = (await run('-r', mid, '-T', 'fields', '-e', 'nas_eps.security_header_type', '-E', 'occurrence=f')).out;
    const tally = new Map<string, number>();
    for (const v of shown) tally.set(v, (tally.get(v) ?? 0) + 1);
    const byType = await rows(`SELECT "nas_eps.security_header_type" t, count(*) n FROM read_parquet('${one}') GROUP BY 1`);
    expect(new Map(byType.map((t) => [t.t === null ? '' : String(t.t), Number(t.n)]))).toEqual(tally);
    expect(tally.size).toBeGreaterThan(1);
  });

  it('refuses bad options with exit 1, unreadable input and unwritable output with exit 2, leaving no file', async () => {
    const out = join(dir, 'none.parquet');
    const noField = await run('convert', '--to', 'parquet', '-r', 'captures/nas-eps-samples.txt', '-w', out);
    expect([noField.code, noField.err]).toEqual([1, 'mtcgk: convert --to parquet needs at least one -e FIELD (see mtcgk --help)']);
    const missing = await run('convert', '--to', 'parquet', '-r', join(dir, 'absent.txt'), '-w', out, '-e', 'nas_eps.seq_no');
    expect(missing.code).toBe(2);
    expect(() => readFileSync(out)).toThrow();
    const unwritable = await run('convert', '--to', 'parquet', '-r', 'captures/nas-eps-samples.txt', '-w', join(dir, 'no-such-dir', 'x.parquet'), '-e', 'nas_eps.seq_no');
    expect([unwritable.code, unwritable.err]).toEqual([2, `mtcgk: The file "${join(dir, 'no-such-dir', 'x.parquet')}" could not be written: ENOENT`]);
  });
});
