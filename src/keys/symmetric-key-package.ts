/**
 * Group keys as an RFC 6031 symmetric key package, DER: the form in which a Group GW hands the keys
 * of its groups to an HSS. docs/diameter.md ("Key packages") describes the layout:
 *
 *   ContentInfo { id-ct-KP-sKeyPackage, [0] SymmetricKeyPackage {
 *     sKeys: one OneSymmetricKey per key, two per (GID, Gki): Gk_conf and Gk_integ } }
 *
 * Each OneSymmetricKey names its key in sKeyAttrs (PSKC attributes, RFC 6031 §3.2):
 *   id-pskc-keyId         "<GID>/<Gki>/conf" or "<GID>/<Gki>/integ"   (what import reads)
 *   id-pskc-algorithm     "urn:x-mtcgk:alg:128-EEA2", "urn:x-mtcgk:alg:128-EIA2", ...
 *   id-pskc-keyUsages     Encrypt, Decrypt (Gk_conf) / Integrity, Verify (Gk_integ)
 *   id-pskc-friendlyName  "Gk_conf, group 00000001-001-01-01, Gki 1" (for people; import ignores it)
 * and carries the 16 key octets in sKey.
 */
import * as asn1js from 'asn1js';
import { KeysError, type GroupKeyRecord } from '../security/keys.js';

/** id-ct-KP-sKeyPackage (RFC 6031 §1.1). */
export const ID_CT_KP_SKEY_PACKAGE = '1.2.840.113549.1.9.16.1.25';
const ID_PSKC = '1.2.840.113549.1.9.16.12';
export const ID_PSKC_KEY_ID = `${ID_PSKC}.9`;
export const ID_PSKC_ALGORITHM = `${ID_PSKC}.10`;
export const ID_PSKC_FRIENDLY_NAME = `${ID_PSKC}.14`;
export const ID_PSKC_KEY_USAGES = `${ID_PSKC}.24`;

const ALG_URN = 'urn:x-mtcgk:alg:';
const EEA = ['EEA0', '128-EEA1', '128-EEA2', '128-EEA3'];
const EIA = ['EIA0', '128-EIA1', '128-EIA2', '128-EIA3'];
/** TS 29.571 GroupId: GSI (8 hex digits), MCC, MNC, Local Group Id (1-10 octets, hex). */
const GID = /^[0-9a-f]{8}-[0-9]{3}-[0-9]{2,3}-(?:[0-9a-f]{2}){1,10}$/;

type Role = 'conf' | 'integ';

/** The group keys as the keys file writes them (`groups` of keys.json). */
export interface GroupKeyJson {
  gid: string;
  gki: number;
  gk_conf: string;
  gk_integ: string;
  eea: number;
  eia: number;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const der = (b: asn1js.BaseBlock) => new Uint8Array(b.toBER(false));

export function groupKeyJson(r: GroupKeyRecord): GroupKeyJson {
  return { gid: r.gid, gki: r.gki, gk_conf: hex(r.gkConf), gk_integ: hex(r.gkInteg), eea: r.eea, eia: r.eia };
}

function attribute(oid: string, value: asn1js.BaseBlock): asn1js.Sequence {
  return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), new asn1js.Set({ value: [value] })] });
}

function oneKey(g: GroupKeyRecord, role: Role): asn1js.Sequence {
  const conf = role === 'conf';
  const alg = conf ? EEA[g.eea] : EIA[g.eia];
  const usages = conf ? ['Encrypt', 'Decrypt'] : ['Integrity', 'Verify'];
  const attrs = [
    attribute(ID_PSKC_KEY_ID, new asn1js.Utf8String({ value: `${g.gid}/${g.gki}/${role}` })),
    attribute(ID_PSKC_ALGORITHM, new asn1js.Utf8String({ value: ALG_URN + alg })),
    attribute(ID_PSKC_KEY_USAGES, new asn1js.Sequence({ value: usages.map((u) => new asn1js.Utf8String({ value: u })) })),
    attribute(ID_PSKC_FRIENDLY_NAME, new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: `Gk_${role}, group ${g.gid}, Gki ${g.gki}` })] })),
  ];
  const key = conf ? g.gkConf : g.gkInteg;
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: attrs }), new asn1js.OctetString({ valueHex: key.slice().buffer })] });
}

