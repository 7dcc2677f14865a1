import { Dissector } from '../../src/engine/dissect.js';
import type { DissectContext } from '../../src/engine/protection.js';
import type { GrammarIR } from '../../src/grammar/ir.js';
import { SecuritySession } from '../../src/security/session.js';

/**
 * The engine's dissector with keyless security schemes, as the public dissect() runs it: MACs
 * unverified, NAS payloads taken as plain when they decode.
 */
export function keylessDissector(ir: GrammarIR): Dissector {
  const schemes = new SecuritySession().schemes;
  return new (class extends Dissector {
    override dissect(bytes: Uint8Array, protocol: string, ctx: DissectContext = {}) {
      return super.dissect(bytes, protocol, { schemes, ...ctx });
    }
  })(ir);
}
