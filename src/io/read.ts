import { detectFormat, type FormatName } from './detect.js';
import { readHexdump, readOd, readText2pcap, readXxd } from './dumps.js';
import type { Direction, Frame } from './frame.js';
import { readHexLines } from './hexlines.js';
import { InputError } from './input-error.js';
import { readJsonl } from './jsonl.js';
import type { PacketReadOptions } from './link-types.js';
import { readPcap } from './pcap.js';
import { readPcapng } from './pcapng.js';
import { readRaw } from './raw.js';
import { decodeText } from './text.js';

export interface ReadOptions extends PacketReadOptions {
  /** Names the input in frame sources and errors, e.g. the file name. */
  source: string;
  /** Forces a format instead of detecting it. */
  format?: FormatName;
  /** For frames whose input gives no direction. */
  defaultDirection?: Direction;
}

const TEXT_READERS: Record<Exclude<FormatName, 'raw' | 'pcap' | 'pcapng'>, (text: string, source: string) => Frame[]> = {
  hexlines: readHexLines,
  text2pcap: readText2pcap,
  hexdump: readHexdump,
  xxd: readXxd,
  od: readOd,
  jsonl: readJsonl,
};

/** Frames from an input in any supported format; throws an InputError for unusable input. */
export function readFrames(bytes: Uint8Array, options: ReadOptions): Frame[] {
  const { source, defaultDirection } = options;
  const format = options.format ?? detectFormat(bytes);
  let frames: Frame[];
  if (format === 'pcap') frames = readPcap(bytes, source, options);
  else if (format === 'pcapng') frames = readPcapng(bytes, source, options);
  else if (format === 'raw') frames = readRaw(bytes, source);
  else {
    const text = decodeText(bytes);
    if (text === undefined) throw new InputError(source, `not UTF-8 text, as ${format} input must be`);
    frames = TEXT_READERS[format](text, source);
  }
  return defaultDirection ? frames.map((frame) => (frame.direction ? frame : { ...frame, direction: defaultDirection })) : frames;
}
