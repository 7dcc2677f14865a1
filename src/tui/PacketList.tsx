import { Box, Text } from 'ink';
import type { Frame } from '../io/index.js';
import { cell, cells, headerText, listColumns } from './columns.js';
import { fit } from './fit.js';
import type { PacketCache } from './packets.js';
import { scrolled, type Scroll } from './state.js';
import { SEVERITY_COLOR } from './tree-rows.js';

interface Props {
  frames: readonly Frame[];
  shown?: readonly number[];
  packets: PacketCache;
  scroll: Scroll;
  height: number;
  width: number;
  focused: boolean;
  /** Frame indices of the marked packets: a `*` after the number. */
  marks: ReadonlySet<number>;
  /** In copy mode: the selected row is what Enter copies. */
  copying: boolean;
}

/** The packet list: only the visible rows are summarized and drawn. */
export function PacketList({ frames, shown, packets, scroll, height, width, focused, marks, copying }: Props) {
  const count = shown ? shown.length : frames.length;
  const columns = listColumns(frames, width);
  // Expert, the last column before Info, is coloured by severity
  const fixed = columns.filter((c) => c.key !== 'expert');
  const expert = columns.find((c) => c.key === 'expert');
  const top = scrolled(scroll, scroll.cursor, height, count).top;
  const rows = [];
  for (let i = top; i < Math.min(count, top + height); i++) {
    const index = shown ? shown[i] : i;
    const summary = packets.summary(index, frames[index]);
    const cs = cells(frames, index, summary);
    const head = fixed.map((c) => cell(c, cs[c.key], c.key === 'no' && marks.has(index) ? '*' : ' ')).join('');
    const severity = expert ? cell(expert, cs.expert) : '';
    const selected = i === scroll.cursor;
    rows.push(
      <Text key={index} wrap="truncate" inverse={selected && focused && !copying} bold={selected && !focused} backgroundColor={selected && copying ? 'yellow' : undefined}>
        {head}
        <Text color={summary.severity && SEVERITY_COLOR[summary.severity]}>{severity}</Text>
        {fit(cs.info, Math.max(0, width - head.length - severity.length))}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text bold color={focused ? 'cyan' : undefined}>
        {fit(`${headerText(columns)}Info`, width)}
      </Text>
      {count === 0 ? <Text dimColor>{frames.length ? 'No packets match the filter' : 'No packets'}</Text> : rows}
    </Box>
  );
}
