/** mtcgk as a library: dissect, decode and encode by protocol. */
import { Dissector, type DissectResult } from './engine/dissect.js';
import { DecodeError } from './engine/decode.js';
import { Encoder } from './engine/encode.js';
import type { TreeNode } from './engine/tree.js';
import { defaultGrammar } from './grammar/load.js';
import type { GrammarIR } from './grammar/ir.js';
import type { Direction } from './io/frame.js';
import { SecuritySession } from './security/session.js';

export { DecodeError } from './engine/decode.js';
export { EncodeError } from './engine/encode.js';
export { GrammarError } from './grammar/errors.js';
export { EXPERT, walk, type ExpertItem, type TreeNode } from './engine/tree.js';
export { fromHex, toHex } from './engine/format.js';
export type { DissectResult } from './engine/dissect.js';
export { SecuritySession } from './security/session.js';
export { protect, unprotect, type NasProtectContext, type Unprotected } from './security/nas-protect.js';
export { deriveNasKeys, kdf } from './security/kdf.js';
export { encrypt, mac, macEqual, EEA_NAMES, EIA_NAMES, type AlgId } from './security/algorithms.js';
export { parseKeys, mergeKeys, KeysError, type Keys, type NasKeyRecord, type GroupKeyRecord } from './security/keys.js';

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
  direction?: Direction;
  /** Keys and COUNT state shared by the messages of one capture; without it, MACs stay unverified. */
  session?: SecuritySession;
}

/** The full dissection: tree, value, every expert item. Never throws on any input. */
export function dissectFull(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): DissectResult {
  // Without a session the message stands alone: no keys, no state from earlier calls.
  const session = opts.session ?? new SecuritySession();
  session.begin();
  const r = facesOf(opts.grammar ?? defaultGrammar()).dissector.dissect(bytes, protocol, { direction: opts.direction, schemes: session.schemes });
  session.finish(r);
  return r;
}

/** The dissection tree; its root's `value` is the decoded value. Never throws on any input. */
export function dissect(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): TreeNode {
  return dissectFull(bytes, protocol, opts).tree;
}

/** Plain decoded value; throws a DecodeError on the first error-level expert item. */
export function decode(bytes: Uint8Array, protocol = 'nas-eps', opts: DissectOptions = {}): unknown {
  const r = dissectFull(bytes, protocol, opts);
  const bad = r.expert.find((e) => e.severity === 'error');
  if (bad) throw new DecodeError(bad);
  return r.value;
}

/** Bytes for a value; derived fields are computed unless given. Throws an EncodeError naming the path. */
export function encode(value: unknown, protocol = 'nas-eps', opts: CodecOptions = {}): Uint8Array {
  return facesOf(opts.grammar ?? defaultGrammar()).encoder.encode(value, protocol);
}