/** The DER of a ContentInfo holding one SymmetricKeyPackage with both keys of every group. */
export function exportGroupKeys(groups: readonly GroupKeyRecord[]): Uint8Array {
  if (!groups.length) throw new KeysError('no group keys to export (the keys file has no "groups")');
  const seen = new Set<string>();
  for (const g of groups) {
    if (!GID.test(g.gid)) throw new KeysError(`${g.where}.gid: "${g.gid}" is not a group identifier like 00000001-001-01-01`);
    const id = `${g.gid}/${g.gki}`;
    if (seen.has(id)) throw new KeysError(`${g.where}: group ${g.gid} Gki ${g.gki} appears twice`);
    seen.add(id);
  }
  // SymmetricKeyPackage: version v1 is the DEFAULT, so DER leaves it out; no package attributes.
  const pkg = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: groups.flatMap((g) => [oneKey(g, 'conf'), oneKey(g, 'integ')]) })] });
  const explicit0 = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [pkg] });
  return der(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: ID_CT_KP_SKEY_PACKAGE }), explicit0] }));
}

// --- import ---

class Reader {
  constructor(private where: string) {}

  fail(path: string, detail: string): never {
    throw new KeysError(`${this.where}: not a group key package (RFC 6031): ${path}: ${detail}`);
  }

  seq(b: asn1js.AsnType | undefined, path: string): asn1js.BaseBlock[] {
    if (!(b instanceof asn1js.Sequence)) this.fail(path, 'expected a SEQUENCE');
    return (b as asn1js.Sequence).valueBlock.value;
  }

  utf8(b: asn1js.AsnType | undefined, path: string): string {
    if (!(b instanceof asn1js.Utf8String)) this.fail(path, 'expected a UTF8String');
    return (b as asn1js.Utf8String).getValue();
  }

  oid(b: asn1js.AsnType | undefined, path: string): string {
    if (!(b instanceof asn1js.ObjectIdentifier)) this.fail(path, 'expected an OBJECT IDENTIFIER');
    return (b as asn1js.ObjectIdentifier).getValue();
  }
}

const isContext0 = (b: asn1js.BaseBlock | undefined) => b !== undefined && b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0 && b.idBlock.isConstructed;

/**
 * The group keys of a DER symmetric key package (bare, or in a ContentInfo), as the keys file's
 * `groups`. Every key must name its group, Gki and role in id-pskc-keyId, and every group has both keys.
 */
