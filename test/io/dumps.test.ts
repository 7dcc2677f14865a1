import { describe, expect, it } from 'vitest';

import { readHexdump, readOd, readText2pcap, readXxd } from '../../src/io/index.js';
import { toHex } from '../../src/engine/hex.js';
import { attachAccept, errorOf, fixtureText, messages } from './helpers.js';

const hexOf = (frames: { bytes: Uint8Array }[]) => frames.map((f) => toHex(f.bytes));

describe('whole-file dumps made by hexdump -C, xxd and od -Ax -tx1', () => {
  it.each([
    ['attach-accept.hexdump', readHexdump],
    ['attach-accept.xxd', readXxd],
    ['attach-accept.g4.xxd', readXxd],
    ['attach-accept.od', readOd],
  ])('%s is the Attach accept', (name, read) => {
    const frames = read(fixtureText(name), name);
    expect(frames).toEqual([{ bytes: expect.any(Uint8Array), source: `${name}:1` }]);
    expect(hexOf(frames)).toEqual([attachAccept.hex]);
  });

  it.each([
    ['ef-filled.hexdump', readHexdump],
    ['ef-filled.od', readOd],
  ])('%s repeats the line before each * up to the next offset', (name, read) => {
    expect(hexOf(read(fixtureText(name), name))).toEqual(['ef'.repeat(120)]);
  });

  it('reads the * of xxd -a, which stands for lines of zeros', () => {
    expect(hexOf(readXxd(fixtureText('zero-run.xxd'), 'z'))).toEqual([`075e23093395684292874145f0${'00'.repeat(67)}5200c2`]);
  });

  it.each([
    ['readHexdump', '00000000  07 55 0|.U.|\n', 'd:1:17: odd number of hex digits', readHexdump],
    ['readHexdump', '00000000  07 55 01  |.U.|\n00000004\n', 'd:2:1: offset 0x4 does not follow the 3 bytes before it', readHexdump],
    ['readHexdump', '$ hexdump -C f\n', 'd:1:1: not a hexdump -C line', readHexdump],
    ['readHexdump', '*\n00000010\n', "d:1:1: '*' before any data", readHexdump],
    ['readHexdump', '00000000  07 55 01  |.U.|\n*\n', "d:2:1: '*' without a following offset", readHexdump],
    ['readHexdump', '00000010  07 55 01  |.U.|\n', 'd:1:1: first offset is 0x10, not 0', readHexdump],
    ['readHexdump', '\n\n', 'd: no hexdump -C lines', readHexdump],
    ['readXxd', '00000000: 0755 0g  .U.\n', 'd:1:17: non-hex character "g"', readXxd],
    ['readXxd', '00000000  07 55\n', 'd:1:1: not a xxd line', readXxd],
    ['readOd', '000000 07 55 01\n000000 07\n', 'd:2:1: offset 0x0 does not follow the 3 bytes before it', readOd],
  ])('%s fails on %j with %j', (_, text, message, read) => {
    expect(errorOf(() => read(text, 'd'))).toBe(message);
  });
});

describe('readText2pcap', () => {
  it('reads text2pcap input of hexdump -C and od dumps, with the -D I/O lines as directions', () => {
    const frames = readText2pcap(fixtureText('messages.t2p.txt'), 'm.txt');
    expect(hexOf(frames)).toEqual(messages.map((m) => m.hex));
    expect(frames.map((f) => f.direction)).toEqual(messages.map((m) => m.direction));
    expect(frames[1]?.source).toBe('m.txt:5');
  });

  it('reads tshark -x output', () => {
    expect(hexOf(readText2pcap(fixtureText('messages-147.tshark-x.txt'), 'x'))).toEqual(messages.map((m) => m.hex));
  });

  it('keeps the first data source (Frame) of a tshark -x packet and skips the reassembled one', () => {
    const frames = readText2pcap(fixtureText('ip-fragments.tshark-x.txt'), 'x');
    expect(hexOf(frames)).toEqual(hexOf(readText2pcap(fixtureText('ip-fragments.t2p.txt'), 't')));
    expect(frames.map((f) => f.bytes.length)).toEqual([58, 53]);
    expect(frames[1]?.source).toBe('x:7');
  });

  it('does not read an ASCII column that looks like hex', () => {
    // tshark -x layout: the ASCII column follows three spaces, also on a packet's last line
    expect(hexOf(readText2pcap('0000  61 62                                              ab\n', 't'))).toEqual(['6162']);
    // two spaces: the next offset shows that "ab cd" was not data, as text2pcap decides
    const text = '0000  61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70  ab cd\n0010  71\n';
    expect(hexOf(readText2pcap(text, 't'))).toEqual(['6162636465666768696a6b6c6d6e6f7071']);
  });

  it('takes I/O before the offset, ignores other text, and starts a packet at each offset 0', () => {
    const text = 'tshark says hello\nO 0000 52 00 c2\nI 0000 07 55\n  0002 01\nthe end\n';
    const frames = readText2pcap(text, 't');
    expect(frames.map((f) => [toHex(f.bytes), f.direction, f.source])).toEqual([
      ['5200c2', 'ul', 't:2'],
      ['075501', 'dl', 't:3'],
    ]);
  });

  it.each([
    ['0000 07 55\n0004 01\n', 't:2:1: offset 0x4 does not follow the 2 bytes before it'],
    ['0010 07 55\n', 't:1:1: first offset is 0x10, not 0'],
    ['07 55 01\n', 't: no hex dump lines (an offset of 0 followed by bytes)'],
  ])('fails on %j with %j', (text, message) => {
    expect(errorOf(() => readText2pcap(text, 't'))).toBe(message);
  });
});
