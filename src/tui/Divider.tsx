import { Text } from 'ink';
import { fit } from './fit.js';

/** The line above a pane: its title, highlighted while the pane has the focus. */
export function Divider({ title, width, focused }: { title: string; width: number; focused: boolean }) {
  return (
    <Text bold={focused} color={focused ? 'cyan' : 'gray'}>
      {fit(`── ${title} ${'─'.repeat(Math.max(0, width - title.length - 4))}`, width)}
    </Text>
  );
}
