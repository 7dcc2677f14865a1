import { type Direction, type Frame, unreadableFrame } from './frame.js';
import { parseHex } from '../engine/hex.js';
import { failAt, InputError } from './input-error.js';
import { textLines } from './text.js';

/**
 * JSON lines: `{"hex": "0755", "dir": "dl", "label": "t1", "proto": "nas-eps"}`, or the corpus layout
 * `{"hex", "name", "note": "dir=UL; ..."}` where `name` is the label and the note may start with the
 * direction. `hex` takes the same forms as a hex line. A line that cannot be read is a frame with an
 * `error`, in its place.
 */
export function readJsonl(text: string, source: string): Frame[] {
  const frames: Frame[] = [];
  for (const { text: line, number } of textLines(text)) {
    if (!line.trim()) continue;
    const where = `${source}:${number}`;
    try {
      frames.push(readRecord(line, number, source));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      frames.push(unreadableFrame(where, e));
    }
  }
  return frames;
}

/** One line's record as a frame; throws an InputError naming the line. */
function readRecord(line: string, number: number, source: string): Frame {
  const where = `${source}:${number}`;
  const record = parseObject(line, where);
  const hex = field(record, 'hex', where);
  if (hex === undefined) throw new InputError(where, 'no "hex" field');
  // column of the hex string in the line, unless the line spells it with escapes
  const quote = line.indexOf(JSON.stringify(hex));
  const fail = failAt(source, number);
  const bytes = parseHex(hex, (i, reason) => fail(quote < 0 ? 0 : quote + 1 + i, `"hex": ${reason}`));
  const direction = readDirection(record, where);
  const label = field(record, 'label', where) ?? field(record, 'name', where);
  const protocol = field(record, 'proto', where);
  return {
    bytes,
    ...(protocol !== undefined && { protocol }),
    ...(direction && { direction }),
    ...(label !== undefined && { label }),
    source: where,
  };
}

function parseObject(line: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputError(where, `invalid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(where, 'not a JSON object');
  return value as Record<string, unknown>;
}

function field(record: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = record[key];
  if (value !== undefined && typeof value !== 'string') throw new InputError(where, `"${key}" is not a string`);
  return value;
}

function readDirection(record: Record<string, unknown>, where: string): Direction | undefined {
  const dir = field(record, 'dir', where)?.toLowerCase();
  if (dir === undefined) return /^dir=(UL|DL)\b/i.exec(field(record, 'note', where) ?? '')?.[1]?.toLowerCase() as Direction | undefined;
  if (dir !== 'ul' && dir !== 'dl') throw new InputError(where, '"dir" is not "ul" or "dl"');
  return dir;
}
