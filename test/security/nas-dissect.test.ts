import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { walk } from '../../src/engine/tree.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { deriveNasKeys, dissectFull, encode, fromHex, parseKeys, protect, SecuritySession, toHex, unprotect, type AlgId } from '../../src/index.js';

const params = { seed: 20261129, numRuns: process.env.MTCGK_DEEP === '1' ? 1000 : 40 };
const kasme = '238e457e0f758badbca8d34bb2612c10428d426757cb5553b2b184fa64bfc549';
const session = (eea = 0, eia = 2) => new SecuritySession(parseKeys(JSON.stringify({ nas: [{ kasme, eea, eia }] }), 'k.json'));
const generatedOf = (bytes: Uint8Array, s: SecuritySession, direction?: 'ul' | 'dl') => {
  const r = dissectFull(bytes, 'nas-eps', { session: s, direction });
  const status = [...walk(r.tree)].find((n) => n.filter === 'nas_eps.msg_auth_code.status')?.show;
  return { r, status };
};

describe('NAS security in the dissector', () => {
  it('verifies the worked example of spec-facts §3.2 (SMC, EIA2, DL COUNT 0)', () => {
    const { r, status } = generatedOf(fromHex('3798a0aef300075d020102e0e0'), session());
    expect(status).toBe('good');
    expect(r.expert.filter((e) => e.severity === 'error')).toEqual([]);
  });

  it('reports a bad MAC with the expected value, and unverified without keys', () => {
    const bad = generatedOf(fromHex('3798a0aef300075d020102e0e1'), session());
    expect(bad.status).toBe('bad');
    expect(bad.r.expert.find((e) => e.id === 'mac_mismatch')?.message).toMatch(/should be 0x[0-9a-f]{8}/);
    expect(generatedOf(fromHex('3798a0aef300075d020102e0e0'), new SecuritySession()).status).toBe('unverified');
  });

  it('flags a replayed COUNT and EIA0', () => {
    const s = session();
    const smc = fromHex('3798a0aef300075d020102e0e0');
    generatedOf(smc, s);
    const again = generatedOf(smc, s);
    expect(again.status).toBe('good');
    expect(again.r.expert.map((e) => e.id)).toContain('replayed_count');
    const { knasint } = deriveNasKeys(fromHex(kasme), 0, 0);
    const eia0 = protect({ message: 'emm_status', emm_cause: { cause: 111 } }, 1, { knasint, eea: 0, eia: 0, count: 0, direction: 'dl' });
    expect(generatedOf(eia0, session(0, 0), 'dl').r.expert.map((e) => e.id)).toContain('null_integrity');
  });

  it('deciphers the bundled capture with its keys: every MAC good, every inner message decoded', async () => {
    const out: string[] = [];
    const code = await main(
      ['-r', 'captures/nas-eps-protected.txt', '--keys', 'captures/nas-eps-protected.keys.json', '-T', 'fields', '-e', 'nas_eps.msg_auth_code.status', '-e', 'nas_eps.nas_msg_emm_type'],
      (s) => void out.push(...s.split('\n')),
    );
    expect(code).toBe(0);
    expect(out).toHaveLength(15);
    for (const line of out) expect(line).toMatch(/^good\t0x[0-9a-f]{2}$/);
  });

  it('shows a bad MAC after any flipped bit of a capture message', () => {
    const keys = parseKeys(readFileSync('captures/nas-eps-protected.keys.json', 'utf8'), 'keys');
    const lines = readFileSync('captures/nas-eps-protected.txt', 'utf8')
      .split('\n')
      .filter((l) => /^(UL|DL) /.test(l));
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (li, bit) => {
        const s = new SecuritySession(keys);
        // Replay the capture up to the chosen line so COUNT and algorithms are learnt, then flip a bit in it.
        const chosen = li % lines.length;
        for (const l of lines.slice(0, chosen)) dissectFull(fromHex(l.split(': ')[1]), 'nas-eps', { session: s, direction: l.startsWith('UL') ? 'ul' : 'dl' });
        const bytes = fromHex(lines[chosen].split(': ')[1]);
        const b = 8 + (bit % ((bytes.length - 1) * 8)); // any bit after the security header octet
        bytes[b >> 3] ^= 0x80 >> (b & 7);
        expect(generatedOf(bytes, s, lines[chosen].startsWith('UL') ? 'ul' : 'dl').status).toBe('bad');
      }),
      params,
    );
  });
});

describe('protect / unprotect', () => {
  const ir = defaultGrammar();
  const arbs = new Arbitraries(ir);
  const plain = fc.constantFrom(...[...ir.messages.keys()].filter((m) => ir.messages.get(m)!.kind === 'l3')).chain((m) => arbs.message(m));

  it('unprotect(protect(m)) = m for every algorithm and security header type, and the dissector agrees', () => {
    fc.assert(
      fc.property(plain, fc.constantFrom<AlgId>(1, 2, 3), fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4), fc.integer({ min: 0, max: 0xffffff }), (v, alg, sht, count) => {
        const { knasenc, knasint } = deriveNasKeys(fromHex(kasme), alg, alg);
        const direction = sht === 3 ? 'dl' : sht === 4 ? 'ul' : 'dl';
        const ctx = { knasenc, knasint, eea: alg, eia: alg, count, direction } as const;
        const bytes = protect(v, sht, ctx);
        const u = unprotect(bytes, ctx);
        expect(u.mac).toBe('good');
        expect(toHex(u.plain!)).toBe(toHex(encode(v)));
        const flipped = bytes.slice();
        flipped[5 + (count % (bytes.length - 5))] ^= 1;
        expect(unprotect(flipped, ctx)).toEqual({ mac: 'bad', securityHeaderType: sht });
      }),
      params,
    );
  });
});
