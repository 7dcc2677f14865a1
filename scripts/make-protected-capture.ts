/**
 * Writes captures/nas-eps-protected.txt and its keys file: one UE's NAS exchange after
 * authentication, protected with keys derived from a K_ASME (TS 33.401 A.7), with each of the
 * three algorithm pairs in turn. Run: npx tsx scripts/make-protected-capture.ts
 */
import { writeFileSync } from 'node:fs';
import { deriveNasKeys, encode, fromHex, protect, toHex, type AlgId } from '../src/index.js';

const kasme = '238e457e0f758badbca8d34bb2612c10428d426757cb5553b2b184fa64bfc549';
const lines = [
  '# One UE, three NAS security contexts (EEA/EIA 1, 2, 3), each started by a Security Mode Command.',
  '# Open with: mtcgk -r captures/nas-eps-protected.txt --keys captures/nas-eps-protected.keys.json -V',
  '',
];
// No algorithms in the keys file: they are learnt from each verified Security Mode Command.
const keys: Array<{ kasme: string }> = [];
for (const alg of [1, 2, 3] as AlgId[]) {
  // Each context has its own K_ASME (as after a new AKA run) so that the contexts do not mix.
  const k = toHex(fromHex(kasme).map((b) => b ^ alg));
  keys.push({ kasme: k });
  const { knasenc, knasint } = deriveNasKeys(fromHex(k), alg, alg);
  const ctx = (count: number, direction: 'ul' | 'dl') => ({ knasenc, knasint, eea: alg, eia: alg, count, direction });
  const smc = {
    message: 'security_mode_command',
    selected_nas_security_algorithms: { ciphering: alg, integrity: alg },
    nas_key_set_identifier: { tsc: 0, ksi: 1 },
    replayed_ue_security_capabilities: { eea0: 1, eea1: 1, eea2: 1, eea3: 1, eea4: 0, eea5: 0, eea6: 0, eea7: 0, eia0: 0, eia1: 1, eia2: 1, eia3: 1, eia4: 0, eia5: 0, eia6: 0, eps_upip: 0 },
    imeisv_request: { value: 1 },
  };
  lines.push(`DL smc-alg${alg}: ${toHex(protect(smc, 3, ctx(0, 'dl')))}`);
  lines.push(`UL smc-complete-alg${alg}: ${toHex(protect({ message: 'security_mode_complete', imeisv: { type_of_identity: 3, imeisv: '3534900698733010' } }, 4, ctx(0, 'ul')))}`);
  lines.push(`DL identity-request-alg${alg}: ${toHex(protect(encode({ message: 'identity_request', identity_type: { type: 1 } }), 2, ctx(1, 'dl')))}`);
  lines.push(`UL identity-response-alg${alg}: ${toHex(protect({ message: 'identity_response', mobile_identity: { type_of_identity: 1, imsi: '001010123456789' } }, 2, ctx(1, 'ul')))}`);
  lines.push(`DL emm-status-alg${alg}: ${toHex(protect({ message: 'emm_status', emm_cause: { cause: 111 } }, 1, ctx(2, 'dl')))}`);
}
writeFileSync(new URL('../captures/nas-eps-protected.txt', import.meta.url), lines.join('\n') + '\n');
writeFileSync(new URL('../captures/nas-eps-protected.keys.json', import.meta.url), JSON.stringify({ nas: keys }, null, 2) + '\n');
