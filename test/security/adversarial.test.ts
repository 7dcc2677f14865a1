/**
 * Verdicts an attacker cannot bend. Every adversarial input is built here, octet by octet from the
 * wire formats of docs/wire-formats.md and TS 24.301; MACs come from the 128-EIA primitives, which
 * test/security/vectors.test.ts checks against the official test data.
 */
import { fc, test } from '@fast-check/vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { walk, type TreeNode } from '../../src/engine/tree.js';
import { decode, deriveNasKeys, dissectFull, fromHex, parseKeys, protect, SecuritySession, toHex, unprotect, type AlgId } from '../../src/index.js';
import { encrypt, mac } from '../../src/security/algorithms.js';

const KEYS = 'captures/group-keys.keys.json';
const keysFile = JSON.parse(readFileSync(KEYS, 'utf8')) as { nas: Array<{ kasme: string }>; groups: Array<{ gid: string; gki: number; gk_integ: string; gk_conf: string; eia: number; eea: number }> };
const dir = mkdtempSync(join(tmpdir(), 'mtcgk-adversarial-'));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => void out.push(...s.split('\n')),
    (s) => void err.push(s),
  );
  return { code, out, err: err.join('\n') };
}

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const nodes = (t: TreeNode) => [...walk(t)];
const field = (t: TreeNode, filter: string) => nodes(t).find((n) => n.filter === filter)?.value;
const expertIds = (t: TreeNode) => nodes(t).flatMap((n) => n.expert.map((e) => e.id));

/** IMSI-Group Id 00000001-001-01-<lgi>: GSI, MCC 001 / MNC 01 packed as TS 24.008 does, Local Group Id. */
const gidOctets = (lgi: number) => [0, 0, 0, 1, 0x00, 0xf1, 0x10, lgi];

/**
 * A protected group message (docs/wire-formats.md): version 1, EEA and EIA identities, GID, Gki,
 * sequence number, payload; the MAC over everything before it with `macKey`/`macAlg`, or `forcedMac`.
 */
function groupMessage(o: { lgi: number; eea: number; eia: number; seq: number; payload: number[]; macKey?: Uint8Array; macAlg?: AlgId; forcedMac?: number }): Uint8Array {
  const gid = gidOctets(o.lgi);
  const body = Uint8Array.of(0x10, (o.eea << 4) | o.eia, gid.length, ...gid, 1, ...u32(o.seq), o.payload.length >> 8, o.payload.length & 0xff, ...o.payload);
  const t = o.forcedMac !== undefined ? Uint8Array.of(...u32(o.forcedMac)) : mac(o.macAlg!, o.macKey!, o.seq, 0, 1, body, body.length * 8);
  return Uint8Array.of(...body, ...t);
}

const group = (lgi: number) => keysFile.groups.find((g) => g.gid.endsWith(`-0${lgi}`))!;
const genuine = (lgi: number, seq: number, payload = [0x68, 0x69]) => {
  const g = group(lgi);
  return groupMessage({ lgi, eea: 0, eia: g.eia, seq, payload, macKey: fromHex(g.gk_integ), macAlg: g.eia as AlgId });
};

