// Runs the real tshark on files we write. It fails, not skips, when tshark is missing: CI installs it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { INBOUND, readJsonl, readText2pcap, writePcapng } from '../../src/io/index.js';
import { toHex } from '../../src/engine/hex.js';
import { fixtureText, messages } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tshark = (...args: string[]) => execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const frames = readJsonl(fixtureText('messages.jsonl'), 'messages.jsonl').map((f) => ({ ...f, protocol: 'nas-eps' }));

function written(name: string, linkType: 147 | 252): string {
  const path = join(dir, name);
  writeFileSync(path, writePcapng(frames, { linkType }));
  return path;
}

const fieldRows = (output: string) =>
  output
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));

describe('tshark', () => {
  it('is installed', () => {
    expect(tshark('--version')).toMatch(/^TShark \(Wireshark\) \d/);
  });

  it('opens our exported-PDU pcapng with no settings and dissects nas-eps, with our labels and directions', () => {
    const path = written('exported.pcapng', 252);
    const rows = fieldRows(tshark('-r', path, '-T', 'fields', '-e', 'frame.protocols', '-e', 'frame.comment', '-e', 'frame.packet_flags_direction'));
    expect(rows.map(([protocols]) => protocols)).toEqual(messages.map(() => expect.stringMatching(/^exported_pdu:nas-eps\b/)));
    expect(rows.map(([, comment]) => comment)).toEqual(messages.map((m) => m.name));
    const flags = messages.map((m) => (m.direction ? (m.direction === INBOUND ? '0x00000001' : '0x00000002') : ''));
    expect(rows.map(([, , direction]) => direction ?? '')).toEqual(flags);
  });

  it('sees the bytes we wrote: tshark -x of our file reads back to the messages', () => {
    const path = written('exported-x.pcapng', 252);
    const pdus = readText2pcap(tshark('-r', path, '-x'), 'tshark -x').map((f) => toHex(f.bytes));
    expect(pdus).toEqual(messages.map((m) => `000c00086e61732d6570730000000000${m.hex}`));
  });

  it('dissects our USER0 pcapng as nas-eps with the user_dlts table set', () => {
    const path = written('user0.pcapng', 147);
    const uat = 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""';
    const rows = fieldRows(tshark('-o', uat, '-r', path, '-T', 'fields', '-e', 'frame.protocols'));
    expect(rows.map(([protocols]) => protocols)).toEqual(messages.map(() => expect.stringMatching(/^user_dlt:nas-eps\b/)));
  });
});
