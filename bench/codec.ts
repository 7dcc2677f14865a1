/** Decode, dissect and encode throughput over the real NAS-EPS corpus, beside tshark's whole-process rate. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, dissectFull, encode, fromHex } from '../src/index.js';
import { writePcapng } from '../src/io/index.js';
import { realCorpus } from '../test/helpers/fixtures.js';
import { measure, table, type Rate } from './harness.js';

const corpus = realCorpus().map((l) => fromHex(l.hex));

function tsharkRate(): Rate | undefined {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-bench-'));
  const file = join(dir, 'corpus.pcapng');
  // 50 copies so tshark's start-up cost does not dominate.
  const frames = Array.from({ length: 50 }, () => corpus.map((bytes, i) => ({ bytes, protocol: 'nas-eps', source: `#${i}` }))).flat();
  writeFileSync(file, writePcapng(frames, { linkType: 252 }));
  return measure(
    'tshark -V (whole process)',
    'msg',
    () => {
      execFileSync('tshark', ['-r', file, '-V'], { stdio: 'ignore' });
      return frames.length;
    },
    1500,
  );
}

export function codecBench(): string {
  const valid = corpus.map((b) => dissectFull(b).value).filter((v) => v !== undefined);
  const dissectRate = measure('mtcgk dissect (tree + values)', 'msg', () => {
    for (const b of corpus) dissectFull(b);
    return corpus.length;
  });
  const decodeRate = measure('mtcgk decode (strict)', 'msg', () => {
    let n = 0;
    for (const b of corpus) {
      try {
        decode(b);
        n++;
      } catch {
        n++;
      }
    }
    return n;
  });
  const encodeRate = measure('mtcgk encode', 'msg', () => {
    for (const v of valid) encode(v);
    return valid.length;
  });
  const tshark = tsharkRate();
  const rows = [dissectRate, decodeRate, encodeRate, ...(tshark ? [tshark] : [])];
  return table(`NAS-EPS codec over ${corpus.length} corpus messages`, rows, tshark ?? dissectRate) + (tshark ? '' : '\n  (tshark not installed: no comparison)');
}
