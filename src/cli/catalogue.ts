/** The names -e, -Y and the TUI's filter accept: the grammars' fields and protocols, and the frame layer. */
import type { FieldCatalogue } from '../filter/index.js';
import type { FieldInfo } from '../grammar/ir.js';
import { defaultGrammar } from '../grammar/default.js';
import { FRAME_FIELDS } from '../output/frame-fields.js';
import { INFO_COLUMN } from '../output/info.js';

/** Names outside the tree that -e takes, as tshark does: the frame layer, the Info column, expert fields. */
const FRAME_NAMES = new Set(['frame', ...FRAME_FIELDS.map((f) => f.filter), INFO_COLUMN, '_ws.expert.id', '_ws.expert.message', '_ws.expert.severity', '_ws.expert.group']);

export const catalogue: FieldCatalogue = {
  has: (name) => FRAME_NAMES.has(name) || defaultGrammar().fields.has(name) || defaultGrammar().protocols.has(name),
};

/** Every field, sorted by filter name, as `mtcgk fields` lists them. */
export const allFields = (): FieldInfo[] => [...FRAME_FIELDS, ...defaultGrammar().fields.values()].sort((a, b) => a.filter.localeCompare(b.filter));

/** Protocols the grammars define, by the names --proto and -O take (tshark's filter names). */
export const protocolNames = (): string[] => [...defaultGrammar().protocols.keys()].sort();
