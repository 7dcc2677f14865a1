/**
 * The compiled decoder as decode() and `-T fields` run it: with the schemes of a session without keys,
 * and values the group key audit looks at handed to the full dissection (the audit follows a capture).
 */
import { bundledDecoders } from '../engine/bundled-decoders.js';
import { CompiledDecoder } from '../engine/compile.js';
import { isDefaultGrammar } from '../grammar/default.js';
import type { GrammarIR } from '../grammar/ir.js';
import { AUDITED_KEYS } from '../groupkeys/audit.js';
import { SecuritySession } from './session.js';

/** Keyless schemes verify and decipher nothing and keep no state a value depends on: one set serves every message. */
const KEYLESS = new SecuritySession().schemes;

/** The bundled grammar runs as code generated ahead of time; any other grammar as closures. */
export const keylessDecoder = (ir: GrammarIR, capture?: ReadonlySet<string>): CompiledDecoder =>
  new CompiledDecoder(ir, { schemes: KEYLESS, bailOn: AUDITED_KEYS, capture, types: isDefaultGrammar(ir) ? bundledDecoders : undefined });
