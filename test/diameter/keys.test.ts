/**
 * `mtcgk keys export|import`: group keys as an RFC 6031 symmetric key package (DER), as a Group GW
 * hands them to an HSS. (The tests live with the Diameter ones: the package is what S6m carries.)
 */
import * as asn1js from 'asn1js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/engine/format.js';
import { exportGroupKeys, ID_CT_KP_SKEY_PACKAGE, importGroupKeys } from '../../src/keys/symmetric-key-package.js';
import { parseKeys } from '../../src/security/keys.js';
import { runCli as cli } from '../helpers/cli.js';

const groups = [
  { gid: '00000001-001-01-01', gki: 1, gk_conf: '000102030405060708090a0b0c0d0e0f', gk_integ: '101112131415161718191a1b1c1d1e1f', eea: 2, eia: 2 },
  { gid: '00000001-001-01-01', gki: 2, gk_conf: '202122232425262728292a2b2c2d2e2f', gk_integ: '303132333435363738393a3b3c3d3e3f', eea: 0, eia: 1 },
  { gid: '000003e9-262-001-a1b2c3', gki: 255, gk_conf: 'ffeeddccbbaa99887766554433221100', gk_integ: '00112233445566778899aabbccddeeff', eea: 3, eia: 3 },
];
const keysFile = { nas: [{ kasme: '00'.repeat(32), eea: 0, eia: 2 }], groups };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtcgk-keys-'));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keysFile));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = (name: string) => join(dir, name);

