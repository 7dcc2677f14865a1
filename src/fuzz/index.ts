/** Grammar-driven fuzzing: arbitraries in three modes, targets (self, in-process JS, persistent, per process) and oracles, the fuzz loop with coverage guidance, corpora (docs/fuzzing.md). */
export { fuzzArbitrary, ieArbitraries, ieTypeNames, messageArbitraries, messageNames, FUZZ_MODES, type FuzzArbitraryOptions, type FuzzInput, type FuzzModeOption } from './arbitraries.js';
export { edgeMutation, malformedMutation, freeIeis, Mutator, mutateKept, shapeOf, type AppliedMutation, type FuzzMode, type Mutation, type Shape } from './mutate.js';
export { SiteWalker, type Site } from './sites.js';
export { selfTarget, externalTarget, tilingError, type Target, type Verdict, type FindingKind } from './targets.js';
export { jsTarget, jsModule, type JsTargetOptions } from './js-target.js';
export { persistentTarget, type PersistentOptions } from './persistent.js';
export { replayDir, type ReplayResult } from './replay.js';
export { minimise, sequential, type FirstFailing } from './minimise.js';
export { runFuzz, havoc, chunkSeed, type FuzzRunOptions, type FuzzRunResult, type Finding } from './runner.js';
export { exportCorpus, dictionary, type CorpusOptions } from './corpus.js';
export { TsharkOracle, ORACLE_FIELDS, tsharkAvailable } from './tshark.js';
export { compileGrammar, compileLayout, messagePrefixLayout, structLayout, type FixedLayout, type CompiledLayout } from './binary-parser.js';
