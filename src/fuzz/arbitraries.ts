/**
 * Fuzzing arbitraries for every message and IE of the grammar, in three modes:
 * - `valid`: the grammar's own arbitraries (src/engine/arbitrary.ts), encoded;
 * - `edge`: valid values pushed to the edges the grammar allows: reserved enum values, optional IEs
 *   shuffled or repeated, unknown IEIs from the free IEI space (TS 24.007 §11.2.4 type bits),
 *   lists and octet strings at their longest;
 * - `malformed`: wrong lengths, counts and flags (explicit overrides of derived fields), spare bits
 *   set, truncation, mandatory IEs cut out, bit flips, overwritten and inserted octets.
 * Each input is `fc.tuple(validValue, mutations).map(apply)`, so fast-check shrinks the value and the
 * mutations and every shrunk input keeps the message structure.
 */
import * as fc from 'fast-check';
import { Arbitraries } from '../engine/arbitrary.js';
import { BitReader, BitWriter } from '../engine/bits.js';
import { Dissector } from '../engine/dissect.js';
import { Encoder } from '../engine/encode.js';
import { walk, type TreeNode } from '../engine/tree.js';
import type { GrammarIR, TypeIR } from '../grammar/ir.js';
import { SecuritySession } from '../security/session.js';
import { edgeMutation, malformedMutation, Mutator, type AppliedMutation, type FuzzMode, type Mutation, type Subject } from './mutate.js';

export type { AppliedMutation, FuzzMode, Mutation } from './mutate.js';
export type FuzzModeOption = FuzzMode | 'all';
export const FUZZ_MODES: readonly FuzzModeOption[] = ['valid', 'edge', 'malformed', 'all'];

export interface FuzzArbitraryOptions {
  /** Messages of this protocol only (default: every protocol of the grammar). */
  protocol?: string;
  /** One message by name. */
  message?: string;
  /** One IE value type by name (a type used by an IE row); the input is the encoded IE value. */
  ie?: string;
  mode: FuzzModeOption;
  /** Longest octet string or list the valid arbitraries make where the grammar sets no bound. */
  maxBytes?: number;
  maxItems?: number;
}

export interface FuzzInput {
  protocol: string;
  message?: string;
  ie?: string;
  mode: FuzzMode;
  bytes: Uint8Array;
  /** The value the input was generated from (after value-level mutations); absent for raw inputs. */
  value?: unknown;
  /** What the mutations did, resolved against the value (empty in valid mode). */
  mutation: AppliedMutation[];
}

interface Faces {
  arbs: Arbitraries;
  encoder: Encoder;
  dissector: Dissector;
  mutator: Mutator;
  messages: Map<string, fc.Arbitrary<unknown>>;
  mandatory: Set<string>;
}

const facesCache = new WeakMap<GrammarIR, Map<string, Faces>>();
function faces(ir: GrammarIR, maxBytes?: number, maxItems?: number): Faces {
  let byOpts = facesCache.get(ir);
  if (!byOpts) facesCache.set(ir, (byOpts = new Map()));
  const key = `${maxBytes}/${maxItems}`;
  let f = byOpts.get(key);
  if (!f) {
    const mandatory = new Set<string>();
    for (const t of ir.types.values()) if (t.kind === 'l3') for (const ie of t.ies) if (ie.iei === undefined && !ie.half && ie.presence === 'M') mandatory.add(ie.filter);
    f = { arbs: new Arbitraries(ir, { maxBytes, maxItems }), encoder: new Encoder(ir), dissector: new Dissector(ir), mutator: new Mutator(ir), messages: new Map(), mandatory };
    byOpts.set(key, f);
  }
  return f;
}

const keyless = new SecuritySession().schemes;

/** Byte-aligned spans of a tree: every element, and the imperative mandatory IEs among them. */
function treeSpans(root: TreeNode, mandatory: Set<string>): ReturnType<Subject['spans']> {
  const all: Array<[number, number]> = [];
  const must: Array<[number, number]> = [];
  for (const n of walk(root)) {
    if (n === root || n.generated || (n.source !== undefined && n.source !== 'frame')) continue;
    if (n.bitOffset % 8 || n.bitLength % 8 || n.bitLength === 0) continue;
    const span: [number, number] = [n.bitOffset / 8, n.bitLength / 8];
    all.push(span);
    if (mandatory.has(n.filter)) must.push(span);
  }
  return { all, mandatory: must };
}

/** Names of the types IE rows use: the IE values `fuzzArbitrary({ie})` can make. */
export function ieTypeNames(ir: GrammarIR): string[] {
  const names = new Set<string>();
  for (const t of ir.types.values()) if (t.kind === 'l3') for (const ie of t.ies) if (ie.typeName && ie.format !== 'T') names.add(ie.typeName);
  return [...names].sort();
}

