/**
 * encode() of the package root: for the bundled grammar, the code generated ahead of time
 * (scripts/gen-encoders.ts), the interpreter for what it hands over. A module of its own so that what
 * only dissects (the CLI, workers) does not load the generated code.
 */
import { type EncodeOptions, encodeWith } from './api.js';
import { bundledEncoders } from './engine/bundled-encoders.js';
import { generatedEncoder } from './engine/encode.js';
import { defaultGrammar, isDefaultGrammar } from './grammar/default.js';
import type { MessageName, MessageValue, ProtocolName } from './types/messages.js';

/** The generated code's encoder, made on first use (it serves the bundled grammar only). */
let generated: ReturnType<typeof generatedEncoder> | undefined;

/** A type built (within a few levels) from loosely typed parts: `unknown`, `any` or string-indexed records. */
type Loose<V, D extends unknown[] = []> = D['length'] extends 8
  ? false
  : unknown extends V
    ? true
    : V extends readonly (infer I)[]
      ? Loose<I, [...D, 0]>
      : V extends object
        ? string extends keyof V
          ? true
          : true extends { [K in keyof V]-?: Loose<V[K], [...D, 0]> }[keyof V]
            ? true
            : false
        : false;

/**
 * Rules out values whose `message` names a known message and that are spelt out with precise types:
 * those must match the message's type. Values built from loosely typed parts are checked at run time.
 */
type NotAKnownMessage<V> = V extends { message: MessageName } ? (Loose<V> extends true ? unknown : never) : unknown;

/**
 * Bytes for a value; derived fields (lengths, counts, flags, constants) are computed unless given.
 * Throws an EncodeError naming the path. A value with a known `message` name is type-checked
 * against that message's generated type (`encode<Messages.AttachAccept>(...)` names it); other
 * values (`unknown`, JSON) are taken as they are and checked at run time.
 */
export function encode<M extends MessageValue = MessageValue>(value: NoInfer<M>, protocol?: ProtocolName | (string & {}), opts?: EncodeOptions): Uint8Array;
export function encode<const V>(value: V & NotAKnownMessage<V>, protocol?: string, opts?: EncodeOptions): Uint8Array;
export function encode(value: unknown, protocol = 'nas-eps', opts: EncodeOptions = {}): Uint8Array {
  const ir = opts.grammar ?? defaultGrammar();
  // Sealing, a value the grammar does not allow (the interpreter's error names the path) and any other grammar go to the interpreter.
  const fast = opts.seal || !isDefaultGrammar(ir) ? undefined : (generated ??= generatedEncoder(ir, bundledEncoders))(value, protocol);
  return fast ?? encodeWith(value, protocol, opts);
}