describe('group messages: the key record binds the algorithms', () => {
  const eia0Forgery = (seq: number) => groupMessage({ lgi: 1, eea: 0, eia: 0, seq, payload: [0x66, 0x77], forcedMac: 0 });

  it('an EIA0 header with MAC 0 and no key is bad, with the downgrade named and no payload', async () => {
    const r = await cli('gmsg', 'verify', '--keys', KEYS, toHex(eia0Forgery(5)));
    expect(r).toMatchObject({ code: 1, out: ['mac bad'] });
    const d = dissectFull(eia0Forgery(5), 'gmsg', { session: new SecuritySession(parseKeys(readFileSync(KEYS, 'utf8'), KEYS)) });
    expect(field(d.tree, 'gmsg.mac.status')).toBe('bad');
    expect(expertIds(d.tree)).toContain('algorithm_downgrade');
  });

  it('a forgery with sequence number 0xffffffff does not move the replay window', async () => {
    const r = await cli('gmsg', 'verify', '--keys', KEYS, toHex(eia0Forgery(0xffffffff)), toHex(genuine(1, 3)));
    expect(r.out).toEqual(['mac bad', 'mac good, replay ok, payload 6869']);
    expect(r.code).toBe(1);
  });

  it('a MAC made with the right key under another EIA than the record binds is bad', async () => {
    const g = group(2); // bound to EIA2
    expect(g.eia).toBe(2);
    const other = groupMessage({ lgi: 2, eea: 0, eia: 1, seq: 9, payload: [1, 2, 3], macKey: fromHex(g.gk_integ), macAlg: 1 });
    expect((await cli('gmsg', 'verify', '--keys', KEYS, toHex(other))).out).toEqual(['mac bad']);
    // The same message under the bound algorithm verifies: the test is about the binding alone.
    expect((await cli('gmsg', 'verify', '--keys', KEYS, toHex(genuine(2, 9, [1, 2, 3])))).out).toEqual(['mac good, replay ok, payload 010203']);
  });

  it("a ciphering algorithm other than the record's (or EEA0) is a downgrade", () => {
    const g = group(3); // EEA3/EIA3
    const m = groupMessage({ lgi: 3, eea: 1, eia: 3, seq: 1, payload: [9, 9], macKey: fromHex(g.gk_integ), macAlg: 3 });
    const d = dissectFull(m, 'gmsg', { session: new SecuritySession(parseKeys(readFileSync(KEYS, 'utf8'), KEYS)) });
    expect(field(d.tree, 'gmsg.mac.status')).toBe('bad');
    expect(expertIds(d.tree)).toContain('algorithm_downgrade');
    expect(field(d.tree, 'gmsg.ciphered_payload')).toBe('0909'); // the octets as sent, never deciphered
    expect(d.sources.has('deciphered')).toBe(false);
  });

  it('a bad MAC on a ciphered message leaves the payload ciphered; a good one deciphers it', () => {
    const g = group(1); // EEA1/EIA1
    const plain = Uint8Array.of(0x41, 0x42, 0x43, 0x44);
    const ct = encrypt(1, fromHex(g.gk_conf), 4, 0, 1, plain, 32);
    const good = groupMessage({ lgi: 1, eea: 1, eia: 1, seq: 4, payload: [...ct], macKey: fromHex(g.gk_integ), macAlg: 1 });
    const bad = good.slice();
    bad[bad.length - 1] ^= 1;
    const session = () => new SecuritySession(parseKeys(readFileSync(KEYS, 'utf8'), KEYS));
    const b = dissectFull(bad, 'gmsg', { session: session() });
    expect(field(b.tree, 'gmsg.mac.status')).toBe('bad');
    expect(b.sources.has('deciphered')).toBe(false);
    expect(nodes(b.tree).some((n) => n.show === toHex(plain))).toBe(false);
    const ok = dissectFull(good, 'gmsg', { session: session() });
    expect(field(ok.tree, 'gmsg.mac.status')).toBe('good');
    expect(toHex(ok.sources.get('deciphered')!)).toBe(toHex(plain));
  });

  it('a cut MAC, or octets after the MAC, is bad with its own expert item (not unverified, not good)', async () => {
    const m = genuine(1, 11);
    const cut = m.subarray(0, m.length - 2);
    const longer = Uint8Array.of(...m, 0);
    expect((await cli('gmsg', 'verify', '--keys', KEYS, toHex(cut))).out).toEqual(['mac bad']);
    expect((await cli('gmsg', 'verify', '--keys', KEYS, toHex(longer))).out).toEqual(['mac bad']);
    const session = new SecuritySession(parseKeys(readFileSync(KEYS, 'utf8'), KEYS));
    expect(expertIds(dissectFull(cut, 'gmsg', { session }).tree)).toContain('mac_truncated');
    expect(expertIds(dissectFull(longer, 'gmsg', { session }).tree)).toContain('trailing_data');
    // Without a key for the group it stays unverified.
    expect((await cli('gmsg', 'verify', '--keys', KEYS, toHex(groupMessage({ lgi: 9, eea: 0, eia: 2, seq: 1, payload: [], forcedMac: 0 })))).out).toEqual(['mac unverified']);
  });

  it('verify releases the payload only for a good, fresh message; --show-unverified marks the others', async () => {
    const m = toHex(genuine(1, 20, [0xaa]));
    const forged = toHex(eia0Forgery(21));
    const r = await cli('gmsg', 'verify', '--keys', KEYS, m, m, forged);
    expect(r.out).toEqual(['mac good, replay ok, payload aa', 'mac good, replay replayed', 'mac bad']);
    const s = await cli('gmsg', 'verify', '--keys', KEYS, '--show-unverified', m, m, forged);
    expect(s.out).toEqual(['mac good, replay ok, payload aa', 'mac good, replay replayed, payload (not fresh) aa', 'mac bad, payload as sent (unverified) 6677']);
  });

  it('verify exits 2 for bad options or unreadable input', async () => {
    expect((await cli('gmsg', 'verify', '--keys', KEYS, 'zz')).code).toBe(2);
    expect((await cli('gmsg', 'verify', '--keys', KEYS, '--bogus', 'aa')).code).toBe(2);
    expect((await cli('gmsg', 'verify', '--keys', join(dir, 'missing.json'), 'aa')).code).toBe(2);
  });
});

