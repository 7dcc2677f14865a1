/** `-z expert`: how often each expert item occurred, by severity, as tshark's table prints it. */
import type { ExpertItem, Severity } from '../engine/tree.js';

const HEADINGS: ReadonlyArray<[Severity, string]> = [
  ['error', 'Errors'],
  ['warn', 'Warns'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
];

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export class ExpertStats {
  /** severity -> "group\tprotocol\tmessage" -> count, in first-seen order */
  private readonly counts = new Map<Severity, Map<string, number>>();

  add(protocol: string, items: readonly ExpertItem[]): void {
    for (const e of items) {
      let bySummary = this.counts.get(e.severity);
      if (!bySummary) this.counts.set(e.severity, (bySummary = new Map()));
      const key = `${capital(e.group)}\t${protocol.toUpperCase()}\t${e.message}`;
      bySummary.set(key, (bySummary.get(key) ?? 0) + 1);
    }
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [severity, heading] of HEADINGS) {
      const rows = this.counts.get(severity);
      if (!rows) continue;
      const title = `${heading} (${[...rows.values()].reduce((a, b) => a + b, 0)})`;
      out.push('', title, '='.repeat(title.length + 2), `${'Frequency'.padStart(12)}${'Group'.padStart(11)}${'Protocol'.padStart(19)}  Summary`);
      for (const [key, n] of rows) {
        const [group, protocol, message] = key.split('\t');
        out.push(`${String(n).padStart(12)}${group!.padStart(11)}${protocol!.padStart(19)}  ${message}`);
      }
    }
    return out;
  }
}
