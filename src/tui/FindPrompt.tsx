import { Text } from 'ink';

/** The find prompt (ctrl-F): the text n and N then look for in the packet list and details. */
export function FindPrompt({ draft, last }: { draft: string; last: string }) {
  return (
    <Text wrap="truncate">
      <Text bold>Find (Enter searches, Esc cancels): </Text>
      {draft}▏<Text dimColor>{!draft && last ? `  Enter: "${last}" again` : ''}</Text>
    </Text>
  );
}