describe('group message sender state', () => {
  const protect = (...extra: string[]) => cli('gmsg', 'protect', '--keys', KEYS, '--gid', '00000001-001-01-02', '--gki', '1', '--payload', '0102', ...extra);
  const seqOf = (hex: string) => parseInt(hex.slice(2 * 12, 2 * 16), 16); // octets 12-15: after version, algorithms, GID length, 8-octet GID, Gki

  it('takes the next COUNT from the state file and refuses one not above the last', async () => {
    const state = join(dir, 'state-a.json');
    const a = await protect('--state', state);
    const b = await protect('--state', state);
    expect([seqOf(a.out[0]), seqOf(b.out[0])]).toEqual([0, 1]);
    expect(await protect('--state', state, '--count', '1')).toMatchObject({ code: 1, out: [] });
    const c = await protect('--state', state, '--count', '10');
    expect(seqOf(c.out[0])).toBe(10);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ last_count: { '00000001-001-01-02/1': 10 } });
  });

  it('refuses COUNT 0xffffffff, and names the next Gki once the last COUNT is used', async () => {
    expect((await protect('--count', '0xffffffff')).code).toBe(1);
    const state = join(dir, 'state-b.json');
    writeFileSync(state, JSON.stringify({ last_count: { '00000001-001-01-02/1': 0xfffffffe } }));
    const r = await protect('--state', state);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Gki 2/);
  });

  it('two senders sharing a state file never take the same COUNT', async () => {
    const state = join(dir, 'state-c.json');
    const run = promisify(execFile);
    const outs = await Promise.all(
      Array.from({ length: 6 }, () => run('node', ['bin/mtcgk.js', 'gmsg', 'protect', '--keys', KEYS, '--gid', '00000001-001-01-02', '--gki', '1', '--payload', '00', '--state', state])),
    );
    const counts = outs.map((o) => seqOf(o.stdout.trim())).sort((x, y) => x - y);
    expect(counts).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);
});

