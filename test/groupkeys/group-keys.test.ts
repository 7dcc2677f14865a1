import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { DissectResult } from '../../src/engine/dissect.js';
import { walk } from '../../src/engine/tree.js';
import { MAX_GROUP_COUNT, protectGroupMessage, verifyGroupMessage } from '../../src/groupkeys/protect.js';
import { ReplayWindow } from '../../src/security/replay.js';
import { deriveGroupKeys, GROUP_KEY_FC, rollover } from '../../src/groupkeys/schedule.js';
import { dissectFull, encrypt, fromHex, parseKeys, SecuritySession, type AlgId, type GroupKeyRecord } from '../../src/index.js';
import { GROUP_KEY_IE_BEARER } from '../../src/security/group-key-ie.js';
import { realCorpus } from '../helpers/fixtures.js';

const params = { seed: 20261129, numRuns: process.env.MTCGK_DEEP === '1' ? 1000 : 60 };
const keysText = readFileSync('captures/group-keys.keys.json', 'utf8');
const keys = parseKeys(keysText, 'group-keys.keys.json');
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^(UL|DL) /.test(l))
    .map((l) => ({ dir: l.slice(0, 2).toLowerCase() as 'ul' | 'dl', bytes: fromHex(l.split(': ')[1]) }));

function playNas(file: string, withKeys = true) {
  const session = new SecuritySession(withKeys ? keys : undefined);
  return lines(file).map((l) => dissectFull(l.bytes, 'nas-eps', { session, direction: l.dir }));
}

const shows = (r: ReturnType<typeof dissectFull>, filter: string) => [...walk(r.tree)].filter((n) => n.filter === filter).map((n) => n.show);

describe('group keys in NAS', () => {
  it('delivers the keys of the keys file in every carrier, all verified, with no audit finding', () => {
    const results = playNas('captures/group-keys-nas.txt');
    for (const r of results) {
      expect(shows(r, 'nas_eps.msg_auth_code.status')).toEqual(['good']);
      expect(r.expert.filter((e) => e.severity !== 'chat')).toEqual([]);
    }
    // The SMC's ciphered IE and the dedicated message carry exactly the keys of the keys file.
    for (const r of [results[0], results[2]]) {
      expect(shows(r, 'nas_eps.gk.gid')).toEqual(keys.groups.map((g) => g.gid));
      expect(shows(r, 'nas_eps.gk.gk_integ')).toEqual(keys.groups.map((g) => Buffer.from(g.gkInteg).toString('hex')));
    }
    expect(shows(results[0], 'nas_eps.gk.deciphering')[0]).toContain('BEARER 1');
  });

  it('keeps the ciphered IE ciphered without keys', () => {
    const [smc] = playNas('captures/group-keys-nas.txt', false);
    expect(shows(smc, 'nas_eps.gk.gid')).toEqual([]);
    expect(shows(smc, 'nas_eps.gk.ciphered')).toHaveLength(1);
  });

  it('flags each negative case of the audit capture, and only it', () => {
    const ids = playNas('captures/group-keys-audit.txt').map((r) =>
      r.expert
        .filter((e) => e.group === 'security' && e.severity !== 'chat')
        .map((e) => e.id)
        .sort(),
    );
    expect(ids).toEqual([['keys_before_security_mode', 'keys_in_clear'], ['keys_in_clear'], [], [], ['gki_reused'], ['group_key_conflict']]);
  });

  it('audits a message that can hold group keys, skips only those that cannot, and walks a value whose types were not watched', () => {
    const results = playNas('captures/group-keys-audit.txt');
    // Watched exactly where the value holds keys (all but the Security Mode Complete); no real message holds any.
    const holdsKeys = (r: ReturnType<typeof dissectFull>) => /"(ciphered_)?group_key_information"/.test(JSON.stringify(r.value));
    expect(results.filter(holdsKeys)).toHaveLength(5);
    expect(results.map((r) => r.watched)).toEqual(results.map(holdsKeys));
    expect(realCorpus().filter((l) => dissectFull(fromHex(l.hex)).watched !== false)).toEqual([]);
    // A result without the flag (a dissector watching no key) is walked: its keys are still found.
    const session = new SecuritySession();
    const [first] = lines('captures/group-keys-audit.txt');
    const r = dissectFull(first.bytes, 'nas-eps', { direction: first.dir });
    const unflagged: DissectResult = { ...r, watched: undefined, expert: [] };
    for (const n of walk(unflagged.tree)) n.expert = n.expert.filter((e) => e.group !== 'security');
    session.finish(unflagged);
    expect(unflagged.expert.map((e) => e.id)).toContain('keys_in_clear');
  });

  it('ciphers the IE with a keystream no NAS message uses (BEARER 1, NAS uses 0)', () => {
    fc.assert(
      fc.property(fc.constantFrom<AlgId>(1, 2, 3), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 0xffffff }), (alg, key, count) => {
        const zeros = new Uint8Array(64);
        const ie = encrypt(alg, key, count, GROUP_KEY_IE_BEARER, 1, zeros, 512);
        const nas = encrypt(alg, key, count, 0, 1, zeros, 512);
        expect(Buffer.from(ie).equals(Buffer.from(nas))).toBe(false);
      }),
      params,
    );
  });
});

