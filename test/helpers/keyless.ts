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

/** The direction to read a message in: 'dl' for downlink messages (Detach request shares its type across directions). */
export function readDirection(ir: GrammarIR, message: string | undefined): 'dl' | undefined {
  const t = message === undefined ? undefined : ir.messages.get(message);
  return t?.kind === 'l3' && t.direction === 'dl' ? 'dl' : undefined;
}
