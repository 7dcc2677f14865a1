/** The names -e, -Y and the TUI's filter accept: the grammars' fields and protocols, and the frame layer. */
import type { FieldCatalogue } from '../filter/index.js';
import type { FieldInfo } from '../grammar/ir.js';
import { defaultGrammar } from '../grammar/load.js';
import { FRAME_FIELDS } from '../output/frame-fields.js';

const FRAME_NAMES = new Set(['frame', ...FRAME_FIELDS.map((f) => f.filter)]);

export const catalogue: FieldCatalogue = {
  has: (name) => FRAME_NAMES.has(name) || defaultGrammar().fields.has(name) || defaultGrammar().protocols.has(name),
};

/** Every field, sorted by filter name, as `mtcgk fields` lists them. */
export const allFields = (): FieldInfo[] => [...FRAME_FIELDS, ...defaultGrammar().fields.values()].sort((a, b) => a.filter.localeCompare(b.filter));

/** Protocols the grammars define, by the names --proto and -O take (tshark's filter names). */
export const protocolNames = (): string[] => [...defaultGrammar().protocols.keys()].sort();
