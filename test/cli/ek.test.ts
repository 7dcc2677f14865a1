// -T ek against tshark 4.0's -T ek on the same messages, read by tshark as NAS-EPS from user DLT 147.
// Fails, not skips, when tshark is missing: CI installs it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFrames, writePcapng } from '../../src/io/index.js';
import { runCli as run } from '../helpers/cli.js';

const uat = 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""';
const tshark = (...args: string[]) => execFileSync('tshark', ['-o', uat, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }).trimEnd();

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-ek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The sample captures with time stamps (a second and 1.25 ms apart, from 2023-11-14) that tshark
// turns into each document's index and timestamp.
const samples = ['captures/nas-eps-samples.txt', 'captures/group-keys-nas.txt', 'captures/nas-eps-protected.txt'].flatMap((f) => readFrames(readFileSync(f), { source: f }));
const pcap = join(dir, 'samples.pcapng');
writeFileSync(
  pcap,
  writePcapng(
    samples.map((f, i) => ({ ...f, protocol: 'nas-eps', time: 1_700_000_000 + i * 1.00125 })),
    { linkType: 147 },
  ),
);

/** Fields both dissectors render alike on these captures (docs/tshark-agreement.md lists where they differ). */
const agreed = [
  'nas_eps.nas_msg_emm_type',
  'nas_eps.emm.cause',
  'nas_eps.seq_no',
  'nas_eps.msg_auth_code',
  'nas_eps.emm.m_tmsi',
  'e212.imsi',
  'nas_eps.esm.cause',
  'nas_eps.emm.type_of_id',
  'nas_eps.emm.nas_key_set_id',
  'nas_eps.emm.eps_att_type',
];

describe('-T ek', () => {
  it('with -e, equals tshark -T ek document by document', async () => {
    const e = agreed.flatMap((f) => ['-e', f]);
    const ours = await run('-r', pcap, '-T', 'ek', ...e);
    expect(ours.code).toBe(0);
    const theirs = tshark('-r', pcap, '-T', 'ek', ...e).split('\n');
    const lines = ours.out.split('\n');
    expect(lines.length).toBe(samples.length * 2);
    expect(lines).toEqual(theirs);
    // The comparison sees values, times and absent fields: a frame a second later, fields in -e order.
    expect(lines[0]).toBe('{"index":{"_index":"packets-2023-11-14","_type":"doc"}}');
    expect(lines.filter((l) => l.includes('"nas_eps_emm_cause":["'))).not.toHaveLength(0);
    expect(lines[3]).toMatch(/^\{"timestamp":"1700000001001","layers":\{/);
  });

  it('without -e, names and flattens fields as tshark does', async () => {
    const ours = (await run('-r', pcap, '-T', 'ek')).out.split('\n');
    const theirs = tshark('-r', pcap, '-T', 'ek').split('\n');
    expect(ours.length).toBe(theirs.length);
    const docs = (lines: string[]) => lines.filter((_, i) => i % 2 === 1).map((l) => JSON.parse(l) as { timestamp: string; layers: Record<string, Record<string, unknown>> });
    const [a, b] = [docs(ours), docs(theirs)];
    // Messages whose dissections agree in full give the same nas-eps layer: Identity request, EMM cause...
    const same = a.filter((d, i) => JSON.stringify(d.layers['nas-eps']) === JSON.stringify(b[i].layers['nas-eps']));
    expect(same.length).toBeGreaterThanOrEqual(8);
    expect(same.map((d) => d.layers['nas-eps']['nas-eps_nas_eps_nas_msg_emm_type'])).toContain('0x44');
    a.forEach((d, i) => {
      expect(d.timestamp).toBe(b[i].timestamp);
      expect(d.layers.frame.frame_frame_number).toBe(String(i + 1));
    });
  });

  it('carries the verdicts: MAC status, replay status and group key audit findings', async () => {
    const nas = (await run('-r', 'captures/nas-eps-protected.txt', '--keys', 'captures/nas-eps-protected.keys.json', '-T', 'ek')).out.split('\n');
    const statuses = nas.filter((_, i) => i % 2).map((l) => JSON.parse(l).layers['nas-eps']['nas-eps_nas_eps_msg_auth_code_status']);
    expect(statuses).toContain('good');
    const audit = (await run('-r', 'captures/group-keys-audit.txt', '--keys', 'captures/group-keys.keys.json', '-T', 'ek', '-e', '_ws.expert.id', '-e', '_ws.expert.severity')).out.split('\n');
    expect(JSON.parse(audit[1]).layers).toEqual({ _ws_expert_id: ['keys_in_clear', 'keys_before_security_mode'], _ws_expert_severity: ['error', 'warn'] });
    const fields = await run('-r', 'captures/group-keys-audit.txt', '--keys', 'captures/group-keys.keys.json', '-T', 'fields', '-e', '_ws.expert.id', '-e', '_ws.expert.group');
    expect(fields.out.split('\n')[0]).toBe('keys_in_clear,keys_before_security_mode\tsecurity,security');
    const whole = JSON.parse((await run('-r', 'captures/group-keys-audit.txt', '--keys', 'captures/group-keys.keys.json', '-T', 'ek')).out.split('\n')[1]);
    expect(whole.layers['nas-eps']._ws_expert[0]).toEqual({
      'nas-eps_nas_eps_expert_keys_in_clear': null,
      _ws_expert__ws_expert_message: 'group keys in a plain NAS message',
      _ws_expert__ws_expert_severity: 'error',
      _ws_expert__ws_expert_group: 'security',
    });
    const gmsg = (
      await run('--proto', 'gmsg', '-r', 'captures/group-messages-attacks.txt', '--keys', 'captures/group-keys.keys.json', '-T', 'ek', '-e', 'gmsg.mac.status', '-e', 'gmsg.replay.status')
    ).out.split('\n');
    const verdicts = gmsg.filter((_, i) => i % 2).map((l) => JSON.parse(l).layers as Record<string, string[]>);
    expect(verdicts.map((v) => v.gmsg_mac_status?.[0])).toEqual(expect.arrayContaining(['good', 'bad']));
    expect(verdicts.map((v) => v.gmsg_replay_status?.[0])).toContain('replayed');
  });

  it('gives the same lines with -j 2 as with one thread', async () => {
    const one = await run('-r', pcap, '-T', 'ek', '-e', 'nas_eps.nas_msg_emm_type');
    const two = await run('-r', pcap, '-T', 'ek', '-e', 'nas_eps.nas_msg_emm_type', '-j', '2');
    expect(two.code).toBe(0);
    expect(two.out).toBe(one.out);
  });
});
