import { describe, expect, it } from 'vitest';

import { type Frame, readPcap, readPcapng } from '../../src/io/index.js';
import { toHex } from '../../src/engine/hex.js';
import { errorOf, fixtureBytes, messages } from './helpers.js';

const hexOf = (frames: Frame[]) => frames.map((f) => toHex(f.bytes));
const steps = (frames: Frame[]) => frames.slice(1).map((f, i) => Math.round((f.time! - frames[i]!.time!) * 1e6));

/** Copies a little-endian pcap into big-endian byte order. */
function bigEndianPcap(le: Uint8Array): Uint8Array {
  const out = le.slice();
  const from = new DataView(le.buffer, le.byteOffset);
  const to = new DataView(out.buffer);
  const swap = (pos: number, size: 2 | 4) => (size === 2 ? to.setUint16(pos, from.getUint16(pos, true)) : to.setUint32(pos, from.getUint32(pos, true)));
  [0, 8, 12, 16, 20].forEach((pos) => swap(pos, 4));
  [4, 6].forEach((pos) => swap(pos, 2));
  for (let pos = 24; pos < le.length; pos += 16 + from.getUint32(pos + 8, true)) {
    [0, 4, 8, 12].forEach((field) => swap(pos + field, 4));
  }
  return out;
}

describe('readPcap', () => {
  const frames = readPcap(fixtureBytes('messages-147.pcap'), 'p.pcap');

  it('reads text2pcap -F pcap -l 147 output as nas-eps frames', () => {
    expect(hexOf(frames)).toEqual(messages.map((m) => m.hex));
    expect(frames[0]).toMatchObject({ protocol: 'nas-eps', source: 'p.pcap#1' });
    expect(frames[0]?.direction).toBeUndefined();
    expect(steps(frames)).toEqual(Array(6).fill(1));
  });

  it('reads nanosecond pcap (editcap -F nsecpcap) with the same times', () => {
    expect(readPcap(fixtureBytes('messages-147-nsec.pcap'), 'p.pcap')).toEqual(frames);
  });

  it('reads big-endian pcap', () => {
    expect(readPcap(bigEndianPcap(fixtureBytes('messages-147.pcap')), 'p.pcap')).toEqual(frames);
  });

  it('maps link types through the dltMap', () => {
    expect(readPcap(fixtureBytes('messages-147.pcap'), 'p', { dltMap: { 147: 'gmsg' } })[0]?.protocol).toBe('gmsg');
    expect(readPcap(fixtureBytes('messages-147.pcap'), 'p', { dltMap: {} })[0]?.protocol).toBe('linktype:147');
  });

  it.each([
    [(b: Uint8Array) => b.subarray(0, b.length - 36), 'p.pcap#7: truncated packet: 136 bytes recorded, 100 present'],
    [(b: Uint8Array) => b.subarray(0, b.length - 140), 'p.pcap#7: truncated packet record header'],
    [(b: Uint8Array) => b.subarray(0, 20), 'p.pcap: truncated pcap file header'],
    [(b: Uint8Array) => b.subarray(24), 'p.pcap: not a pcap file (bad magic number)'],
  ])('fails on damaged files (%#)', (damage, message) => {
    expect(errorOf(() => readPcap(damage(fixtureBytes('messages-147.pcap')), 'p.pcap'))).toBe(message);
  });
});

/** Builds pcapng blocks field by field, in either byte order, for what neither text2pcap nor our writer produce. */
class Bytes {
  readonly out: number[] = [];
  constructor(readonly littleEndian: boolean) {}
  private put(size: number, set: (view: DataView) => void): this {
    const bytes = new Uint8Array(size);
    set(new DataView(bytes.buffer));
    this.out.push(...bytes);
    return this;
  }
  u16 = (v: number) => this.put(2, (d) => d.setUint16(0, v, this.littleEndian));
  u32 = (v: number) => this.put(4, (d) => d.setUint32(0, v, this.littleEndian));
  i64 = (v: bigint) => this.put(8, (d) => d.setBigInt64(0, v, this.littleEndian));
  raw = (bytes: ArrayLike<number>) => {
    this.out.push(...Array.from(bytes), ...Array((4 - (bytes.length % 4)) % 4).fill(0));
    return this;
  };
  option = (code: number, value: ArrayLike<number>) => this.u16(code).u16(value.length).raw(value);
  /** Exported-PDU tags count their padding in the length. */
  tag = (code: number, value: ArrayLike<number>) =>
    this.u16(code)
      .u16((value.length + 3) & ~3)
      .raw(value);
  bytes = () => Uint8Array.from(this.out);
}

function block(littleEndian: boolean, type: number, body: (b: Bytes) => Bytes): number[] {
  const inner = body(new Bytes(littleEndian)).out;
  return new Bytes(littleEndian)
    .u32(type)
    .u32(inner.length + 12)
    .raw(inner)
    .u32(inner.length + 12).out;
}

const shb = (le: boolean) => block(le, 0x0a0d0d0a, (b) => b.u32(0x1a2b3c4d).u16(1).u16(0).i64(-1n));
const text = (s: string) => new TextEncoder().encode(s);

