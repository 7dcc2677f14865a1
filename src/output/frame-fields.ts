/** The frame layer, as tshark's: fields of the frame itself rather than of a protocol in it. */
import type { FieldInfo } from '../grammar/ir.js';

export interface FrameFacts {
  /** 1-based position in the capture. */
  number: number;
  /** Where the frame was read: `file.txt:12`, `cap.pcapng#3`. */
  source: string;
  direction?: string;
  /** The protocol the frame was dissected as. */
  protocol: string;
}

/** The frame layer's fields for `mtcgk fields`, -e and -Y. */
export const FRAME_FIELDS: readonly FieldInfo[] = [
  { filter: 'frame.number', label: 'Frame Number', ftype: 'FT_UINT32', base: 'BASE_DEC', protocol: 'frame' },
  { filter: 'frame.source', label: 'Read from', ftype: 'FT_STRING', base: 'BASE_NONE', protocol: 'frame' },
  { filter: 'frame.protocols', label: 'Protocols in frame', ftype: 'FT_STRING', base: 'BASE_NONE', protocol: 'frame' },
  { filter: 'frame.direction', label: 'Direction', ftype: 'FT_STRING', base: 'BASE_NONE', protocol: 'frame' },
];

/** The frame layer's values, in the order -T json shows them; `frame` itself is present. */
export function frameFields(f: FrameFacts): Map<string, string[]> {
  const values = new Map([
    ['frame', ['']],
    ['frame.number', [String(f.number)]],
    ['frame.source', [f.source]],
    ['frame.protocols', [f.protocol]],
  ]);
  if (f.direction) values.set('frame.direction', [f.direction]);
  return values;
}
