/**
 * mtcgk as a library: dissect, decode and encode NAS-EPS and protected group messages by protocol,
 * NAS security (protect, unprotect, keys), group messages and their key schedule, capture formats,
 * streaming over big captures, and fast-check arbitraries. Runs in Node and in browsers: nothing
 * here touches the file system (the grammars are bundled as data).
 *
 * ```ts
 * import { dissect, decode, encode, fromHex } from 'mtcgk';
 * const tree = dissect(fromHex('075501'), 'nas-eps');   // never throws
 * const msg = decode(fromHex('075501'));                // AnyNasEpsMessage, discriminated by `message`
 * const bytes = encode({ message: 'identity_request', identity_type: { type: 1 } });
 * ```
 * @packageDocumentation
 */
import { Dissector, type DissectResult } from './engine/dissect.js';
import { DecodeError } from './engine/decode.js';
import { Encoder } from './engine/encode.js';
import type { TreeNode } from './engine/tree.js';
import { defaultGrammar } from './grammar/default.js';
import type { GrammarIR } from './grammar/ir.js';
import type { Direction } from './io/frame.js';
import { SecuritySession } from './security/session.js';
import type { MessageName, MessageValue, ProtocolMessages, ProtocolName } from './types/messages.js';

// Dissection tree, errors, hex
export { DecodeError } from './engine/decode.js';
export { EncodeError } from './engine/encode.js';
export { GrammarError } from './grammar/errors.js';
export { walk, type ExpertGroup, type ExpertItem, type Severity, type TreeNode } from './engine/tree.js';
export { EXPERT, isExpertId, type ExpertId } from './expert.js';
export { fromHex, toHex } from './engine/format.js';
export type { DissectResult } from './engine/dissect.js';

// Grammars: the bundled default, or one built from parsed grammar files
export { defaultGrammar, bundledGrammarSources } from './grammar/default.js';
export { buildGrammar, type GrammarSource } from './grammar/build.js';
export type { GrammarIR } from './grammar/ir.js';

// Types of every message and IE, generated from the grammars (src/types/messages.ts)
export type * as Messages from './types/messages.js';
export type { MessageByName, MessageName, MessageValue, ProtocolMessages, ProtocolName, Raw } from './types/messages.js';

// NAS security
export { SecuritySession } from './security/session.js';
export { protect, unprotect, type NasProtectContext, type SecurityHeaderType, type Unprotected } from './security/nas-protect.js';
export { deriveNasKeys, kdf } from './security/kdf.js';
export { encrypt, mac, macEqual, EEA_NAMES, EIA_NAMES, type AlgId } from './security/algorithms.js';
export { parseKeys, mergeKeys, KeysError, NO_KEYS, type Keys, type NasKeyRecord, type GroupKeyRecord } from './security/keys.js';

// Protected group messages and the group key schedule
export { protectGroupMessage, verifyGroupMessage, type GroupMessageInput, type GroupMessageVerdict } from './groupkeys/protect.js';
export { deriveGroupKeys, randomGroupKeys, rollover, GROUP_KEY_FC, type GroupKeyParams } from './groupkeys/schedule.js';
export { ReplayWindow, type ReplayVerdict } from './groupkeys/replay.js';

// Capture formats: readers (bytes in, frames out) and writers
export * from './io/index.js';

// Big captures: frames read and dissected one at a time
export {
  dissectStream,
  framesOf,
  lineChunks,
  readHexLineStream,
  type ByteSource,
  type DissectedFrame,
  type DissectStreamOptions,
  type FrameSource,
  type HexLineStreamOptions,
  type LineChunk,
  type LineChunkOptions,
} from './stream/index.js';

// fast-check arbitraries derived from the grammars
export { Arbitraries, type ArbitraryOptions } from './engine/arbitrary.js';

const faces = new WeakMap<GrammarIR, { dissector: Dissector; encoder: Encoder }>();
function facesOf(ir: GrammarIR) {
  let f = faces.get(ir);
  if (!f) faces.set(ir, (f = { dissector: new Dissector(ir), encoder: new Encoder(ir) }));
  return f;
}

export interface CodecOptions {
  /** Grammar to use instead of the bundled one. */
  grammar?: GrammarIR;
}

export interface DissectOptions extends CodecOptions {
  /** Direction of the message ('ul' from the UE, 'dl' to it), for NAS COUNT and MAC verification. */
  direction?: Direction;
  /** The receiving endpoint (a frame's `destination`): group message replay is judged per receiver. */
  receiver?: string;
  /** Keys and COUNT state shared by the messages of one capture; without it, MACs stay unverified. */
  session?: SecuritySession;
}

/** The full dissection: tree, value, every expert item, data sources. Never throws on any input. */
export function dissectFull(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): DissectResult {
  // Without a session the message stands alone: no keys, no state from earlier calls.
  const session = opts.session ?? new SecuritySession();
  session.begin();
  const r = facesOf(opts.grammar ?? defaultGrammar()).dissector.dissect(bytes, protocol, { direction: opts.direction, receiver: opts.receiver, schemes: session.schemes });
  session.finish(r);
  return r;
}

/**
 * The dissection tree (Wireshark's proto_tree): nodes with `filter`, `label`, `bitOffset`,
 * `bitLength`, `value`, `children` and `expert` items; the root's `value` is the decoded value.
 * Never throws on any input.
 */
export function dissect(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): TreeNode {
  return dissectFull(bytes, protocol, opts).tree;
}

/**
 * The decoded value; throws a DecodeError ({path, bitOffset}) on the first error-level expert item.
 * Typed by protocol: `decode(b)` is an `AnyNasEpsMessage`, `decode(b, 'gmsg')` a `GroupMessage`.
 */
export function decode(bytes: Uint8Array): ProtocolMessages['nas-eps'];
export function decode<P extends ProtocolName>(bytes: Uint8Array, protocol: P, opts?: DissectOptions): ProtocolMessages[P];
export function decode(bytes: Uint8Array, protocol?: string, opts?: DissectOptions): unknown;
export function decode(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): unknown {
  const r = dissectFull(bytes, protocol, opts);
  const bad = r.expert.find((e) => e.severity === 'error');
  if (bad) throw new DecodeError(bad);
  return r.value;
}

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
export function encode<M extends MessageValue = MessageValue>(value: NoInfer<M>, protocol?: ProtocolName | (string & {}), opts?: CodecOptions): Uint8Array;
export function encode<const V>(value: V & NotAKnownMessage<V>, protocol?: string, opts?: CodecOptions): Uint8Array;
export function encode(value: unknown, protocol = 'nas-eps', opts: CodecOptions = {}): Uint8Array {
  return facesOf(opts.grammar ?? defaultGrammar()).encoder.encode(value, protocol);
}
