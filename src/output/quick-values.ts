/**
 * A packet's field values without its tree, for -Y, `-T fields` and the TUI's filter, the way tshark
 * computes only the fields a filter or a column asks for: when every name is a field the compiled
 * decoder collects exactly (capturable()), a protocol or the frame layer, the values come from it.
 * A frame it hands over (malformed, carrying group keys) needs the full dissection: undefined.
 * Keyless only: with keys, verdicts and deciphered payloads need the dissector.
 */
import { BAILED, capturable } from '../engine/compile.js';
import type { FieldValues } from '../filter/index.js';
import type { GrammarIR } from '../grammar/ir.js';
import type { Frame } from '../io/frame.js';
import { keylessDecoder } from '../security/keyless.js';
import { FRAME_FIELDS, frameFields } from './frame-fields.js';

export type QuickValues = (frame: Frame, number: number, protocol: string) => FieldValues | undefined;

const FRAME_NAMES = new Set(['frame', ...FRAME_FIELDS.map((f) => f.filter)]);
const collected = new WeakMap<GrammarIR, Set<string>>();

/** The values of `names` for one frame at a time, or undefined when some name needs the tree. */
export function quickValues(ir: GrammarIR, names: Iterable<string>): QuickValues | undefined {
  let ok = collected.get(ir);
  if (!ok) collected.set(ir, (ok = capturable(ir)));
  const wanted = new Set<string>();
  let frameLayer = false;
  for (const n of names) {
    if (FRAME_NAMES.has(n)) frameLayer = true;
    else if (ok.has(n)) wanted.add(n);
    else if (!ir.protocols.has(n)) return undefined;
  }
  const decoder = keylessDecoder(ir, { capture: wanted });
  return (frame, number, protocol) => {
    if (frame.error !== undefined) return undefined;
    const values = decoder.fields(frame.bytes, protocol, frame.direction);
    if (values === BAILED) return undefined;
    values.set(protocol, ['']);
    if (frameLayer) for (const [name, v] of frameFields({ number, source: frame.source, direction: frame.direction, protocol })) values.set(name, v);
    return values;
  };
}
