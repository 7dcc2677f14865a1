import { Text } from 'ink';

/** The paste-mode prompt: hex typed or pasted here becomes a new packet. */
export function PastePrompt({ draft, error }: { draft: string; error?: string }) {
  return (
    <Text wrap="truncate">
      <Text bold>Paste hex (Enter adds, Esc cancels): </Text>
      {draft.replace(/\n/g, ' ⏎ ')}▏<Text color="red">{error ? `  ${error}` : ''}</Text>
    </Text>
  );
}
