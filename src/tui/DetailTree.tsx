import { Box, Text } from 'ink';
import { fit } from './fit.js';
import { highest } from './packets.js';
import { scrolled, type Scroll } from './state.js';
import { rowText, SEVERITY_COLOR, type Row } from './tree-rows.js';
import { Divider } from './Divider.js';

interface Props {
  rows: readonly Row[];
  sources: ReadonlyMap<string, Uint8Array>;
  scroll: Scroll;
  height: number;
  width: number;
  focused: boolean;
}

const marker = (r: Row) => (r.open ? '[-] ' : r.expandable ? '[+] ' : '    ');

/** The packet details: the visible part of the flattened tree, with the cursor row highlighted. */
export function DetailTree({ rows, sources, scroll, height, width, focused }: Props) {
  const top = scrolled(scroll, scroll.cursor, height).top;
  return (
    <Box flexDirection="column" height={height + 1}>
      <Divider title="Packet details" width={width} focused={focused} />
      {rows.slice(top, top + height).map((r, i) => {
        const severity = r.expert?.severity ?? highest(r.node.expert);
        const selected = top + i === scroll.cursor;
        return (
          <Text key={top + i} wrap="truncate" color={severity && SEVERITY_COLOR[severity]} inverse={selected && focused} bold={selected && !focused}>
            {fit(`${'  '.repeat(r.depth)}${marker(r)}${rowText(r, sources)}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
