/**
 * The codec functions of the package root: dissect by protocol, with the bundled grammar or a given
 * one (decode is src/decode.ts, encode src/encode.ts). src/index.ts re-exports them; code inside the
 * package imports them here, and encodes with the interpreter (encodeWith), which loads no generated code.
 */
import { Dissector, type DissectResult } from './engine/dissect.js';
import { Encoder, type Sealer } from './engine/encode.js';
import type { TreeNode } from './engine/tree.js';
import { defaultGrammar } from './grammar/default.js';
import type { GrammarIR } from './grammar/ir.js';
import type { Direction } from './io/frame.js';
import { AUDITED_KEYS } from './groupkeys/audit.js';
import { SecuritySession } from './security/session.js';

const faces = new WeakMap<GrammarIR, { dissector: Dissector; encoder: Encoder }>();
function facesOf(ir: GrammarIR) {
  let f = faces.get(ir);
  if (!f) faces.set(ir, (f = { dissector: new Dissector(ir, AUDITED_KEYS), encoder: new Encoder(ir) }));
  return f;
}

export interface CodecOptions {
  /** Grammar to use instead of the bundled one. */
  grammar?: GrammarIR;
}

export interface EncodeOptions extends CodecOptions {
  /**
   * Sealers by security scheme (`nas`, `gmsg`): a protected struct is written with its payload
   * ciphered in place and its MAC computed, in one pass (security/nas-protect.ts, groupkeys/protect.ts).
   */
  seal?: Readonly<Record<string, Sealer>>;
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
 * Bytes for a value, written by the interpreter: what encode() hands over to, and what the package's
 * own callers use (sealing, the flows). Throws an EncodeError naming the path.
 */
export function encodeWith(value: unknown, protocol: string, opts: EncodeOptions = {}): Uint8Array {
  return facesOf(opts.grammar ?? defaultGrammar()).encoder.encode(value, protocol, opts.seal);
}
