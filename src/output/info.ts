/**
 * The Info column, as tshark's `_ws.col.Info`: the names of the messages in dissection order joined
 * with ", " (an EMM message, then the ESM message in its container), each detail a grammar type declares
 * (`info:`, a cause) in parentheses where it was dissected, "Ciphered message" for a protected message
 * whose payload cannot be read, the text a lower layer appends as it is (`info_suffix:`, "(DTAP) (SMS)
 * CP-ACK "), and "[Malformed Packet]" when the message is cut or broken. Protocols
 * whose messages declare an `info:` text (Diameter, the group message) show that text instead of a name.
 */
import type { DissectResult } from '../engine/dissect.js';

export function infoColumn(r: DissectResult): string {
  let text = '';
  for (const p of r.info ?? []) text += 'message' in p ? (text ? ', ' : '') + p.message : 'suffix' in p ? p.suffix : ` (${p.detail})`;
  if (!text && (r.value as { message?: unknown } | undefined)?.message === 'security_protected_nas_message') text = 'Ciphered message';
  const malformed = r.expert.some((e) => e.severity === 'error' && e.group === 'malformed');
  return (text || 'Unknown') + (malformed ? '[Malformed Packet]' : '');
}

/** The Info column's field name, for -e (tshark's). */
export const INFO_COLUMN = '_ws.col.Info';