export function importGroupKeys(bytes: Uint8Array, where: string): GroupKeyJson[] {
  const r = new Reader(where);
  if (!bytes.length) r.fail('/', 'the file is empty');
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(bytes);
  } catch (e) {
    return r.fail('/', (e as Error).message);
  }
  if (parsed.offset === -1) r.fail('/', `not DER: ${parsed.result.error || 'cannot decode'}`);
  if (parsed.offset !== bytes.length) r.fail('/', `${bytes.length - parsed.offset} octets after the end of the package`);
  let top = r.seq(parsed.result, '/');
  let path = '';
  // A ContentInfo: unwrap [0] EXPLICIT content when the content type is the symmetric key package.
  if (top[0] instanceof asn1js.ObjectIdentifier) {
    const type = r.oid(top[0], '/contentType');
    if (type !== ID_CT_KP_SKEY_PACKAGE) r.fail('/contentType', `${type}, expected id-ct-KP-sKeyPackage (${ID_CT_KP_SKEY_PACKAGE})`);
    if (top.length !== 2 || !isContext0(top[1])) r.fail('/content', 'expected [0] holding the SymmetricKeyPackage');
    const inner = (top[1] as asn1js.Constructed).valueBlock.value;
    if (inner.length !== 1) r.fail('/content', 'expected one SymmetricKeyPackage');
    top = r.seq(inner[0], '/content');
    path = '/content';
  }
  // SymmetricKeyPackage ::= SEQUENCE { version DEFAULT v1, sKeyPkgAttrs [0] OPTIONAL, sKeys }
  let i = 0;
  if (top[i] instanceof asn1js.Integer) {
    const v = (top[i] as asn1js.Integer).valueBlock.valueDec;
    if (v !== 1) r.fail(`${path}/version`, `version ${v}, only v1 (1) is defined`);
    i++;
  }
  if (top[i] && top[i].idBlock.tagClass === 3 && top[i].idBlock.tagNumber === 0) i++; // package attributes: not needed
  const keys = r.seq(top[i], `${path}/sKeys`);
  if (i + 1 !== top.length) r.fail(path, 'unexpected fields after sKeys');
  if (!keys.length) r.fail(`${path}/sKeys`, 'no keys');

  const groups = new Map<string, Partial<GroupKeyJson> & { gid: string; gki: number }>();
  keys.forEach((k, n) => {
    const kpath = `${path}/sKeys/${n}`;
    const parts = r.seq(k, kpath);
    const attrsBlock = parts.find((p) => p instanceof asn1js.Sequence);
    const keyBlock = parts.find((p) => p instanceof asn1js.OctetString) as asn1js.OctetString | undefined;
    if (!attrsBlock) r.fail(kpath, 'no sKeyAttrs: the key does not say which group it belongs to');
    if (!keyBlock) r.fail(kpath, 'no sKey');
    const attrs = new Map<string, asn1js.BaseBlock>();
    r.seq(attrsBlock, `${kpath}/sKeyAttrs`).forEach((a, m) => {
      const apath = `${kpath}/sKeyAttrs/${m}`;
      const [type, values] = r.seq(a, apath);
      const oid = r.oid(type, `${apath}/attrType`);
      if (!(values instanceof asn1js.Set) || values.valueBlock.value.length !== 1) r.fail(`${apath}/attrValues`, 'expected a SET of one value');
      attrs.set(oid, (values as asn1js.Set).valueBlock.value[0]);
    });
    const idText = attrs.has(ID_PSKC_KEY_ID) ? r.utf8(attrs.get(ID_PSKC_KEY_ID), `${kpath}/keyId`) : r.fail(kpath, 'no id-pskc-keyId attribute naming the group');
    const m = /^(.+)\/(\d{1,3})\/(conf|integ)$/.exec(idText);
    if (!m || !GID.test(m[1].toLowerCase()) || Number(m[2]) > 255) r.fail(`${kpath}/keyId`, `"${idText}" is not "<GID>/<Gki 0-255>/conf|integ"`);
    const [, gidText, gkiText, role] = m!;
    const gid = gidText.toLowerCase();
    const gki = Number(gkiText);
    const key = new Uint8Array(keyBlock!.valueBlock.valueHexView);
    if (key.length !== 16) r.fail(`${kpath}/sKey`, `${key.length} octets, a group key has 16`);
    let alg: number | undefined;
    if (attrs.has(ID_PSKC_ALGORITHM)) {
      const text = r.utf8(attrs.get(ID_PSKC_ALGORITHM), `${kpath}/algorithm`);
      const names = role === 'conf' ? EEA : EIA;
      alg = text.startsWith(ALG_URN) ? names.indexOf(text.slice(ALG_URN.length)) : -1;
      if (alg < 0) r.fail(`${kpath}/algorithm`, `"${text}" is not one of ${names.map((x) => ALG_URN + x).join(', ')}`);
    } else if (role === 'integ') {
      r.fail(kpath, 'no id-pskc-algorithm attribute: the integrity algorithm is needed');
    }
    const id = `${gid}/${gki}`;
    const g = groups.get(id) ?? { gid, gki };
    const field = role === 'conf' ? 'gk_conf' : 'gk_integ';
    if (g[field] !== undefined) r.fail(kpath, `a second Gk_${role} for group ${gid} Gki ${gki}`);
    g[field] = hex(key);
    if (role === 'conf') g.eea = alg ?? 0;
    else g.eia = alg;
    groups.set(id, g);
  });
  return [...groups.values()].map((g) => {
    if (g.gk_conf === undefined || g.gk_integ === undefined) r.fail(`${path}/sKeys`, `group ${g.gid} Gki ${g.gki} has no Gk_${g.gk_conf === undefined ? 'conf' : 'integ'}`);
    return { gid: g.gid, gki: g.gki, gk_conf: g.gk_conf!, gk_integ: g.gk_integ!, eea: g.eea ?? 0, eia: g.eia! };
  });
}
