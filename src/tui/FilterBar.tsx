import { Text } from 'ink';
import type { FilterError } from '../filter/index.js';

interface Props {
  draft: string;
  applied: string;
  editing: boolean;
  /** Why the draft does not compile. */
  error?: FilterError;
  /** 0..1 while the applied filter runs over the packets. */
  progress?: number;
}

/** The display filter line: green when the filter is valid, red with the reason when it is not. */
export function FilterBar({ draft, applied, editing, error, progress }: Props) {
  const text = editing ? draft : applied;
  const background = !text.trim() ? undefined : error && editing ? 'red' : 'green';
  const running = progress === undefined ? '' : `  filtering… ${Math.floor(progress * 100)}%`;
  const reason = editing && error ? `  ${error.message} (column ${error.column + 1})` : '';
  const body = `${text}${editing ? '▏' : ''}`;
  return (
    <Text wrap="truncate">
      <Text bold>Filter: </Text>
      {text || editing ? (
        <Text color={background && 'black'} backgroundColor={background}>
          {body}
        </Text>
      ) : (
        <Text dimColor>press / to filter</Text>
      )}
      <Text color="red">{reason}</Text>
      <Text dimColor>{running}</Text>
    </Text>
  );
}
