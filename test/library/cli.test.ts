/** mtcgk over capture files: -T fields streamed, -j N in worker threads with the output of -j 1, the progress line. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, LINKTYPE_EXPORTED_PDU, readFrames, toHex, writePcapng } from '../../src/index.js';
import { JOB_SIZE } from '../../src/stream/cli.js';
import { Progress } from '../../src/stream/progress.js';
import { runCli as run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-jobs-'));
const capture = (f: string) => fileURLToPath(new URL(`../../captures/${f}`, import.meta.url));

// Plain group key distributions: Gki 1, Gki 2, Gki 1 with new keys (reused), Gki 2 with other keys (conflict),
// far apart so that -j puts them in different workers: the audit must still see them in order.
const gkd = (gki: number, k: string) =>
  toHex(
    encode({ message: 'group_key_distribution', group_key_information: { groups: [{ gid: '00000001-001-01-01', gki, ciphering: 2, integrity: 2, gk_conf: k.repeat(16), gk_integ: k.repeat(16) }] } }),
  );
const audit = join(dir, 'audit.txt');
const samples = readFileSync(capture('nas-eps-samples.txt'), 'utf8');
writeFileSync(audit, [samples, `DL k1: ${gkd(1, 'aa')}`, samples, `DL k2: ${gkd(2, 'bb')}`, samples, `DL k1-again: ${gkd(1, 'cc')}`, samples, `DL k2-again: ${gkd(2, 'dd')}`, samples].join('\n'));
const pcapng = join(dir, 'samples.pcapng');
writeFileSync(pcapng, writePcapng(readFrames(Buffer.from(samples), { source: 's' }), { linkType: LINKTYPE_EXPORTED_PDU }));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mtcgk -j N', () => {
  const saved = { ...JOB_SIZE };
  beforeAll(() => Object.assign(JOB_SIZE, { chars: 700, frames: 7 })); // many small jobs
  afterAll(() => Object.assign(JOB_SIZE, saved));

  // every output format, and -c / -Y that cut the output; the pcapng is read whole and sent as frames
  const cases: Array<[string, string[]]> = [
    ['audit', ['-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type', '-e', 'nas_eps.gk.gki', '-E', 'header=y']],
    ['audit', ['-V', '-x', '-c', '150']],
    ['audit', ['-T', 'json', '-Y', 'nas_eps.gk.gki == 1']],
    ['pcapng', []],
    ['pcapng', ['-T', 'jsonl', '-c', '20']],
  ];

  it.each(cases)(
    'prints what -j 1 prints, in capture order: %s %s',
    async (which, args) => {
      const file = which === 'audit' ? audit : pcapng;
      const one = await run('-r', file, ...args);
      const many = await run('-r', file, '-j', '2', ...args);
      expect(many.code).toBe(0);
      expect(many.err).toBe('');
      expect(many.out).toBe(one.out);
      expect(one.out.length).toBeGreaterThan(100);
    },
    30_000,
  );

  it('sees the group key audit across workers (Gki reuse and conflict)', async () => {
    const r = await run('-r', audit, '-j', '2', '-V', '-Y', 'nas_eps.gk.gki');
    expect(r.out).toMatch(/Gki 1 of 00000001-001-01-01 reused with new keys/);
    expect(r.out).toMatch(/Gki 2 distributed with different keys/);
  });

  it('falls back to one thread with --keys, as NAS security follows the capture', async () => {
    const args = ['-r', capture('nas-eps-protected.txt'), '--keys', capture('nas-eps-protected.keys.json'), '-T', 'fields', '-e', 'nas_eps.msg_auth_code.status'];
    const r = await run(...args, '-j', '4');
    expect(r.out.split('\n')).toEqual(Array(15).fill('good'));
    expect(r.out).toBe((await run(...args)).out);
  });

  it('shows a bad line far into a streamed file as a malformed packet, counts it on stderr, and goes on (exit 0)', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `${'DL 075501\n'.repeat(300)}DL 07550\nUL 075e\n`);
    for (const jobs of ['1', '2']) {
      const r = await run('-r', bad, '-j', jobs, '-T', 'fields', '-e', 'frame.number', '-e', 'nas_eps.nas_msg_emm_type');
      expect(r.code).toBe(0);
      expect(r.out.split('\n').slice(-3)).toEqual(['300\t0x55', '301\t', '302\t0x5e']);
      expect(r.err).toBe(`mtcgk: 1 line could not be read, shown as malformed packets; the first: ${bad}:301:4: odd number of hex digits`);
    }
  });

  it('exits 2 for a file in which no line can be read, printing nothing', async () => {
    const bad = join(dir, 'none.txt');
    writeFileSync(bad, 'zz\nDL 0755 0\n');
    const r = await run('-r', bad);
    expect(r).toEqual({ code: 2, out: '', err: `mtcgk: ${bad}:1:1: non-hex character "z" (no line of 2 could be read)` });
  });

  it('exits 2 for a missing file and for one with no messages, as without streaming', async () => {
    expect((await run('-r', join(dir, 'nope.txt'), '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type', '-j', '2')).err).toMatch(/could not be read: ENOENT$/);
    writeFileSync(join(dir, 'empty.txt'), '# nothing\n');
    expect(await run('-r', join(dir, 'empty.txt'), '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type')).toMatchObject({ code: 2, err: `mtcgk: ${join(dir, 'empty.txt')}: has no messages` });
    expect((await run('-r', audit, '-j', '0')).code).toBe(1);
  });
});

describe('progress line', () => {
  it('draws frames, bytes and rate in place after a delay, and erases itself', () => {
    const seen: string[] = [];
    const p = new Progress(2_000_000, (s) => void seen.push(s), 0);
    p.update(10, 1_000_000);
    p.update(20, 1_500_000); // within 200 ms: not redrawn
    p.done();
    expect(seen).toHaveLength(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the progress line ends with the erase-line escape
    expect(seen[0]).toMatch(/^\rmtcgk: 10 frames, 1\.0\/2\.0 MB \(50%\), \d+ frames\/s\x1b\[K$/);
    expect(seen[1]).toBe('\r\x1b[K');
  });
});