describe('readPcapng', () => {
  it('reads text2pcap -D -l 147 output, with directions from the EPB flags when asked', () => {
    const bytes = fixtureBytes('messages-147.pcapng');
    const frames = readPcapng(bytes, 'p.pcapng', { inboundDirection: 'dl' });
    expect(hexOf(frames)).toEqual(messages.map((m) => m.hex));
    expect(frames.map((f) => f.direction)).toEqual(messages.map((m) => m.direction));
    expect(frames[6]).toMatchObject({ protocol: 'nas-eps', source: 'p.pcapng#7' });
    // text2pcap writes nanosecond timestamps (if_tsresol 9), one microsecond apart
    expect(steps(frames)).toEqual(Array(6).fill(1));
    expect(readPcapng(bytes, 'p').map((f) => f.direction)).toEqual(Array(7).fill(undefined));
    expect(readPcapng(bytes, 'p', { inboundDirection: 'ul' })[1]?.direction).toBe('ul');
  });

  it('reads exported PDUs (link type 252) made with text2pcap -l 252', () => {
    const frames = readPcapng(fixtureBytes('messages-252.pcapng'), 'p');
    expect(hexOf(frames)).toEqual(messages.map((m) => m.hex));
    expect(frames.map((f) => f.protocol)).toEqual(Array(7).fill('nas-eps'));
  });

  it('reads a mergecap file with an interface per link type', () => {
    const frames = readPcapng(fixtureBytes('mixed-interfaces.pcapng'), 'p', { dltMap: { 147: 'gmsg' } });
    expect(hexOf(frames)).toEqual([...messages, ...messages].map((m) => m.hex));
    expect(frames.map((f) => f.protocol)).toEqual([...Array(7).fill('gmsg'), ...Array(7).fill('nas-eps')]);
  });

  it('reads big-endian sections, SPBs, timestamp resolution and offset, comments, and skips unknown blocks', () => {
    const be = false;
    const exportedPdu = new Bytes(false)
      .tag(20, [10, 0, 0, 1]) // IPv4 source: skipped
      .tag(35, [0, 0, 0, 0]) // direction: sent
      .tag(12, text('nas-eps_plain'))
      .u32(0)
      .out.concat([0x52, 0x00, 0xc2]);
    const bytes = Uint8Array.from([
      ...shb(be),
      ...block(be, 1, (b) =>
        b
          .u16(148)
          .u16(0)
          .u32(4)
          .option(9, [0x80 | 10])
          .option(14, new Bytes(be).i64(1000n).out)
          .u32(0),
      ),
      ...block(be, 0x0bad, (b) => b.u32(0xdeadbeef)),
      ...block(be, 6, (b) =>
        b
          .u32(0)
          .u32(0)
          .u32(3 * 1024 + 512)
          .u32(3)
          .u32(3)
          .raw([7, 0x55, 1])
          .option(1, text('t1'))
          .option(2, new Bytes(be).u32(1).out)
          .u32(0),
      ),
      ...block(be, 3, (b) => b.u32(5).raw([7, 0x5d, 1, 2, 3])),
      ...shb(true),
      ...block(true, 1, (b) => b.u16(252).u16(0).u32(0)),
      ...block(true, 6, (b) => b.u32(0).u32(0).u32(2_000_000).u32(exportedPdu.length).u32(exportedPdu.length).raw(exportedPdu)),
    ]);
    expect(readPcapng(bytes, 'p', { dltMap: { 148: 'gmsg' }, inboundDirection: 'dl' })).toEqual([
      { bytes: Uint8Array.of(7, 0x55, 1), protocol: 'gmsg', direction: 'dl', time: 1003.5, label: 't1', source: 'p#1' },
      { bytes: Uint8Array.of(7, 0x5d, 1, 2), protocol: 'gmsg', source: 'p#2' },
      { bytes: Uint8Array.of(0x52, 0x00, 0xc2), protocol: 'nas-eps', direction: 'ul', time: 2, source: 'p#3' },
    ]);
  });

  const idb147 = block(true, 1, (b) => b.u16(147).u16(0).u32(0));
  const epb = (iface: number, captured: number, data: number[], options: number[] = []) => block(true, 6, (b) => b.u32(iface).u32(0).u32(0).u32(captured).u32(data.length).raw(data).raw(options));
  it.each([
    [[...idb147], 'p: not a pcapng file (no section header block)'],
    [[...shb(true), ...idb147.slice(0, 12)], 'p: block at byte 28: bad or truncated block length 20'],
    [[...shb(true), 1, 0, 0, 0], 'p: block at byte 28: truncated block header'],
    [[...shb(true), ...idb147, ...epb(1, 3, [7, 0x55, 1])], 'p#1: packet on undeclared interface 1'],
    [[...shb(true), ...idb147, ...epb(0, 9, [7, 0x55, 1])], 'p#1: captured length 9 runs past the end of its block'],
    [[...shb(true), ...idb147, ...epb(0, 3, [7, 0x55, 1], [1, 0, 9, 0])], 'p: block at byte 48: option or tag 1 runs past the end of its block'],
    [[...shb(true), ...block(true, 1, (b) => b.u16(252).u16(0).u32(0)), ...epb(0, 8, [0, 12, 0, 4, 0x6e, 0x61, 0x73, 0])], 'p#1: exported PDU has no end-of-tags tag'],
  ])('fails on damaged files (%#)', (bytes, message) => {
    expect(errorOf(() => readPcapng(Uint8Array.from(bytes), 'p'))).toBe(message);
  });
});
