/** Streaming over big captures: incremental reading, flat memory, the same frames as whole-file reading. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decode,
  dissectStream,
  fromHex,
  framesOf,
  InputError,
  LINKTYPE_EXPORTED_PDU,
  lineChunks,
  parseKeys,
  readFrames,
  readHexLines,
  readHexLineStream,
  SecuritySession,
  walk,
  writePcapng,
} from '../../src/index.js';
import { dissectFile, openCapture } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'mtcgk-stream-'));
const captures = (f: string) => new URL(`../../captures/${f}`, import.meta.url);
const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const bytes = (s: string) => new TextEncoder().encode(s);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lineChunks', () => {
  it('cuts text into whole lines, numbered, across chunk boundaries, UTF-8 characters and CRLF', async () => {
    const text = '\uFEFF# é comment\r\nDL a: 07 55 01\r\n\r\nUL 0x07,0x5e\nlast 0755';
    const b = bytes(text);
    // one byte at a time: every boundary falls somewhere, including inside 'é' and between \r and \n
    const chunks = await collect(
      lineChunks(
        Array.from(b, (x) => Uint8Array.of(x)),
        { chunkChars: 8 },
      ),
    );
    expect(chunks.map((c) => c.text).join('\n')).toBe(text.slice(1));
    for (const c of chunks) expect(c.firstLine).toBe(1 + chunks.slice(0, chunks.indexOf(c)).reduce((n, p) => n + p.lines, 0));
    expect(chunks.at(-1)!.bytesRead).toBe(b.length);
  });

  it('reads a web ReadableStream and a Node stream, giving what readHexLines gives for the whole text', async () => {
    const text = readFileSync(captures('nas-eps-samples.txt'), 'utf8');
    const whole = readHexLines(text, 'caps');
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < text.length; i += 100) c.enqueue(bytes(text.slice(i, i + 100)));
        c.close();
      },
    });
    expect(await collect(readHexLineStream(web, { source: 'caps', chunkChars: 256 }))).toEqual(whole);
    expect(await collect(readHexLineStream(Readable.from([Buffer.from(text)]), { source: 'caps', chunkChars: 300 }))).toEqual(whole);
  });

  it('keeps a line that cannot be read far into the stream as a frame naming it, and rejects bytes that are not UTF-8', async () => {
    const lines = Array.from({ length: 5000 }, () => 'DL 075501');
    lines[4321] = 'DL 07550';
    const frames = await collect(readHexLineStream([lines.join('\n')], { source: 'big.txt', chunkChars: 1000 }));
    expect(frames).toHaveLength(5000);
    expect(frames.filter((f) => f.error !== undefined).map((f) => [f.source, f.error])).toEqual([['big.txt:4322', 'big.txt:4322:4: odd number of hex digits']]);
    await expect(collect(readHexLineStream([Uint8Array.of(0x30, 0x37, 0xff, 0x0a)]))).rejects.toThrow(InputError);
  });
});

describe('dissectStream', () => {
  it('verifies a protected capture in order through one session', async () => {
    const session = new SecuritySession(parseKeys(readFileSync(captures('nas-eps-protected.keys.json'), 'utf8'), 'keys'));
    const all = await collect(dissectStream(Readable.from(readFileSync(captures('nas-eps-protected.txt'))), { session, chunkChars: 64 }));
    expect(all.map((d) => d.number)).toEqual(all.map((_, i) => i + 1));
    const status = all.map((d) => [...walk(d.result.tree)].find((n) => n.filter === 'nas_eps.msg_auth_code.status')?.show);
    expect(status).toEqual(all.map(() => 'good'));
  });

  it('pulls the source as it goes: the first frame comes before the rest is read', async () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield 'DL 07 55 01\n'.repeat(100);
      }
    }
    const it = dissectStream(source(), { chunkChars: 4096 })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value?.result.value).toEqual({ message: 'identity_request', identity_type: { type: 1 } });
    expect(pulled).toBeLessThan(10);
    await it.return?.(undefined);
  });

  it('keeps memory flat over a capture much larger than the heap it uses', async () => {
    const line = `DL label: 075501 # ${'padding '.repeat(20)}\n`;
    const per = 200;
    const total = 100_000; // ~20 MB of hex lines, never held whole
    function* source() {
      for (let i = 0; i < total / per; i++) yield line.repeat(per);
    }
    // What the heap keeps, not the garbage not yet collected: a full collection before each sample.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let peak = 0;
    for await (const d of dissectStream(source())) {
      n = d.number;
      if (n % 10_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(n).toBe(total);
    // frames are garbage once dissected: the heap never holds the 20 MB of text, let alone 100k trees
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  }, 60_000);

  it('takes frames already read: framesOf(readFrames(pcapng))', async () => {
    const frames = readFrames(readFileSync(captures('nas-eps-samples.txt')), { source: 's' });
    const read = readFrames(writePcapng(frames, { linkType: LINKTYPE_EXPORTED_PDU }), { source: 'p' });
    const fromStream = await collect(dissectStream(framesOf(read)));
    expect(fromStream.map((d) => d.frame)).toEqual(read);
    expect(fromStream.map((d) => d.result.value)).toEqual(frames.map((f) => decode(f.bytes)));
  });
});

describe('capture files (Node)', () => {
  it('streams hex-line files and reads other formats whole, with the same dissections', async () => {
    const hex = join(dir, 'caps.txt');
    const pcap = join(dir, 'caps.pcapng');
    const text = readFileSync(captures('nas-eps-samples.txt'));
    writeFileSync(hex, text);
    writeFileSync(pcap, writePcapng(readFrames(text, { source: 'x' }), { linkType: LINKTYPE_EXPORTED_PDU }));
    const h = await openCapture(hex);
    expect(h.format).toBe('hexlines');
    expect(h.chunks).toBeDefined();
    expect((await openCapture(pcap)).format).toBe('pcapng');
    const a = await collect(dissectFile(hex));
    const b = await collect(dissectFile(pcap));
    expect(a.map((d) => d.result.value)).toEqual(b.map((d) => d.result.value));
    expect(a[0].frame.source).toBe(`${hex}:4`);
    expect(fromHex('0755')).toHaveLength(2);
  });
});