describe('NAS: no downgrade to EIA0', () => {
  const kasme = keysFile.nas[0].kasme;
  /** A plain Security Mode Command selecting `sel` (EEA << 4 | EIA), KSI 0, UE security capabilities EEA0-3/EIA1-3. */
  const smcPlain = (sel: number) => [0x07, 0x5d, sel, 0x00, 0x02, 0xf0, 0x70];
  /** SHT 3 (integrity protected with new context), PD 7, MAC, SQN, message. */
  const smcProtected = (sel: number, macBytes: number[], sqn = 0) => Uint8Array.of(0x37, ...macBytes, sqn, ...smcPlain(sel));
  const genuineSmc = (sel: number, sqn: number) => {
    const eea = (sel >> 4) as AlgId;
    const eia = (sel & 7) as AlgId;
    const { knasint } = deriveNasKeys(fromHex(kasme), eea, eia);
    const covered = Uint8Array.of(sqn, ...smcPlain(sel));
    return smcProtected(sel, [...mac(eia, knasint, sqn, 0, 1, covered, covered.length * 8)], sqn);
  };
  const session = (record: Record<string, unknown>) => new SecuritySession(parseKeys(JSON.stringify({ nas: [{ kasme, ...record }] }), 'k.json'));
  const status = (s: SecuritySession, bytes: Uint8Array) => {
    const d = dissectFull(bytes, 'nas-eps', { session: s, direction: 'dl' });
    return { mac: field(d.tree, 'nas_eps.msg_auth_code.status'), experts: expertIds(d.tree), replay: field(d.tree, 'nas_eps.replay.status') };
  };

  it('a forged SMC selecting EIA0 with MAC 0 is bad (null_integrity) and does not switch the context', () => {
    const s = session({});
    expect(status(s, smcProtected(0x00, [0, 0, 0, 0]))).toMatchObject({ mac: 'bad', experts: expect.arrayContaining(['null_integrity']) });
    // A genuine SMC and a genuine message after it still verify; a later forgery under EIA0 does not.
    expect(status(s, genuineSmc(0x22, 0)).mac).toBe('good');
    const { knasint } = deriveNasKeys(fromHex(kasme), 2, 2);
    const plain = [0x07, 0x55, 0x01]; // Identity request, SHT 1
    const covered = Uint8Array.of(1, ...plain);
    const msg = Uint8Array.of(0x17, ...mac(2, knasint, 1, 0, 1, covered, covered.length * 8), 1, ...plain);
    expect(status(s, msg)).toMatchObject({ mac: 'good', replay: 'ok' });
    expect(status(s, Uint8Array.of(0x17, 0, 0, 0, 0, 2, ...plain)).mac).toBe('bad');
  });

  it('a record without eia tries EIA1-3 only, never EIA0', () => {
    expect(status(session({}), Uint8Array.of(0x17, 0, 0, 0, 0, 0, 0x07, 0x55, 0x01)).mac).toBe('bad');
  });

  it('an SMC selecting a reserved algorithm identity (4-7) is bad, names it, and leaves the context as it was', () => {
    const s = session({});
    for (const sel of [0x06, 0x26, 0x42, 0x77]) {
      const d = dissectFull(smcProtected(sel, [0, 0, 0, 0]), 'nas-eps', { session: s, direction: 'dl' });
      expect(field(d.tree, 'nas_eps.msg_auth_code.status')).toBe('bad');
      expect(d.expert.find((e) => e.id === 'unknown_algorithm')?.message).toContain((sel & 7) > 3 ? `EIA${sel & 7}` : `EEA${sel >> 4}`);
    }
    // The context still verifies the genuine SMC and follows it.
    expect(status(s, genuineSmc(0x22, 0)).mac).toBe('good');
  });

  it("an SMC verifies under the algorithms it selects, not under the record's", () => {
    expect(status(session({ eea: 1, eia: 1 }), genuineSmc(0x33, 0)).mac).toBe('good');
    expect(status(session({}), genuineSmc(0x11, 0)).mac).toBe('good');
  });

  it('"allow_null": true accepts EIA0, still flagged', () => {
    expect(status(session({ allow_null: true }), smcProtected(0x00, [0, 0, 0, 0]))).toMatchObject({ mac: 'good', experts: expect.arrayContaining(['null_integrity']) });
    expect(() => parseKeys(JSON.stringify({ nas: [{ kasme, allow_null: 'yes' }] }), 'k.json')).toThrow(/allow_null/);
  });

  it('a replayed NAS message shows nas_eps.replay.status = replayed', () => {
    const s = session({});
    const smc = genuineSmc(0x22, 0);
    expect(status(s, smc).replay).toBe('ok');
    expect(status(s, smc)).toMatchObject({ mac: 'good', replay: 'replayed' });
  });

  it('two ciphered group key IEs in one SMC reuse one keystream: flagged', () => {
    // The SMC of captures/group-keys-nas.txt carries one ciphered Group key information IE (IEI 0x76, TLV-E).
    const line = readFileSync('captures/group-keys-nas.txt', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('DL smc-with-ciphered-group-keys'))!;
    const plain = [...fromHex(line.split(': ')[1])].slice(6);
    const ie = plain.slice(7);
    expect(ie[0]).toBe(0x76);
    const sel = plain[2];
    const twice = [...plain, ...ie];
    const { knasint } = deriveNasKeys(fromHex(kasme), (sel >> 4) as AlgId, (sel & 7) as AlgId);
    const covered = Uint8Array.of(0, ...twice);
    const msg = Uint8Array.of(0x37, ...mac((sel & 7) as AlgId, knasint, 0, 0, 1, covered, covered.length * 8), 0, ...twice);
    const s = status(session({}), msg);
    expect(s.mac).toBe('good');
    expect(s.experts).toContain('keystream_reused');
    expect(status(session({}), Uint8Array.of(0x37, ...mac((sel & 7) as AlgId, knasint, 0, 0, 1, Uint8Array.of(0, ...plain), (plain.length + 1) * 8), 0, ...plain)).experts).not.toContain(
      'keystream_reused',
    );
  });
});

