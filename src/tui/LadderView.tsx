import { Box, Text } from 'ink';
import { LEAD_WIDTH } from '../flows/ladder.js';
import { fit } from './fit.js';
import type { Ladder } from './ladder.js';
import { scrolled, type Scroll } from './state.js';
import { SEVERITY_COLOR } from './tree-rows.js';

interface Props {
  ladder: Ladder;
  scroll: Scroll & { left: number };
  /** Rows below the header line. */
  height: number;
  width: number;
}

/** The flow as a ladder diagram (`mtcgk -z flow`): the parties' header, then the visible rows with the cursor row highlighted. */
export function LadderView({ ladder, scroll, height, width }: Props) {
  const top = scrolled(scroll, scroll.cursor, height).top;
  // panning moves the lanes; the No. and step columns stay
  const cut = (text: string) => fit(text.slice(0, LEAD_WIDTH) + text.slice(LEAD_WIDTH + scroll.left), width);
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text bold color="cyan" wrap="truncate">
        {cut(ladder.header)}
      </Text>
      {ladder.rows.length === 0 ? (
        <Text dimColor>No packets</Text>
      ) : (
        ladder.rows.slice(top, top + height).map((r, i) => {
          const severity = r.kind === 'message' ? ladder.severity[r.frame] : undefined;
          return (
            <Text key={top + i} wrap="truncate" inverse={top + i === scroll.cursor} color={severity && SEVERITY_COLOR[severity]} dimColor={r.kind === 'note'}>
              {cut(r.text)}
            </Text>
          );
        })
      )}
    </Box>
  );
}
