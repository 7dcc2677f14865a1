import { describe, expect, it } from 'vitest';

import { detectFormat, type FormatName, readFrames, readJsonl } from '../../src/io/index.js';
import { toHex } from '../../src/engine/hex.js';
import { attachAccept, errorOf, fixtureBytes, fixtureText, messages } from './helpers.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it.each<[string, FormatName]>([
    ['attach-accept.bin', 'raw'],
    ['attach-accept.hexdump', 'hexdump'],
    ['ef-filled.hexdump', 'hexdump'],
    ['attach-accept.xxd', 'xxd'],
    ['attach-accept.g4.xxd', 'xxd'],
    ['zero-run.xxd', 'xxd'],
    ['attach-accept.od', 'od'],
    ['ef-filled.od', 'od'],
    ['messages.t2p.txt', 'text2pcap'],
    ['messages-147.tshark-x.txt', 'text2pcap'],
    ['ip-fragments.tshark-x.txt', 'text2pcap'],
    ['messages-147.pcap', 'pcap'],
    ['messages-147-nsec.pcap', 'pcap'],
    ['messages-147.pcapng', 'pcapng'],
    ['messages-252.pcapng', 'pcapng'],
    ['messages.jsonl', 'jsonl'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(fixtureBytes(name))).toBe(format);
  });

  it.each<[string, FormatName]>([
    ['# comment\n\n07 55 01\n', 'hexlines'],
    ['DL t1: 075501\n', 'hexlines'],
    ['0755 01\n', 'hexlines'],
    ['', 'hexlines'],
    ['Frame (53 bytes):\n0000  07 55\n', 'text2pcap'],
    ['I\n0000 07 55\n', 'text2pcap'],
    ['O 000000 07 55\n', 'text2pcap'],
    ['\ufeff{"hex": "0755"}\n', 'jsonl'],
  ])('%j is %s', (input, format) => {
    expect(detectFormat(text(input))).toBe(format);
  });

  it('takes text with control characters or bad UTF-8 for raw binary', () => {
    expect(detectFormat(Uint8Array.of(0x30, 0x37, 0x07))).toBe('raw');
    expect(detectFormat(Uint8Array.of(0x30, 0xff))).toBe('raw');
  });
});

describe('readFrames', () => {
  it('detects the format and reads each fixture to the same messages', () => {
    for (const name of ['messages.t2p.txt', 'messages-147.tshark-x.txt', 'messages-147.pcap', 'messages-147.pcapng', 'messages-252.pcapng', 'messages.jsonl']) {
      expect(readFrames(fixtureBytes(name), { source: name }).map((f) => toHex(f.bytes))).toEqual(messages.map((m) => m.hex));
    }
    for (const name of ['attach-accept.bin', 'attach-accept.hexdump', 'attach-accept.xxd', 'attach-accept.od']) {
      expect(readFrames(fixtureBytes(name), { source: name }).map((f) => toHex(f.bytes))).toEqual([attachAccept.hex]);
    }
  });

  it('gives frames without a direction the default one', () => {
    const frames = readFrames(text('UL 07 55\n5200c2\n'), { source: 's', defaultDirection: 'dl' });
    expect(frames.map((f) => f.direction)).toEqual(['ul', 'dl']);
  });

  it('reads a forced format', () => {
    expect(readFrames(text('0755'), { source: 's', format: 'raw' })).toEqual([{ bytes: text('0755'), source: 's' }]);
  });

  it('passes capture options through', () => {
    const frames = readFrames(fixtureBytes('messages-147.pcapng'), { source: 's', dltMap: { 147: 'gmsg' }, inboundDirection: 'ul' });
    expect(frames[1]).toMatchObject({ protocol: 'gmsg', direction: 'ul' });
  });

  it('refuses bytes that are not UTF-8 for a text format', () => {
    expect(errorOf(() => readFrames(Uint8Array.of(0x30, 0xff), { source: 'b.bin', format: 'hexlines' }))).toBe('b.bin: not UTF-8 text, as hexlines input must be');
  });
});

describe('readJsonl', () => {
  it('reads the corpus layout: name as label, direction from the note', () => {
    const frames = readJsonl(fixtureText('messages.jsonl'), 'm.jsonl');
    expect(frames.map((f) => [toHex(f.bytes), f.direction, f.label])).toEqual(messages.map((m) => [m.hex, m.direction, m.name]));
    expect(frames[2]?.source).toBe('m.jsonl:3');
  });

  it('reads hex, dir, label and proto', () => {
    const input = '{"hex": "07 55 01", "dir": "DL", "label": "t1", "proto": "nas-eps"}\n\n{"hex": "0x52,0x00"}\n';
    expect(readJsonl(input, 'j')).toEqual([
      { bytes: Uint8Array.of(7, 0x55, 1), protocol: 'nas-eps', direction: 'dl', label: 't1', source: 'j:1' },
      { bytes: Uint8Array.of(0x52, 0), source: 'j:3' },
    ]);
  });

  it.each([
    ['{"hex": "07 5"}', 'j:1:13: "hex": odd number of hex digits'],
    ['{"label": "x", "hex": "07zz"}', 'j:1:26: "hex": non-hex character "z"'],
    ['{"hex": "0755"', /^j:1: invalid JSON: /],
    ['["0755"]', 'j:1: not a JSON object'],
    ['{"dir": "dl"}', 'j:1: no "hex" field'],
    ['{"hex": 755}', 'j:1: "hex" is not a string'],
    ['{"hex": "0755", "dir": "up"}', 'j:1: "dir" is not "ul" or "dl"'],
  ])('%j is read as an unreadable line: %j', (line, message) => {
    const [bad, good] = readJsonl(`${line}\n{"hex": "0755"}`, 'j');
    expect(bad).toMatchObject({ bytes: new Uint8Array(0), source: 'j:1' });
    expect(bad!.error).toMatch(message);
    expect(good).toEqual({ bytes: Uint8Array.of(7, 0x55), source: 'j:2' });
  });
});