/** Messages of a protocol (every protocol when undefined), in grammar order. */
export function messageNames(ir: GrammarIR, protocol?: string): string[] {
  return [...ir.messageProtocols].filter(([, p]) => protocol === undefined || p === protocol).map(([m]) => m);
}

function withMode(valueArb: fc.Arbitrary<unknown>, subject: Subject, mutator: Mutator, mode: FuzzModeOption, meta: Omit<FuzzInput, 'bytes' | 'value' | 'mutation' | 'mode'>): fc.Arbitrary<FuzzInput> {
  const make =
    (m: FuzzMode) =>
    (v: unknown, ms: Mutation[]): FuzzInput => {
      const r = mutator.apply(subject, v, ms);
      return { ...meta, mode: m, bytes: r.bytes, value: r.value, mutation: r.applied };
    };
  const valid = valueArb.map((v) => make('valid')(v, []));
  const edge = fc.tuple(valueArb, fc.array(edgeMutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => make('edge')(v, ms));
  const malformed = fc.tuple(valueArb, fc.array(malformedMutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => make('malformed')(v, ms));
  switch (mode) {
    case 'valid':
      return valid;
    case 'edge':
      return edge;
    case 'malformed':
      return malformed;
    case 'all':
      return fc.oneof({ arbitrary: valid, weight: 1 }, { arbitrary: edge, weight: 1 }, { arbitrary: malformed, weight: 2 });
  }
}

/**
 * Inputs `{bytes, value, mutation}` for one message, one IE type, one protocol's messages or every
 * message of the grammar (each message equally likely), in the given mode.
 */
export function fuzzArbitrary(ir: GrammarIR, opts: FuzzArbitraryOptions): fc.Arbitrary<FuzzInput> {
  const f = faces(ir, opts.maxBytes, opts.maxItems);
  if (opts.ie !== undefined) {
    const t = ir.types.get(opts.ie);
    if (!t) throw new Error(`unknown type "${opts.ie}"`);
    const protocol = opts.protocol ?? [...ir.protocols.keys()][0];
    const subject: Subject = {
      type: t,
      encode: (v) => {
        const w = new BitWriter();
        f.encoder.type(t, v, w, '');
        return w.finish();
      },
      spans: (bytes) => treeSpans(dissectType(f.dissector, t, bytes), f.mandatory),
    };
    return withMode(f.arbs.type(t, 0), subject, f.mutator, opts.mode, { protocol, ie: opts.ie });
  }
  const names = opts.message !== undefined ? [opts.message] : messageNames(ir, opts.protocol);
  if (!names.length) throw new Error(`no messages for protocol "${opts.protocol}"`);
  const arbs = names.map((m) => {
    const protocol = ir.messageProtocols.get(m);
    if (!protocol) throw new Error(`unknown message "${m}"`);
    let valueArb = f.messages.get(m);
    if (!valueArb) f.messages.set(m, (valueArb = f.arbs.message(m, protocol)));
    const root = ir.types.get(ir.protocols.get(protocol)!.root)!;
    const subject: Subject = {
      type: root,
      encode: (v) => f.encoder.encode(v, protocol),
      spans: (bytes) => treeSpans(f.dissector.dissect(bytes, protocol, { schemes: keyless }).tree, f.mandatory),
    };
    return withMode(valueArb, subject, f.mutator, opts.mode, { protocol, message: m });
  });
  return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
}

/** The tree of one type's value decoded alone (for IE inputs). */
function dissectType(d: Dissector, t: TypeIR, bytes: Uint8Array): TreeNode {
  const root: TreeNode = { filter: t.name, label: t.label, bitOffset: 0, bitLength: bytes.length * 8, display: t.label, children: [], expert: [] };
  try {
    d.type(t, new BitReader(bytes), root, t.name);
  } catch {
    // A Stop past the end: the tree holds what was decoded.
  }
  return root;
}

/** Every message's arbitrary in one mode (for other tools' property tests). */
export function messageArbitraries(ir: GrammarIR, mode: FuzzModeOption): Map<string, fc.Arbitrary<FuzzInput>> {
  return new Map(messageNames(ir).map((m) => [m, fuzzArbitrary(ir, { message: m, mode })]));
}

/** Every IE value type's arbitrary in one mode. */
export function ieArbitraries(ir: GrammarIR, mode: FuzzModeOption): Map<string, fc.Arbitrary<FuzzInput>> {
  return new Map(ieTypeNames(ir).map((t) => [t, fuzzArbitrary(ir, { ie: t, mode })]));
}
