/**
 * decode() of the package root: the compiled decoder first (for the bundled grammar, the code
 * generated ahead of time), the full dissection for what it hands over. A module of its own so that
 * what only dissects or encodes (the CLI, workers) does not load the generated code.
 */
import { type DissectOptions, dissectFull } from './api.js';
import { bundledDecoders } from './engine/bundled-decoders.js';
import { BAILED, type CompiledDecoder } from './engine/compile.js';
import { DecodeError } from './engine/decode.js';
import { defaultGrammar, isDefaultGrammar } from './grammar/default.js';
import { perKey } from './grammar/memo.js';
import type { GrammarIR } from './grammar/ir.js';
import { keylessDecoder } from './security/keyless.js';
import type { ProtocolMessages, ProtocolName } from './types/messages.js';

/** The bundled grammar runs as code generated ahead of time; any other grammar as closures. */
const compiledOf = perKey((ir: GrammarIR): CompiledDecoder => keylessDecoder(ir, { types: isDefaultGrammar(ir) ? bundledDecoders : undefined }));

/**
 * The decoded value; throws a DecodeError ({path, bitOffset}) on the first error-level expert item.
 * Typed by protocol: `decode(b)` is an `AnyNasEpsMessage`, `decode(b, 'gmsg')` a `GroupMessage`.
 */
export function decode(bytes: Uint8Array): ProtocolMessages['nas-eps'];
export function decode<P extends ProtocolName>(bytes: Uint8Array, protocol: P, opts?: DissectOptions): ProtocolMessages[P];
export function decode(bytes: Uint8Array, protocol?: string, opts?: DissectOptions): unknown;
export function decode(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): unknown {
  // Well-formed messages without keys take the compiled path; the rest are dissected in full.
  if (!opts.session) {
    const v = compiledOf(opts.grammar ?? defaultGrammar()).decode(bytes, protocol, opts.direction);
    if (v !== BAILED) return v;
  }
  const r = dissectFull(bytes, protocol, opts);
  const bad = r.expert.find((e) => e.severity === 'error');
  if (bad) throw new DecodeError(bad);
  return r.value;
}
