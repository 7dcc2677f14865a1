/**
 * `-T fields` without the tree, as tshark computes only its "interesting fields": when every -e
 * field is one the compiled decoder collects exactly (capturable()) or a frame field, and nothing
 * else needs the tree (no -Y, no keys, no -z), a frame's line comes from the compiled decoder. A
 * frame it hands over (malformed, protected with keys, carrying group keys) is dissected in full.
 */
import { BAILED, capturable } from '../engine/compile.js';
import { defaultGrammar } from '../grammar/default.js';
import type { GrammarIR } from '../grammar/ir.js';
import type { Frame } from '../io/frame.js';
import { fieldsLine } from '../output/fields.js';
import { FRAME_FIELDS, frameFields } from '../output/frame-fields.js';
import { keylessDecoder } from '../security/keyless.js';
import type { Options } from './args.js';

/** A frame's -T fields line, or undefined when the frame needs the full dissection. */
export type FastFields = (frame: Frame, num: number, protocol: string) => string[] | undefined;

export function fastFields(o: Options, ir: GrammarIR = defaultGrammar()): FastFields | undefined {
  if (o.output !== 'fields' || o.keys.length || o.filter !== undefined || o.z !== undefined) return undefined;
  const frameNames = new Set(['frame', ...FRAME_FIELDS.map((f) => f.filter)]);
  const wanted = o.fields.fields.filter((n) => !frameNames.has(n) && !ir.protocols.has(n));
  const ok = capturable(ir);
  if (!wanted.every((n) => ok.has(n))) return undefined;
  const decoder = keylessDecoder(ir, new Set(wanted));
  const frameLayer = o.fields.fields.some((n) => frameNames.has(n));
  return (frame, num, protocol) => {
    if (frame.error !== undefined) return undefined;
    const values = decoder.fields(frame.bytes, protocol, frame.direction);
    if (values === BAILED) return undefined;
    values.set(protocol, ['']);
    if (frameLayer) for (const [name, v] of frameFields({ number: num, source: frame.source, direction: frame.direction, protocol })) values.set(name, v);
    return [fieldsLine(values, o.fields)];
  };
}
