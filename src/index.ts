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
// Dissect, decode and encode by protocol
export { dissect, dissectFull, type CodecOptions, type DissectOptions, type EncodeOptions } from './api.js';
export { decode } from './decode.js';
export { encode } from './encode.js';

// Dissection tree, errors, hex
export { DecodeError } from './engine/decode.js';
export { EncodeError, type Sealer } from './engine/encode.js';
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
export { protect, unprotect, NasSender, MAX_NAS_COUNT, type NasProtectContext, type SecurityHeaderType, type Unprotected } from './security/nas-protect.js';
export { deriveNasKeys, kdf } from './security/kdf.js';
export { encrypt, mac, macEqual, EEA_NAMES, EIA_NAMES, type AlgId } from './security/algorithms.js';
export { parseKeys, mergeKeys, KeysError, NO_KEYS, type Keys, type NasKeyRecord, type GroupKeyRecord } from './security/keys.js';

// Protected group messages and the group key schedule
export { protectGroupMessage, verifyGroupMessage, GroupMessageSender, CountError, MAX_GROUP_COUNT, type GroupMessageInput, type GroupMessageVerdict } from './groupkeys/protect.js';
export { deriveGroupKeys, randomGroupKeys, rollover, GROUP_KEY_FC, type GroupKeyParams } from './groupkeys/schedule.js';
export { ReplayWindow, type ReplayVerdict } from './security/replay.js';

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
