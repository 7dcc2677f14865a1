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
  /** In copy mode: the rows Enter copies, start..end-1. */
  copied?: { start: number; end: number };
}

const marker = (r: Row) => (r.open ? '[-] ' : r.expandable ? '[+] ' : '    ');

/** The packet details: the visible part of the flattened tree, with the cursor row highlighted. */
export function DetailTree({ rows, sources, scroll, height, width, focused, copied }: Props) {
  const top = scrolled(scroll, scroll.cursor, height).top;
  return (
    <Box flexDirection="column" height={height + 1} width={width} flexShrink={0}>
      <Divider title="Packet details" width={width} focused={focused} />
      {rows.slice(top, top + height).map((r, i) => {
        const severity = r.expert?.severity ?? highest(r.node.expert);
        const selected = top + i === scroll.cursor;
        const copying = copied && top + i >= copied.start && top + i < copied.end;
        return (
          <Text
            key={top + i}
            wrap="truncate"
            color={copying ? 'black' : severity && SEVERITY_COLOR[severity]}
            backgroundColor={copying ? 'yellow' : undefined}
            inverse={selected && focused && !copied}
            bold={selected && !focused}
          >
            {fit(`${'  '.repeat(r.depth)}${marker(r)}${rowText(r, sources)}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
