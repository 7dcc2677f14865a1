import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type Frame, INBOUND, readFrames, readJsonl, writePcapng } from '../../src/io/index.js';
import { toHex } from '../../src/engine/hex.js';
import { errorOf, fixtureText } from './helpers.js';

const corpus = readJsonl(fixtureText('messages.jsonl'), 'messages.jsonl').map((f) => ({ ...f, protocol: 'nas-eps' }));
const parts = ({ bytes, protocol, direction, time, label }: Frame) => ({ bytes, protocol, direction, time, label });
const readBack = (bytes: Uint8Array, dltMap?: Record<number, string>) => readFrames(bytes, { source: 'w.pcapng', inboundDirection: INBOUND, ...(dltMap && { dltMap }) });

/** Link types of the interface description blocks, in order. */
function interfaceLinkTypes(pcapng: Uint8Array): number[] {
  const view = new DataView(pcapng.buffer, pcapng.byteOffset);
  const linkTypes: number[] = [];
  for (let pos = 0; pos < pcapng.length; pos += view.getUint32(pos + 4, true)) {
    if (view.getUint32(pos, true) === 1) linkTypes.push(view.getUint16(pos + 8, true));
  }
  return linkTypes;
}

describe('writePcapng', () => {
  it('tags exported PDUs as ux-anchors §2 shows', () => {
    const [frame] = corpus;
    const out = writePcapng([frame!], { linkType: 252 });
    expect(toHex(out)).toContain(`000c00086e61732d6570730000000000${toHex(frame!.bytes)}`);
    expect(interfaceLinkTypes(out)).toEqual([252]);
  });

  it.each([252, 147] as const)('writes the corpus messages with link type %i and reads them back', (linkType) => {
    const frames = readBack(writePcapng(corpus, { linkType }));
    expect(frames.map(parts)).toEqual(corpus.map((f) => ({ ...parts(f), time: expect.any(Number) })));
  });

  it('numbers untimed frames a microsecond apart, continuing from the last time', () => {
    const frames = [undefined, undefined, 1700000000.25, undefined].map((time) => ({ bytes: Uint8Array.of(7), source: 's', ...(time && { time }) }));
    expect(readBack(writePcapng(frames, { linkType: 252 })).map((f) => f.time)).toEqual([0, 0.000001, 1700000000.25, 1700000000.250001]);
  });

  it('writes one interface per user link type that the frames need', () => {
    const dltMap = { 147: 'nas-eps', 148: 'gmsg', 149: 'diameter' };
    const frames = ['gmsg', 'nas-eps', 'gmsg', undefined].map((protocol) => ({ bytes: Uint8Array.of(1), source: 's', ...(protocol && { protocol }) }));
    const out = writePcapng(frames, { linkType: 147, dltMap });
    expect(interfaceLinkTypes(out)).toEqual([148, 147]);
    expect(readBack(out, dltMap).map((f) => f.protocol)).toEqual(['gmsg', 'nas-eps', 'gmsg', 'nas-eps']);
  });

  it.each([
    [{ protocol: 'gmsg' }, 's.txt:2: no user link type for protocol "gmsg" in the DLT map'],
    [{ time: -0.5 }, 's.txt:2: cannot write time -0.5'],
  ])('refuses %j', (fields, message) => {
    const frame: Frame = { bytes: Uint8Array.of(7), source: 's.txt:2', ...fields };
    expect(errorOf(() => writePcapng([frame], { linkType: 147 }))).toBe(message);
  });

  const dltMap = { 147: 'nas-eps', 150: 'gmsg', 151: 'diameter' };
  const frame = fc.record(
    {
      bytes: fc.uint8Array({ maxLength: 64 }),
      protocol: fc.constantFrom('nas-eps', 'gmsg', 'diameter'),
      direction: fc.constantFrom('ul' as const, 'dl' as const),
      time: fc.integer({ min: 0, max: 4e15 }).map((micros) => micros / 1e6),
      label: fc.string({ unit: 'grapheme', maxLength: 16 }),
    },
    { requiredKeys: ['bytes', 'protocol', 'time'] },
  );

  it.each([252, 147] as const)('reads back what it wrote with link type %i', (linkType) => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 6 }), (frames) => {
        const written = frames.map((f) => ({ ...f, source: 's' }));
        expect(readBack(writePcapng(written, { linkType, dltMap }), dltMap).map(parts)).toEqual(written.map(parts));
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});
