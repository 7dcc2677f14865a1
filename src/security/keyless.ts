/**
 * The compiled decoder as decode() and `-T fields` run it: with the schemes of a session without keys,
 * and values the group key audit looks at handed to the full dissection (the audit follows a capture).
 */
import { type CompileOptions, CompiledDecoder } from '../engine/compile.js';
import type { GrammarIR } from '../grammar/ir.js';
import { AUDITED_KEYS } from '../groupkeys/audit.js';
import { SecuritySession } from './session.js';

/** Keyless schemes verify and decipher nothing and keep no state a value depends on: one set serves every message. */
const KEYLESS = new SecuritySession().schemes;

export const keylessDecoder = (ir: GrammarIR, opts: Pick<CompileOptions, 'capture' | 'types'> = {}): CompiledDecoder =>
  new CompiledDecoder(ir, { capture: opts.capture, types: opts.types, schemes: KEYLESS, bailOn: AUDITED_KEYS });
