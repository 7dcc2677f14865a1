import { Box, Text } from 'ink';
import type { Frame } from '../io/index.js';
import { fit } from './fit.js';
import type { PacketCache } from './packets.js';
import { scrolled, type Scroll } from './state.js';
import { SEVERITY_NAME } from '../output/text.js';
import { SEVERITY_COLOR } from './tree-rows.js';

interface Props {
  frames: readonly Frame[];
  shown?: readonly number[];
  packets: PacketCache;
  scroll: Scroll;
  height: number;
  width: number;
  focused: boolean;
}

/** The packet list: only the visible rows are summarized and drawn. */
export function PacketList({ frames, shown, packets, scroll, height, width, focused }: Props) {
  const count = shown ? shown.length : frames.length;
  const numberWidth = Math.max(5, String(frames.length).length);
  const columns = (no: string, dir: string, protocol: string, length: string) => `${no.padStart(numberWidth)}  ${dir.padEnd(3)}  ${protocol.padEnd(8)}  ${length.padStart(6)}  `;
  const top = scrolled(scroll, scroll.cursor, height, count).top;
  const rows = [];
  for (let i = top; i < Math.min(count, top + height); i++) {
    const index = shown ? shown[i] : i;
    const frame = frames[index];
    const summary = packets.summary(index, frame);
    const head = columns(String(index + 1), frame.direction?.toUpperCase() ?? '-', summary.protocol.toUpperCase(), String(frame.bytes.length));
    const expert = (summary.severity ? SEVERITY_NAME[summary.severity] : '').padEnd(9);
    const selected = i === scroll.cursor;
    rows.push(
      <Text key={index} wrap="truncate" inverse={selected && focused} bold={selected && !focused}>
        {head}
        <Text color={summary.severity && SEVERITY_COLOR[summary.severity]}>{expert}</Text>
        {fit(summary.info, Math.max(0, width - head.length - expert.length))}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text bold color={focused ? 'cyan' : undefined}>
        {fit(`${columns('No.', 'Dir', 'Protocol', 'Length')}${'Expert'.padEnd(9)}Info`, width)}
      </Text>
      {count === 0 ? <Text dimColor>{frames.length ? 'No packets match the filter' : 'No packets'}</Text> : rows}
    </Box>
  );
}
