import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-cli-'));
const file = join(dir, 'caps.txt');
writeFileSync(file, '# two messages\nDL 07 55 01\nUL t2: 0x07,0x5e\n37aabbccdd00075d020102e0e0\n');

describe('mtcgk CLI', () => {
  it('prints a tshark-like tree with -V', async () => {
    const r = await run('--hex', '075501', '-V');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Non-Access-Stratum (NAS)PDU');
    expect(r.out).toContain('    0000 .... = Security header type: Plain NAS message, not security protected (0)');
    expect(r.out).toContain('    .... 0111 = Protocol discriminator: EPS mobility management messages (0x7)');
    expect(r.out).toContain('    NAS EPS Mobility Management Message Type: Identity request (0x55)');
    expect(r.out).toMatch(/\.\.\.\. \.001 = Identity type 2: IMSI \(1\)/);
  });

  it('prints fields with repeated occurrences aggregated, per -E', async () => {
    const r = await run('-r', file, '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type', '-e', 'gsm_a.L3_protocol_discriminator');
    expect(r.out.split('\n')).toEqual(['0x55\t0x07', '0x5e\t0x07', '0x5d\t0x07,0x07']);
    const first = await run('-r', file, '-T', 'fields', '-e', 'gsm_a.L3_protocol_discriminator', '-E', 'occurrence=l', '-E', 'header=y');
    expect(first.out.split('\n')).toEqual(['gsm_a.L3_protocol_discriminator', '0x07', '0x07', '0x07']);
    const agg = await run('-r', file, '-T', 'fields', '-e', 'nas_eps.security_header_type', '-E', 'aggregator=/s');
    expect(agg.out.split('\n')[2]).toBe('3 0');
  });

  it('writes valid JSON with no duplicate keys', async () => {
    const r = await run('-r', file, '-T', 'json');
    const parsed = JSON.parse(r.out);
    expect(parsed).toHaveLength(3);
    // Re-serialising drops duplicate keys; equal text means there were none.
    expect(JSON.stringify(parsed, null, 2)).toBe(r.out);
    expect(parsed[2]._source.layers['nas-eps']['nas_eps.security_header_type']).toEqual('3');
  });

  it('prints a hex dump with -x', async () => {
    const r = await run('--hex', '075501', '-x');
    expect(r.out).toContain('0000  07 55 01                                          .U.');
  });

  it('exits 1 with one line for a bad option and 2 for unreadable input', async () => {
    const bad = await run('-T', 'pdml', '--hex', '0755');
    expect(bad.code).toBe(1);
    expect(bad.err.split('\n')).toHaveLength(1);
    const missing = await run('-r', join(dir, 'nope.txt'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^mtcgk: The file ".*nope\.txt" could not be read: ENOENT$/);
    writeFileSync(join(dir, 'odd.txt'), '0755 0\n');
    const odd = await run('-r', join(dir, 'odd.txt'));
    expect(odd.code).toBe(2);
    expect(odd.err.split('\n')).toHaveLength(1);
  });

  it('exits 0 for malformed messages and says what is wrong', async () => {
    const r = await run('--hex', '0742', '-V');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Attach accept[Malformed Packet]');
    expect(r.out).toContain('[Expert Info (Error/Malformed)');
  });

  it('encodes a JSON value to hex', async () => {
    const r = await run('encode', '{"message":"identity_request","identity_type":{"type":1}}');
    expect(r.out).toBe('075501');
  });

  it('lists the field catalogue like tshark -G fields', async () => {
    const r = await run('fields');
    const line = r.out.split('\n').find((l) => l.split('\t')[2] === 'nas_eps.security_header_type');
    expect(line?.split('\t')).toEqual(['F', 'Security header type', 'nas_eps.security_header_type', 'FT_UINT8', 'nas-eps', 'BASE_DEC', '0x0', '']);
  });
});

describe('mtcgk convert', () => {
  it('writes a pcapng that tshark opens with no settings, and hex lines that read back the same', async () => {
    const { execFileSync } = await import('node:child_process');
    const pcap = join(dir, 'caps.pcapng');
    const r = await run('convert', '--to', 'pcapng', '-r', file, '-w', pcap);
    expect(r.code).toBe(0);
    const lines = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n');
    expect(lines).toEqual(['0x55', '0x5e', '0x5d']);
    const hex = join(dir, 'caps.hex');
    expect((await run('convert', '--to', 'hex', '-r', pcap, '-w', hex)).code).toBe(0);
    const back = await run('-r', hex, '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type');
    expect(back.out.split('\n')).toEqual(['0x55', '0x5e', '0x5d']);
  });

  it('rejects a missing target format with exit 1', async () => {
    expect((await run('convert', '-r', file, '-w', join(dir, 'x'))).code).toBe(1);
  });
});

describe('-O', () => {
  it('prints details only for the named protocols', async () => {
    const nas = await run('--hex', '075501', '-O', 'nas-eps');
    expect(nas.out).toContain('Identity type 2: IMSI');
    const other = await run('--hex', '075501', '-O', 'gmsg');
    expect(other.out).not.toContain('Identity type 2');
    expect(other.out).toContain('Identity request');
  });
});

describe('tshark habits', () => {
  it('takes values attached to one-letter options and grouped flags', async () => {
    const attached = await run('-r', file, '-c1', '-Tfields', '-enas_eps.nas_msg_emm_type', '-eframe.number');
    expect(attached).toMatchObject({ code: 0, out: '0x55\t1' });
    const grouped = await run('--hex', '075501', '-Vx');
    expect(grouped.out).toContain('Identity type 2: IMSI (1)');
    expect(grouped.out).toContain('0000  07 55 01');
  });

  it('rejects -e names outside the field catalogue, and -e without -T fields, with exit 1', async () => {
    const unknown = await run('-r', file, '-T', 'fields', '-e', 'no_such.field', '-e', 'nas_eps.nas_msg_emm_type');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^mtcgk: Some fields aren't valid: no_such\.field /);
    expect(unknown.out).toBe('');
    const { FRAME_FIELDS } = await import('../../src/output/frame-fields.js');
    const { defaultGrammar } = await import('../../src/grammar/load.js');
    // every catalogue name is accepted
    const names = [...FRAME_FIELDS.map((f) => f.filter), ...defaultGrammar().fields.keys()];
    const all = await run('--hex', '075501', '-T', 'fields', ...names.flatMap((n) => ['-e', n]));
    expect(all.code).toBe(0);
    expect(all.out.split('\t')).toHaveLength(names.length);
    const noT = await run('-r', file, '-e', 'frame.number');
    expect(noT.code).toBe(1);
    expect(noT.err).toContain('-e FIELD needs -T fields');
  });

  it('takes protocol names for --proto and -O, and rejects others with exit 1', async () => {
    for (const args of [
      ['--proto', 'foo'],
      ['-O', 'nas_eps'],
      ['-O', 'nas-eps,bar'],
    ]) {
      const r = await run('--hex', '075501', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(/is not a protocol \(diameter, gmsg, nas-eps\)/);
    }
    const only = await run('--hex', '075501', '-O', 'diameter');
    expect(only.code).toBe(0);
    expect(only.out).not.toContain('Non-Access-Stratum');
  });

  it('uses the frame layer in -Y and -e as in -T json', async () => {
    const r = await run('-r', file, '-Y', 'frame.number >= 2 && frame.direction == "ul"', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.source', '-e', 'frame.direction');
    expect(r.out).toBe(`2\t${file}:3\tul`);
  });

  it('lists fields with -G fields, counts expert items with -z expert, and prints only the table with -q', async () => {
    const g = await run('-G', 'fields');
    expect(g.out).toContain('F\tFrame Number\tframe.number\tFT_UINT32\tframe\tBASE_DEC');
    const z = await run('-r', file, '-q', '-2', '-z', 'expert');
    expect(z.code).toBe(0);
    expect(z.out.split('\n')).toEqual([
      '',
      'Chats (1)',
      '===========',
      '   Frequency      Group           Protocol  Summary',
      '           1   Security            NAS-EPS  no NAS security context: MAC not verified',
    ]);
  });
});

describe('help', () => {
  it('gives every command its usage with --help, and mtcgk help [COMMAND]', async () => {
    for (const [args, usage] of [
      [['convert', '--help'], 'Usage: mtcgk convert'],
      [['export', 'lua', '--help'], 'Usage: mtcgk export lua'],
      [['corpus', 'export', '--help'], 'mtcgk corpus export DIR'],
      [['keys', 'export', '--help'], 'Usage: mtcgk keys export'],
      [['gmsg', 'protect', '--help'], 'Usage: mtcgk gmsg protect'],
      [['flow', '-h'], 'Usage: mtcgk flow'],
      [['help', 'convert'], 'Usage: mtcgk convert'],
      [['help'], 'mtcgk fuzz [--target'],
    ] as const) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toContain(usage);
    }
    const main = (await run('--help')).out;
    for (const word of ['mtcgk fuzz', 'mtcgk corpus export', 'mtcgk keys', 'TUI', '-z expert', '-G fields']) expect(main).toContain(word);
  });

  it('names a missing required option, and reads --keys before the verb as not a verb', async () => {
    const keys = 'captures/group-keys.keys.json';
    const noVerb = await run('gmsg', '--keys', keys);
    expect(noVerb.code).toBe(1);
    expect(noVerb.err).toMatch(/^mtcgk: gmsg takes protect or verify/);
    const noGki = await run('gmsg', 'protect', '--keys', keys, '--gid', '00000001-001-01-01', '--count', '1', '--payload', '00');
    expect(noGki.err).toBe('mtcgk: gmsg protect needs --gki N (see mtcgk --help)');
    const noCount = await run('gmsg', 'protect', '--keys', keys, '--gid', '00000001-001-01-01', '--gki', '1', '--payload', '00');
    expect(noCount.err).toBe('mtcgk: gmsg protect needs --count C or --state FILE (see mtcgk --help)');
  });
});

describe('convert', () => {
  it('keeps protocol and direction in hex lines, so a flow capture reads back the same', async () => {
    const flow = 'captures/flows/fig-1b/flow.pcapng';
    const hex = join(dir, 'flow-hex.txt');
    expect((await run('convert', '--to', 'hex', '-r', flow, '-w', hex)).code).toBe(0);
    const fields = ['-T', 'fields', '-e', 'frame.protocols', '-e', 'frame.direction', '-e', 'diameter.cmd.code', '-e', 'nas_eps.nas_msg_emm_type'];
    const original = await run('-r', flow, ...fields);
    const back = await run('-r', hex, ...fields);
    expect(back.out).toBe(original.out);
    expect(original.out).toMatch(/^diameter\t\t318\t$/m);
    expect(original.out).toMatch(/^nas-eps\tul\t\t0x41$/m);
  });

  it('writes to stdout with -w -', async () => {
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `import { cli } from './src/cli/main.ts'; await cli(process.argv.slice(1));`, '--', 'convert', '--to', 'hex', '-r', file, '-w', '-'],
      { encoding: 'utf8' },
    );
    expect(text).toBe('DL [nas-eps] 07 55 01\nUL [nas-eps] t2: 07 5e\n[nas-eps] 37 aa bb cc dd 00 07 5d 02 01 02 e0 e0\n');
  });
});
