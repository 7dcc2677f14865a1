import { Box, Text } from 'ink';

const KEYS: [string, string][] = [
  ['Tab / Shift-Tab', 'next / previous pane'],
  ['↑ ↓  j k', 'move (in the bytes pane: a line; ← → a byte)'],
  ['PgUp PgDn', 'page up / down'],
  ['g G  Home End', 'first / last'],
  ['→ l Enter Space', 'expand the field'],
  ['← h', 'collapse the field, or go to its parent'],
  ['e / E', 'expand / collapse all'],
  ['/', 'display filter: Enter applies, Esc cancels, empty shows all'],
  ['Ctrl-F  n N', 'find text in the packet rows and details; next / previous match'],
  ['m  \' "', 'mark / unmark the packet; next / previous marked packet'],
  ['c', 'copy mode: ← → wider / narrower, Enter copies to the clipboard, Esc leaves'],
  ['|  \\', 'details and bytes side by side / stacked; maximise the pane / restore'],
  ['p', 'paste hex as a new packet'],
  ['L', 'ladder diagram of the flow (as -z flow); L or Esc: back'],
  ['  Enter ← → h l', 'in the ladder: back to the packets, on that packet; scroll sideways'],
  ['r', 'reload keys'],
  ['?  q', 'this help; quit'],
];

export function Help({ height }: { height: number }) {
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold>Keys (any key closes this help)</Text>
      {KEYS.map(([keys, what]) => (
        <Text key={keys} wrap="truncate">
          <Text color="cyan">{keys.padEnd(18)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
