/** Grammar-driven fuzzing: arbitraries in three modes, targets and oracles, the fuzz loop, corpora (docs/fuzzing.md). */
export { fuzzArbitrary, ieArbitraries, ieTypeNames, messageArbitraries, messageNames, FUZZ_MODES, type FuzzArbitraryOptions, type FuzzInput, type FuzzModeOption } from './arbitraries.js';
export { edgeMutation, malformedMutation, freeIeis, Mutator, type AppliedMutation, type FuzzMode, type Mutation } from './mutate.js';
export { SiteWalker, type Site } from './sites.js';
export { selfTarget, externalTarget, tilingError, type Target, type Verdict, type FindingKind } from './targets.js';
export { minimise, sequential, type FirstFailing } from './minimise.js';
export { runFuzz, havoc, chunkSeed, type FuzzRunOptions, type FuzzRunResult, type Finding } from './runner.js';
export { exportCorpus, dictionary, type CorpusOptions } from './corpus.js';
export { TsharkOracle, ORACLE_FIELDS, tsharkAvailable } from './tshark.js';
export { compileGrammar, compileLayout, messagePrefixLayout, structLayout, type FixedLayout, type CompiledLayout } from './binary-parser.js';