describe('mtcgk keys export / import (RFC 6031)', () => {
  it('export then import gives the same groups section', async () => {
    const e = await cli('keys', 'export', '--der', '--keys', path('keys.json'), '--out', path('groups.der'));
    expect(e).toMatchObject({ code: 0, err: '' });
    expect(e.out).toBe(`3 group key sets (6 keys) written to ${path('groups.der')} (${readFileSync(path('groups.der')).length} octets)`);
    const i = await cli('keys', 'import', '--der', path('groups.der'));
    expect(i).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(i.out)).toEqual({ groups });
    const o = await cli('keys', 'import', '--der', path('groups.der'), '--out', path('back.json'));
    expect(o).toEqual({ code: 0, out: `3 group key sets written to ${path('back.json')}`, err: '' });
    expect(JSON.parse(readFileSync(path('back.json'), 'utf8'))).toEqual({ groups });
    // What import writes is a keys file mtcgk reads.
    expect(parseKeys(readFileSync(path('back.json'), 'utf8'), 'back.json').groups.map((g) => g.gki)).toEqual([1, 2, 255]);
  });

  it('writes a ContentInfo with one OneSymmetricKey per key, named by its PSKC attributes', () => {
    const der = exportGroupKeys(parseKeys(JSON.stringify({ groups: groups.slice(0, 1) }), 'k').groups);
    // SEQUENCE { OID id-ct-KP-sKeyPackage, [0] { SEQUENCE (package) { SEQUENCE (sKeys) ...
    expect(toHex(der.subarray(0, 4))).toMatch(/^3082/);
    expect(toHex(der)).toContain('060b2a864886f70d010910011' + '9a082');
    const top = asn1js.fromBER(der);
    expect(top.offset).toBe(der.length);
    const [oid, content] = (top.result as asn1js.Sequence).valueBlock.value;
    expect((oid as asn1js.ObjectIdentifier).getValue()).toBe(ID_CT_KP_SKEY_PACKAGE);
    const pkg = (content as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
    expect(pkg.valueBlock.value).toHaveLength(1); // version v1 is the DEFAULT: not in DER
    const keys = (pkg.valueBlock.value[0] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[];
    expect(keys).toHaveLength(2);
    const text = (k: asn1js.Sequence) => toHex(new Uint8Array(k.toBER(false)));
    const utf8 = (s: string) => toHex(new TextEncoder().encode(s));
    expect(text(keys[0])).toContain(utf8('00000001-001-01-01/1/conf'));
    expect(text(keys[0])).toContain(utf8('urn:x-mtcgk:alg:128-EEA2'));
    expect(text(keys[0])).toContain(utf8('Gk_conf, group 00000001-001-01-01, Gki 1'));
    expect(text(keys[0]).endsWith('0410' + groups[0].gk_conf)).toBe(true);
    expect(text(keys[1])).toContain(utf8('00000001-001-01-01/1/integ'));
    expect(text(keys[1]).endsWith('0410' + groups[0].gk_integ)).toBe(true);
  });

  // Fails, not skips, when openssl is missing: CI installs it.
  it('is DER that openssl asn1parse reads', async () => {
    await cli('keys', 'export', '--der', '--keys', path('keys.json'), '--out', path('o.der'));
    const r = spawnSync('openssl', ['asn1parse', '-inform', 'DER', '-in', path('o.der')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s*0:d=0\s+hl=\d\s+l=\s*\d+\s+cons: SEQUENCE/);
    expect(lines.filter((l) => /prim: OCTET STRING/.test(l))).toHaveLength(6);
    // openssl shows an OCTET STRING of printable octets as text (group 2's Gk_conf is " !\"#$%&'()*+,-./").
    for (const k of [groups[0].gk_conf, groups[0].gk_integ, groups[2].gk_conf, groups[2].gk_integ]) expect(r.stdout).toContain(`[HEX DUMP]:${k.toUpperCase()}`);
    expect(lines.filter((l) => /UTF8STRING\s+:00000001-001-01-01\/2\/integ$/.test(l))).toHaveLength(1);
    // A strict DER check: openssl re-encodes what it parsed to the same octets.
    const re = spawnSync('openssl', ['asn1parse', '-inform', 'DER', '-in', path('o.der'), '-out', path('re.der'), '-noout'], { encoding: 'utf8' });
    expect(re.status).toBe(0);
    expect(toHex(readFileSync(path('re.der')))).toBe(toHex(readFileSync(path('o.der'))));
  });

  it('imports a bare SymmetricKeyPackage too', () => {
    const der = exportGroupKeys(parseKeys(JSON.stringify({ groups }), 'k').groups);
    const wrapped = asn1js.fromBER(der).result as asn1js.Sequence;
    const bare = new Uint8Array(((wrapped.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).toBER(false));
    expect(importGroupKeys(bare, 'bare.der')).toEqual(groups);
  });

  describe('errors: one line, exit 2 for unusable input, 1 for bad options', () => {
    const oneLine = (r: { err: string }) => expect(r.err.split('\n')).toHaveLength(1);

    it.each([
      [['keys'], /keys takes export or import/],
      [['keys', 'frob'], /keys takes export or import/],
      [['keys', 'export', '--keys', 'k.json', '--out', 'x.der'], /give --der/],
      [['keys', 'export', '--der', '--out', 'x.der'], /needs --keys FILE/],
      [['keys', 'export', '--der', '--keys', 'k.json'], /needs --out/],
      [['keys', 'export', '--der', '--keys'], /--keys requires a value/],
      [['keys', 'import'], /needs --der F.der/],
      [['keys', 'import', '--der', 'a.der', '--der', 'b.der'], /--der given twice/],
      [['keys', 'import', '--der', 'a.der', '--pem'], /unknown keys option "--pem"/],
    ])('%j exits 1', async (argv, message) => {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')[0]).toMatch(/^mtcgk: /);
    });

    it('a file that cannot be read', async () => {
      const r = await cli('keys', 'import', '--der', path('missing.der'));
      expect(r).toEqual({ code: 2, out: '', err: `mtcgk: The file "${path('missing.der')}" could not be read: ENOENT` });
      const e = await cli('keys', 'export', '--der', '--keys', path('missing.json'), '--out', path('x.der'));
      expect(e.code).toBe(2);
      oneLine(e);
    });

    it('a keys file without group keys, or with a bad one', async () => {
      writeFileSync(path('nas-only.json'), JSON.stringify({ nas: keysFile.nas }));
      const r = await cli('keys', 'export', '--der', '--keys', path('nas-only.json'), '--out', path('x.der'));
      expect(r).toEqual({ code: 2, out: '', err: 'mtcgk: no group keys to export (the keys file has no "groups")' });
      writeFileSync(path('bad-gid.json'), JSON.stringify({ groups: [{ ...groups[0], gid: 'group-one' }] }));
      const b = await cli('keys', 'export', '--der', '--keys', path('bad-gid.json'), '--out', path('x.der'));
      expect(b.code).toBe(2);
      expect(b.err).toMatch(/groups\[0\]\.gid: expected an IMSI-Group Identifier/);
      writeFileSync(path('twice.json'), JSON.stringify({ groups: [groups[0], groups[0]] }));
      const t = await cli('keys', 'export', '--der', '--keys', path('twice.json'), '--out', path('x.der'));
      expect(t.err).toMatch(/group 00000001-001-01-01 Gki 1 appears twice/);
    });

    const der = () => exportGroupKeys(parseKeys(JSON.stringify({ groups: groups.slice(0, 1) }), 'k').groups);
    /** A package with its first OneSymmetricKey rebuilt by `edit` (attributes by OID, the key octets). */
    function withFirstKey(edit: (attrs: asn1js.Sequence[], key: asn1js.OctetString) => asn1js.BaseBlock[]): Uint8Array {
      const top = asn1js.fromBER(der()).result as asn1js.Sequence;
      const keys = ((top.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const first = keys.valueBlock.value[0] as asn1js.Sequence;
      const [attrs, key] = first.valueBlock.value as [asn1js.Sequence, asn1js.OctetString];
      first.valueBlock.value = edit(attrs.valueBlock.value as asn1js.Sequence[], key);
      return new Uint8Array(top.toBER(false));
    }
    const oid = (a: asn1js.Sequence) => (a.valueBlock.value[0] as asn1js.ObjectIdentifier).getValue();

    it.each([
      ['not DER at all', () => new TextEncoder().encode('{"groups": []}'), /not a group key package \(RFC 6031\): \/: /],
      ['empty', () => new Uint8Array(0), /\/: the file is empty/],
      ['truncated', () => der().subarray(0, 100), /not a group key package/],
      ['trailing octets', () => new Uint8Array([...der(), 0, 0]), /2 octets after the end of the package/],
      [
        'another content type',
        () => {
          const d = der().slice();
          d[d.indexOf(0x19, 10)] = 0x18; // id-ct-KP-sKeyPackage (..1.25) -> ..1.24
          return d;
        },
        /\/contentType: 1\.2\.840\.113549\.1\.9\.16\.1\.24, expected id-ct-KP-sKeyPackage/,
      ],
      ['a key without attributes', () => withFirstKey((_a, key) => [key]), /\/content\/sKeys\/0: no sKeyAttrs/],
      ['a key without keyId', () => withFirstKey((a, key) => [new asn1js.Sequence({ value: a.filter((x) => !oid(x).endsWith('.12.9')) }), key]), /no id-pskc-keyId attribute/],
      ['a key of 8 octets', () => withFirstKey((a) => [new asn1js.Sequence({ value: a }), new asn1js.OctetString({ valueHex: new Uint8Array(8).buffer })]), /sKey: 8 octets, a group key has 16/],
      [
        'a group with one key only',
        () => {
          const top = asn1js.fromBER(der()).result as asn1js.Sequence;
          const keys = ((top.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
          keys.valueBlock.value.pop();
          return new Uint8Array(top.toBER(false));
        },
        /group 00000001-001-01-01 Gki 1 has no Gk_integ/,
      ],
    ])('%s', async (_name, bytes, message) => {
      writeFileSync(path('bad.der'), bytes());
      const r = await cli('keys', 'import', '--der', path('bad.der'));
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(new RegExp(`^mtcgk: ${path('bad.der').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      oneLine(r);
    });

    it('a package whose group uses EIA0, which a keys file does not allow', async () => {
      const edited = withFirstKey((a, key) => [new asn1js.Sequence({ value: a }), key]); // unchanged conf key
      const top = asn1js.fromBER(edited).result as asn1js.Sequence;
      const keys = ((top.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const integ = keys.valueBlock.value[1] as asn1js.Sequence;
      const attrs = (integ.valueBlock.value[0] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[];
      const alg = attrs.find((x) => oid(x).endsWith('.12.10'))!;
      (alg.valueBlock.value[1] as asn1js.Set).valueBlock.value = [new asn1js.Utf8String({ value: 'urn:x-mtcgk:alg:EIA0' })];
      writeFileSync(path('eia0.der'), new Uint8Array(top.toBER(false)));
      const r = await cli('keys', 'import', '--der', path('eia0.der'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/groups\[0\]\.eia: expected an algorithm identity 1-3/);
      oneLine(r);
    });
  });
});
