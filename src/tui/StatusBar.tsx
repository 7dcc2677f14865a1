import { Text } from 'ink';
import { fit } from './fit.js';
import type { Row } from './tree-rows.js';

interface Props {
  row?: Row;
  notice?: string;
  /** Shown instead of the selected field (in the ladder view). */
  info?: string;
  /** Right-hand side: file name and packet counts. */
  context: string;
  width: number;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** What Wireshark's status bar says about the selected field: `Label (filter), 4 bytes @1`. */
function describe(row: Row): string {
  if (row.expert) return `${row.expert.message} (expert: ${row.expert.id})`;
  const n = row.node;
  const at = n.bitOffset >> 3;
  const size = n.bitOffset % 8 === 0 && n.bitLength % 8 === 0 ? plural(n.bitLength / 8, 'byte') : plural(n.bitLength, 'bit');
  return `${n.label} (${n.filter}), ${size} @${at}${n.source ? ` in ${n.source}` : ''}`;
}

export function StatusBar({ row, notice, info, context, width }: Props) {
  const left = notice ?? info ?? (row ? describe(row) : '');
  const room = Math.max(0, width - context.length - 1);
  return (
    <Text wrap="truncate">
      <Text color={notice ? 'yellow' : undefined}>{fit(left, room)}</Text> <Text dimColor>{context}</Text>
    </Text>
  );
}