describe('dissecting with keys never throws', () => {
  // The protected NAS messages of the group key captures, each with octets changed and possibly cut:
  // the octets a scheme reads (algorithm selections, sequence numbers, lengths) are the attacker's.
  const captured = ['captures/group-keys-nas.txt', 'captures/group-keys-audit.txt'].flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((l) => {
        const m = /^(UL|DL) [^:]*: ([0-9a-f]+)$/.exec(l);
        return m ? [{ direction: m[1].toLowerCase() as 'ul' | 'dl', bytes: fromHex(m[2]) }] : [];
      }),
  );
  const keys = parseKeys(readFileSync(KEYS, 'utf8'), KEYS);
  const edit = fc.record({ at: fc.nat(), octet: fc.integer({ min: 0, max: 255 }) });

  it('on the captures with octets changed and cut: a tree, never an exception', () => {
    expect(captured.length).toBeGreaterThan(8);
    fc.assert(
      fc.property(fc.nat({ max: captured.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.option(fc.nat()), (i, edits, cut) => {
        const { direction, bytes } = captured[i];
        const b = Uint8Array.from(bytes);
        for (const e of edits) b[e.at % b.length] = e.octet;
        const input = cut === null ? b : b.subarray(0, cut % (b.length + 1));
        expect(dissectFull(input, 'nas-eps', { session: new SecuritySession(keys), direction }).tree).toBeDefined();
      }),
      { seed: 20261205, numRuns: process.env.MTCGK_DEEP === '1' ? 100000 : 3000 },
    );
  });
});

describe('nothing changes its inputs', () => {
  /** Data inside a larger buffer, with guard bytes on both sides, as a Node Buffer or a plain view. */
  const framed = fc.record({
    data: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    guard: fc.integer({ min: 1, max: 8 }),
    buffer: fc.boolean(),
    key: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    count: fc.integer({ min: 0, max: 0xffffffff }),
  });
  test.prop([framed, fc.constantFrom<AlgId>(0, 1, 2, 3)], { seed: 7, numRuns: 200 })('encrypt and mac leave Buffers and subviews as they were', (x, alg) => {
    const whole = new Uint8Array(x.data.length + 2 * x.guard).fill(0xa5);
    whole.set(x.data, x.guard);
    const backing = x.buffer ? Buffer.from(whole.buffer, whole.byteOffset, whole.length) : whole;
    const view = backing.subarray(x.guard, x.guard + x.data.length);
    const before = toHex(backing);
    encrypt(alg, x.key, x.count, 0, 1, view, x.data.length * 8);
    mac(alg, x.key, x.count, 0, 1, view, x.data.length * 8);
    expect(toHex(backing)).toBe(before);
  });

  it('ciphered NAS messages read as Buffers (as from a pcap) verify the same on a second pass (keys reloaded)', () => {
    const keys = parseKeys(readFileSync('captures/nas-eps-protected.keys.json', 'utf8'), 'keys');
    const lines = readFileSync('captures/nas-eps-protected.txt', 'utf8')
      .split('\n')
      .filter((l) => /^(UL|DL)/.test(l));
    const frames = lines.map((l) => ({ l, direction: l.slice(0, 2).toLowerCase() as 'ul' | 'dl', bytes: Buffer.from(fromHex(l.split(': ').pop()!)) }));
    const before = frames.map((f) => toHex(f.bytes));
    for (let pass = 0; pass < 2; pass++) {
      const s = new SecuritySession(keys);
      for (const f of frames) {
        const d = dissectFull(f.bytes, 'nas-eps', { session: s, direction: f.direction });
        expect(field(d.tree, 'nas_eps.msg_auth_code.status'), `${f.l} (pass ${pass + 1})`).toBe('good');
      }
    }
    expect(frames.map((f) => toHex(f.bytes))).toEqual(before);
  });
});

describe('bounded nesting', () => {
  it('500 nested security headers: an expert item, no exception, exit 0', async () => {
    const nested = Uint8Array.of(...Array.from({ length: 500 }, () => [0x17, 0, 0, 0, 0, 0]).flat(), 0x07, 0x55, 0x01);
    const d = dissectFull(nested, 'nas-eps');
    expect(expertIds(d.tree)).toContain('nesting_too_deep');
    const f = join(dir, 'nested.txt');
    writeFileSync(f, `${toHex(nested)}\n075501\n`);
    const r = await cli('-r', f, '-V');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('Identity request');
  });

  it('1500 nested grouped AVPs: an expert item, no exception', () => {
    // Vendor-Specific-Application-Id (260, grouped, M bit) inside itself, innermost empty.
    let avp: number[] = [];
    for (let i = 0; i < 1500; i++) avp = [0, 0, 1, 4, 0x40, ...u32(8 + avp.length).slice(1), ...avp];
    const len = 20 + avp.length;
    const msg = Uint8Array.of(1, ...u32(len).slice(1), 0x80, 0, 1, 0x3c, 0, 0, 0, 0, ...u32(1), ...u32(1), ...avp);
    const d = dissectFull(msg, 'diameter');
    expect(expertIds(d.tree)).toContain('nesting_too_deep');
  });
});

describe('a protected message inside a plain one', () => {
  const ctx = { knasint: new Uint8Array(16).fill(1), knasenc: new Uint8Array(16).fill(2), eea: 2 as AlgId, eia: 2 as AlgId, count: 5, direction: 'ul' as const };
  // Security mode complete (TS 24.301 §8.2.21): 07 5e, then IEI 0x79 Replayed NAS message container (TLV-E).
  const genuine = protect(Uint8Array.of(0x07, 0x5e), 4, ctx);
  const wrapped = Uint8Array.of(0x07, 0x5e, 0x79, 0, genuine.length, ...genuine);

  it('does not lend its MAC to the plain message around it', () => {
    expect(unprotect(genuine, ctx).mac).toBe('good');
    expect(() => unprotect(wrapped, ctx)).toThrow('not a security protected NAS message');
  });

  it('is sealed as given: protecting the outer message leaves its MAC and ciphertext alone', () => {
    const plain = { message: 'security_mode_complete', replayed_nas_message_container: { nas_message: decode(genuine) } };
    for (const sht of [1, 2] as const) {
      const sealed = protect(plain, sht, { ...ctx, count: 9 });
      const got = unprotect(sealed, { ...ctx, count: 9 });
      expect(got.mac).toBe('good');
      // The plain outer message carries the inner one octet for octet.
      expect(toHex(got.plain!)).toBe(toHex(wrapped));
    }
  });
});

describe('long text', () => {
  it('a 300,000-octet Origin-Host decodes, dissects and prints as a field without an exception', async () => {
    const n = 300_000;
    // RFC 6733: a header (AIR, code 318), then Origin-Host (264, M bit) holding n octets 'a' (no padding: n % 4 == 0).
    const msg = new Uint8Array(20 + 8 + n).fill(0x61);
    msg.set([1, ...u32(msg.length).slice(1), 0x80, 0, 1, 0x3e, 0, 0, 0, 0, ...u32(1), ...u32(1), 0, 0, 1, 8, 0x40, ...u32(8 + n).slice(1)]);
    expect((decode(msg, 'diameter') as { avps: Array<{ data: { value: string } }> }).avps[0].data.value.length).toBe(n);
    expect(dissectFull(msg, 'diameter').expert.filter((e) => e.severity === 'error')).toEqual([]);
    const f = join(dir, 'long.txt');
    writeFileSync(f, `[diameter] long: ${toHex(msg)}\n`);
    const r = await cli('-r', f, '-T', 'fields', '-e', 'diameter.Origin-Host');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('a'.repeat(n));
  });
});

describe('errors never print key material', () => {
  it('a keys file with a JSON syntax error names the place only', async () => {
    const secret = 'c0ffee'.repeat(10) + 'c0ff';
    const f = join(dir, 'broken.json');
    writeFileSync(f, `{"nas": [{"kasme": "${secret}",, }]}`);
    const r = await cli('-r', 'captures/nas-eps-samples.txt', '--keys', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.json: not valid JSON/);
    expect(r.err).not.toMatch(/c0ff/i);
  });

  it('keys files with values of the wrong type exit 2 with one line', async () => {
    for (const bad of [
      { nas: [{ kasme: 5 }] },
      { nas: [{ kasme: 'aa'.repeat(32), ue: { toString: 1 } }] },
      { groups: [{ gid: 'hello', gki: 1, gk_conf: 'aa'.repeat(16), gk_integ: 'aa'.repeat(16), eia: 2 }] },
      { groups: [{ gid: 7 }] },
    ]) {
      const f = join(dir, 'wrong.json');
      writeFileSync(f, JSON.stringify(bad));
      const r = await cli('-r', 'captures/nas-eps-samples.txt', '--keys', f);
      expect(r.code, JSON.stringify(bad)).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
    }
  });
});

describe('files holding keys', () => {
  it('flow --out writes keys.json with mode 0600; keys export too', async () => {
    const out = join(dir, 'flow');
    expect((await cli('flow', '--variant', 'hss', '--ues', '1', '--out', out)).code).toBe(0);
    expect(statSync(join(out, 'keys.json')).mode & 0o777).toBe(0o600);
    const der = join(dir, 'k.der');
    expect((await cli('keys', 'export', '--der', '--keys', KEYS, '--out', der)).code).toBe(0);
    expect(statSync(der).mode & 0o777).toBe(0o600);
  });

  it('an output path that cannot be written exits 2 with one line', async () => {
    for (const argv of [
      ['flow', '--variant', 'hss', '--ues', '1', '--out', '/proc/mtcgk-nope'],
      ['keys', 'export', '--der', '--keys', KEYS, '--out', '/proc/mtcgk-nope/k.der'],
      ['convert', '--to', 'pcapng', '-r', 'captures/nas-eps-samples.txt', '-w', join(dir, 'missing', 'x.pcapng')],
      ['export', 'lua', '--out', join(dir, 'missing', 'x.lua')],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});

describe('display filter regular expressions run in linear time', () => {
  it('a catastrophic pattern on a long value returns', async () => {
    // 64 hex zeros: a backtracking engine tries 2^64 ways to split them before failing.
    const m = groupMessage({ lgi: 1, eea: 0, eia: 1, seq: 1, payload: Array(32).fill(0), forcedMac: 0 });
    const r = await cli('--proto', 'gmsg', '--hex', toHex(m), '-T', 'fields', '-e', 'gmsg.seq', '-Y', 'gmsg.payload matches "^(0+)+1$"');
    expect(r).toMatchObject({ code: 0, out: [] });
    expect((await cli('--proto', 'gmsg', '--hex', toHex(m), '-T', 'fields', '-e', 'gmsg.seq', '-Y', 'gmsg.payload matches "^(0+)+$"')).out).toEqual(['1']);
  });

  it('RE2 syntax: a backreference is a filter error', async () => {
    const r = await cli('--hex', '075501', '-Y', 'nas_eps.nas_msg_emm_type matches "(5)\\\\1"');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/RE2/);
  });
});
