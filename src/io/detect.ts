import { dataView } from './binary.js';
import { PCAP_MAGIC } from './pcap.js';
import { PCAPNG_SHB } from './pcapng.js';
import { decodeText, textLines } from './text.js';

export const FORMAT_NAMES = ['hexlines', 'text2pcap', 'hexdump', 'xxd', 'od', 'raw', 'pcap', 'pcapng', 'jsonl'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** How the first line that is neither blank nor a `#` comment starts, format by format; hex lines otherwise. */
const FIRST_LINES: ReadonlyArray<readonly [FormatName, RegExp]> = [
  ['jsonl', /^\s*\{/],
  ['hexdump', /^0{8} {2}[0-9a-f]{2} .*\|/i],
  ['xxd', /^0{8}: [0-9a-f]{2}/i],
  ['od', /^0{6,7}( [0-9a-f]{2})+\s*$/i],
  // a text2pcap -D direction, an offset of 0 followed by a byte, or a tshark data-source header
  ['text2pcap', /^\s*(?:[IO]\s*$|(?:[IO]\s+)?0{3,}[ \t]+[0-9a-f]{2}(?:\s|$)|\S.*\(\d+ bytes\):\s*$)/i],
];

/** Captures by their magic number, text formats by their first meaningful line, and raw binary when the input is not text. */
export function detectFormat(bytes: Uint8Array): FormatName {
  if (bytes.length >= 4) {
    const view = dataView(bytes);
    if (view.getUint32(0) === PCAPNG_SHB) return 'pcapng';
    if (PCAP_MAGIC.has(view.getUint32(0, false)) || PCAP_MAGIC.has(view.getUint32(0, true))) return 'pcap';
  }
  const text = decodeText(bytes);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters other than whitespace mark binary input
  if (text === undefined || /[\0-\x08\x0e-\x1f\x7f]/.test(text)) return 'raw';
  const first = textLines(text).find(({ text: line }) => line.trim() && !line.trimStart().startsWith('#'));
  return FIRST_LINES.find(([, pattern]) => pattern.test(first?.text ?? ''))?.[0] ?? 'hexlines';
}
