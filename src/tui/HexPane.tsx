import { Box, Text } from 'ink';
import { bitPrefix, toHex } from '../engine/format.js';
import { Divider } from './Divider.js';
import { fit } from './fit.js';

/** The bit range of the selected node, when it lies in these bytes. */
export interface Field {
  bitOffset: number;
  bitLength: number;
  bitField: boolean;
}

interface Props {
  /** The packet's data sources: 'frame' and, once deciphered, 'deciphered'. */
  sources: ReadonlyMap<string, Uint8Array>;
  /** The source shown: the selected field's. */
  source: string;
  field?: Field;
  /** Byte under the cursor: the hex pane scrolls to it, and underlines it while focused. */
  cursor: number;
  height: number;
  width: number;
  focused: boolean;
  /** In copy mode: the field's octets are what Enter copies, shown in yellow. */
  copying: boolean;
}

interface Segment {
  text: string;
  lit: boolean;
  underline: boolean;
}

function push(line: Segment[], text: string, lit = false, underline = false): void {
  const last = line.at(-1);
  if (last && last.lit === lit && last.underline === underline) last.text += text;
  else line.push({ text, lit, underline });
}

/** One row of the dump in hexDump's layout (offset, 16 octets, ASCII), split into styled runs. */
function hexLine(bytes: Uint8Array, offset: number, lit: (i: number) => boolean, cursor?: number): Segment[] {
  const line: Segment[] = [];
  push(line, `${offset.toString(16).padStart(4, '0')}  `);
  for (let i = offset; i < offset + 16; i++) {
    if (i >= bytes.length) push(line, '   ');
    else {
      push(line, bytes[i].toString(16).padStart(2, '0'), lit(i), i === cursor);
      // the gap between two highlighted octets is highlighted too, so the field reads as one run
      push(line, ' ', lit(i) && i + 1 < offset + 16 && i + 1 < bytes.length && lit(i + 1));
    }
  }
  push(line, '  ');
  for (let i = offset; i < Math.min(offset + 16, bytes.length); i++) {
    const b = bytes[i];
    push(line, b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.', lit(i), i === cursor);
  }
  return line;
}

/** `37 = .... 0111`: the field's octets with only its bits shown. */
function bitStrip(bytes: Uint8Array, f: Field): string {
  const first = f.bitOffset >> 3;
  const end = (f.bitOffset + f.bitLength + 7) >> 3;
  return `${toHex(bytes.subarray(first, end)).replace(/(..)(?!$)/g, '$1 ')} = ${bitPrefix(bytes, f.bitOffset, f.bitLength)}`;
}

const tabName = (source: string) => (source === 'frame' ? 'Frame' : source.charAt(0).toUpperCase() + source.slice(1));

/** The packet bytes with the selected field's octets in inverse video and, for a bit field, its bit strip. */
export function HexPane({ sources, source, field, cursor, height, width, focused, copying }: Props) {
  const bytes = sources.get(source) ?? new Uint8Array();
  const tabs = [...sources.keys()].map((s) => (s === source ? `[${tabName(s)}]` : ` ${tabName(s)} `)).join(' ');
  const lit = field && field.bitLength > 0 ? (i: number) => i >= field.bitOffset >> 3 && i < (field.bitOffset + field.bitLength + 7) >> 3 : () => false;
  const dumpHeight = Math.max(1, height - 1);
  const rowCount = Math.ceil(bytes.length / 16);
  const top = Math.max(0, Math.min((cursor >> 4) - dumpHeight + 1, rowCount - dumpHeight));
  const lines = [];
  for (let row = top; row < Math.min(rowCount, top + dumpHeight); row++) {
    lines.push(
      <Text key={row} wrap="truncate">
        {hexLine(bytes, row * 16, lit, focused ? cursor : undefined).map((s, i) => (
          <Text key={i} inverse={s.lit && !copying} backgroundColor={s.lit && copying ? 'yellow' : undefined} color={s.lit && copying ? 'black' : undefined} underline={s.underline}>
            {s.text}
          </Text>
        ))}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" height={height + 1} width={width} flexShrink={0}>
      <Divider title={`Packet bytes ${tabs || '[Frame]'}`} width={width} focused={focused} />
      <Box flexDirection="column" height={dumpHeight}>
        {lines}
      </Box>
      <Text wrap="truncate">{field?.bitField ? fit(`      ${bitStrip(bytes, field)}`, width) : ''}</Text>
    </Box>
  );
}
