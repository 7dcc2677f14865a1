import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type Frame, InputError, readHexLines, writeHexLines } from '../../src/io/index.js';
import { errorOf } from './helpers.js';
import { toHex } from '../../src/engine/hex.js';

const read = (text: string) => readHexLines(text, 'caps.txt');
const hexOf = (text: string) => read(text).map((f) => toHex(f.bytes));

describe('readHexLines', () => {
  it('reads every hex spelling, one message per line', () => {
    expect(hexOf('07 55 01\n075501\n07:55:01\n0x07,0x55,0x01\n0X07, 0x55, 0x01\n\t07  55,01  \n')).toEqual(Array(6).fill('075501'));
  });

  it('skips blank lines and # comments, and names each frame by its line', () => {
    const frames = read('# capture\n\n07 55 01 # security mode\r\n   \n5200c2\n');
    expect(frames.map((f) => [toHex(f.bytes), f.source])).toEqual([
      ['075501', 'caps.txt:3'],
      ['5200c2', 'caps.txt:5'],
    ]);
  });

  it('reads directions (I = dl, O = ul, as text2pcap -D), times and labels in either order', () => {
    const frames = read(
      [
        'UL 5200c2',
        'dl 075501',
        'I 075501',
        'O 5200c2',
        't1: DL 07 55 01',
        'DL t1: 075501',
        'DL: 075501',
        'Attach accept: UL 1700000000.25 07 55 01',
        '1700000000.000001 DL SMC: 07:55:01',
        'a: b: 0755',
      ].join('\n'),
    );
    expect(frames.map(({ direction, time, label }) => ({ direction, time, label }))).toEqual([
      { direction: 'ul' },
      { direction: 'dl' },
      { direction: 'dl' },
      { direction: 'ul' },
      { direction: 'dl', label: 't1' },
      { direction: 'dl', label: 't1' },
      { direction: 'dl' },
      { direction: 'ul', time: 1700000000.25, label: 'Attach accept' },
      { direction: 'dl', time: 1700000000.000001, label: 'SMC' },
      { label: 'a: b' },
    ]);
  });

  it.each([
    ['07 55 0', 'caps.txt:1:7: odd number of hex digits'],
    ['07 5g 01', 'caps.txt:1:5: non-hex character "g"'],
    ['\n\nt1: DL 0755x1', 'caps.txt:3:12: non-hex character "x"'],
    ['0x07,0x', "caps.txt:1:6: '0x' without hex digits"],
    ['UL DL 0755', 'caps.txt:1:4: second direction'],
    ['1.5 t: 2.5 0755', 'caps.txt:1:8: second time'],
    ['DL t1: ', 'caps.txt:1:8: no hex bytes'],
    ['DL # no message', 'caps.txt:1:4: no hex bytes'],
  ])('%j is read as an unreadable line: %j', (text, message) => {
    const [frame, ...more] = read(`${text}\nDL 0755`);
    expect(more.map((f) => f.bytes)).toEqual([Uint8Array.of(7, 0x55)]);
    expect(frame).toEqual({ bytes: new Uint8Array(0), source: `caps.txt:${message.split(':')[1]}`, error: message });
  });
});

describe('writeHexLines', () => {
  it('writes direction, time, protocol and label before the hex, and reads the protocol back', () => {
    const frames: Frame[] = [
      { bytes: Uint8Array.of(0x07, 0x55, 0x01), direction: 'dl', time: 1700000000.5, label: 'Attach accept', source: 'a' },
      { bytes: Uint8Array.of(0x52, 0x00, 0xc2), protocol: 'diameter', source: 'b' },
    ];
    const text = writeHexLines(frames);
    expect(text).toBe('DL 1700000000.500000 Attach accept: 07 55 01\n[diameter] 52 00 c2\n');
    expect(read(text)[1]).toEqual({ ...frames[1], source: 'caps.txt:2' });
    expect(read('t1: [gmsg] UL 0755')[0]).toMatchObject({ protocol: 'gmsg', direction: 'ul', label: 't1' });
  });

  it.each([
    [{ label: 'UL data' }, 'f.jsonl:4: cannot write label "UL data" as a hex line'],
    [{ label: 'a # b' }, 'f.jsonl:4: cannot write label "a # b" as a hex line'],
    [{ label: ' t1' }, 'f.jsonl:4: cannot write label " t1" as a hex line'],
    [{ label: '' }, 'f.jsonl:4: cannot write label "" as a hex line'],
    [{ time: -1 }, 'f.jsonl:4: cannot write time -1 as a hex line'],
    [{ protocol: 'NAS EPS' }, 'f.jsonl:4: cannot write protocol "NAS EPS" as a hex line'],
    [{ bytes: new Uint8Array(0) }, 'f.jsonl:4: cannot write an empty message as a hex line'],
  ])('refuses %j', (fields, message) => {
    expect(errorOf(() => writeHexLines([{ bytes: Uint8Array.of(7), source: 'f.jsonl:4', ...fields }]))).toBe(message);
  });

  const word = fc.stringMatching(/^[A-Za-z0-9()/.:-]{1,8}$/);
  const label = fc
    .array(word, { minLength: 1, maxLength: 4 })
    .map((words) => words.join(' '))
    .filter((text) => /^[A-Za-z]/.test(text) && !/^(UL|DL|I|O)\b(?![:()/.-])/i.test(text));
  const frame = fc.record(
    {
      bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }),
      direction: fc.constantFrom('ul' as const, 'dl' as const),
      time: fc.integer({ min: 0, max: 4e15 }).map((micros) => micros / 1e6),
      label,
    },
    { requiredKeys: ['bytes'] },
  );
  const parts = ({ bytes, direction, time, label }: Frame) => ({ bytes, direction, time, label });

  it('reads back what it wrote', () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), (frames) => {
        const written = frames.map((f, i) => ({ ...f, source: `#${i}` }));
        expect(read(writeHexLines(written)).map(parts)).toEqual(written.map(parts));
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('either refuses a label or reads it back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (text) => {
        const frame: Frame = { bytes: Uint8Array.of(7), label: text, source: 'x' };
        let written: string;
        try {
          written = writeHexLines([frame]);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          return;
        }
        expect(read(written).map(parts)).toEqual([parts(frame)]);
      }),
      { seed: 2, numRuns: 500 },
    );
  });
});