describe('protected group messages', () => {
  const keyArb = fc
    .record({
      gid: fc.constantFrom('00000001-001-01-01', '0000abcd-310-410-0102030405060708090a'),
      gki: fc.integer({ min: 0, max: 255 }),
      eea: fc.constantFrom<AlgId>(1, 2, 3),
      eia: fc.constantFrom<AlgId>(1, 2, 3),
      gkConf: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      gkInteg: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    })
    .map((k): GroupKeyRecord => ({ ...k, where: 'test' }));

  it('protect -> verify -> decipher gives the payload back for every algorithm; any flipped bit gives a bad MAC', () => {
    fc.assert(
      fc.property(keyArb, fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.integer({ min: 0, max: MAX_GROUP_COUNT }), fc.nat(), (key, payload, cipher, count, bit) => {
        const bytes = protectGroupMessage({ key, count, payload, cipher });
        const session = new SecuritySession({ nas: [], groups: [key] });
        const v = verifyGroupMessage(bytes, session);
        expect(v).toMatchObject({ mac: 'good', replay: 'ok', payload });
        const flipped = bytes.slice();
        const b = bit % (bytes.length * 8);
        flipped[b >> 3] ^= 0x80 >> (b & 7);
        const forged = verifyGroupMessage(flipped, new SecuritySession({ nas: [], groups: [key] }));
        expect(forged.mac).not.toBe('good');
        expect(forged.payload).toBeUndefined();
      }),
      params,
    );
  });

  it('flags the replayed, tampered and too old messages of the attack capture', async () => {
    const out: string[] = [];
    await main(
      ['--proto', 'gmsg', '-r', 'captures/group-messages-attacks.txt', '--keys', 'captures/group-keys.keys.json', '-T', 'fields', '-e', 'gmsg.mac.status', '-e', 'gmsg.replay.status'],
      (s) => void out.push(...s.split('\n')),
    );
    expect(out).toEqual(['good\tok', 'good\treplayed', 'bad\t', 'good\tok', 'good\ttoo_old']);
  });

  it('verifies every message of the sample capture, and shows unverified without keys', async () => {
    const run = async (...extra: string[]) => {
      const out: string[] = [];
      await main(['--proto', 'gmsg', '-r', 'captures/group-messages.txt', ...extra, '-T', 'fields', '-e', 'gmsg.mac.status', '-e', 'gmsg.payload'], (s) => void out.push(...s.split('\n')));
      return out;
    };
    const withKeys = await run('--keys', 'captures/group-keys.keys.json');
    expect(withKeys).toHaveLength(6);
    for (const l of withKeys) expect(l).toBe(`good\t${Buffer.from('switch to firmware 4.2 at 02:00').toString('hex')}`);
    const without = await run();
    expect(without.slice(0, 3).every((l) => l === 'unverified\t')).toBe(true);
  });

  it('mtcgk gmsg protect and verify work on the command line', async () => {
    const out: string[] = [];
    const at = (...a: string[]) => main(['gmsg', ...a], (s) => void out.push(...s.split('\n')));
    expect(await at('protect', '--keys', 'captures/group-keys.keys.json', '--gid', '00000001-001-01-02', '--gki', '1', '--count', '42', '--cipher', '--payload', '68656c6c6f')).toBe(0);
    const hex = out.pop()!;
    expect(hex).toMatch(/^[0-9a-f]+$/);
    expect(await at('verify', '--keys', 'captures/group-keys.keys.json', hex)).toBe(0);
    expect(await at('verify', '--keys', 'captures/group-keys.keys.json', hex, hex)).toBe(1);
    expect(out).toEqual(['mac good, replay ok, payload 68656c6c6f', 'mac good, replay ok, payload 68656c6c6f', 'mac good, replay replayed']);
  });
});

describe('replay window', () => {
  it('accepts new numbers, refuses repeats and numbers older than the window', () => {
    const w = new ReplayWindow(64);
    const accept = (n: number) => {
      const v = w.check(n);
      if (v === 'ok') w.accept(n);
      return v;
    };
    expect(accept(10)).toBe('ok');
    expect(accept(10)).toBe('replayed');
    expect(accept(5)).toBe('ok'); // late but inside the window
    expect(accept(5)).toBe('replayed');
    expect(accept(100)).toBe('ok');
    expect(accept(37)).toBe('ok'); // 100 - 37 = 63 < 64
    expect(accept(36)).toBe('too_old');
    expect(accept(10)).toBe('too_old');
  });

  it('never accepts one number twice, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 200 }), (seqs) => {
        const w = new ReplayWindow(64);
        const accepted = new Set<number>();
        for (const s of seqs) {
          if (w.check(s) !== 'ok') continue;
          expect(accepted.has(s)).toBe(false);
          accepted.add(s);
          w.accept(s);
        }
      }),
      params,
    );
  });
});

describe('key schedule', () => {
  const root = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  it('derives distinct keys per group, Gki, algorithm and FC, and the same keys again for the same inputs', () => {
    const base = { gid: '00000001-001-01-01', gki: 1, eea: 2 as AlgId, eia: 2 as AlgId };
    const a = deriveGroupKeys(root, base);
    expect(deriveGroupKeys(root, base)).toEqual(a);
    const hex = (k: GroupKeyRecord) => Buffer.from(k.gkConf).toString('hex') + Buffer.from(k.gkInteg).toString('hex');
    const variants = [
      { ...base, gid: '00000001-001-01-02' },
      { ...base, gki: 2 },
      { ...base, eea: 1 as AlgId },
    ].map((p) => hex(deriveGroupKeys(root, p)));
    variants.push(hex(deriveGroupKeys(root, base, GROUP_KEY_FC + 1)));
    expect(new Set([hex(a), ...variants]).size).toBe(5);
    expect(Buffer.from(a.gkConf).equals(Buffer.from(a.gkInteg))).toBe(false);
  });

  it('rolls over to the next Gki with new keys', () => {
    const a = deriveGroupKeys(root, { gid: '00000001-001-01-01', gki: 255, eea: 1, eia: 1 });
    const b = rollover(a);
    expect(b.gki).toBe(0);
    expect(b.gid).toBe(a.gid);
    expect(Buffer.from(b.gkInteg).equals(Buffer.from(a.gkInteg))).toBe(false);
  });
});
