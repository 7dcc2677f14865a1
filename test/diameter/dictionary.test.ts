/**
 * The Diameter dictionary (grammars/diameter) against Wireshark's, as tshark installs it
 * (/usr/share/wireshark/diameter/dictionary.xml and the files it includes, TGPP.xml among them), read
 * here at test time: every AVP has the same code, name and a compatible type for its vendor (0 or
 * 10415), but for the differences listed in dictionary.ts with their reasons; an exception that
 * Wireshark no longer needs fails too. Fails, not skips, when the files are missing: CI installs tshark.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StructType } from '../../src/grammar/ir.js';
import {
  AVP_TYPES,
  type AvpType,
  COMPATIBLE,
  dataSwitch,
  entryFor,
  grammarDictionary,
  NOT_IN_WIRESHARK,
  valueFilter,
  WIRESHARK_NAMES,
  WIRESHARK_TYPES,
  type WiresharkAvp,
  wiresharkDictionary,
} from './dictionary.js';
import { ir } from './messages.js';

const dict = grammarDictionary(ir);
const TGPP = 10415;

/** The AVPs of a specification in the dictionary (by the spec_ref of their types). */
const bySpec = (spec: string) => dict.filter((e) => e.struct.specRef?.startsWith(`${spec} `) || e.struct.specRef === spec);

describe('Diameter dictionary', () => {
  let ws: WiresharkAvp[];
  beforeAll(() => {
    ws = wiresharkDictionary();
  });

  it("reads Wireshark's installed dictionary", () => {
    expect(ws.filter((a) => a.vendor === 0).length).toBeGreaterThan(300);
    expect(ws.filter((a) => a.vendor === TGPP).length).toBeGreaterThan(1000);
    expect(ws.some((a) => a.file === 'TGPP.xml')).toBe(true);
    expect(ws.find((a) => a.code === 1400 && a.vendor === TGPP)?.name).toBe('Subscription-Data');
  });

  it('has every AVP with the code, name and a compatible type that Wireshark gives it, for its vendor', () => {
    const problems: string[] = [];
    const used = { missing: new Set<string>(), names: new Set<string>(), types: new Set<string>() };
    for (const e of dict) {
      const at = `${e.name} (${e.code}, vendor ${e.vendor})`;
      const theirs = ws.filter((a) => a.code === e.code && a.vendor === e.vendor);
      if (!theirs.length) {
        if (NOT_IN_WIRESHARK.has(e.name)) used.missing.add(e.name);
        else problems.push(`${at}: not in Wireshark's dictionary`);
        const same = ws.find((a) => a.name === e.name && a.vendor === e.vendor);
        if (same) problems.push(`${at}: Wireshark has ${e.name} as code ${same.code}`);
        continue;
      }
      if (NOT_IN_WIRESHARK.has(e.name)) problems.push(`${at}: listed as not in Wireshark, which has it as ${theirs[0].name}`);
      const alias = WIRESHARK_NAMES.get(e.name);
      const names = theirs.map((a) => a.name.trim());
      if (alias) {
        used.names.add(e.name);
        if (!names.includes(alias[0])) problems.push(`${at}: listed as ${alias[0]} in Wireshark, which has ${names.join(', ')}`);
      } else if (!names.includes(e.name)) problems.push(`${at}: Wireshark names it ${names.join(', ')}`);
      const types = theirs.map((a) => a.type);
      const exception = WIRESHARK_TYPES.get(e.name);
      if (exception) {
        used.types.add(e.name);
        if (!types.includes(exception[0])) problems.push(`${at}: listed as ${exception[0]} in Wireshark, which has ${types.join(', ')}`);
      } else if (!types.some((t) => COMPATIBLE[e.type].includes(t))) problems.push(`${at}: ${e.type}, Wireshark ${types.join(', ')}`);
    }
    for (const n of NOT_IN_WIRESHARK.keys()) if (!used.missing.has(n)) problems.push(`NOT_IN_WIRESHARK: ${n} is not an AVP of the dictionary, or Wireshark has it`);
    for (const n of WIRESHARK_NAMES.keys()) if (!used.names.has(n)) problems.push(`WIRESHARK_NAMES: ${n} is not an AVP of the dictionary`);
    for (const n of WIRESHARK_TYPES.keys()) if (!used.types.has(n)) problems.push(`WIRESHARK_TYPES: ${n} is not an AVP of the dictionary`);
    expect(problems).toEqual([]);
    console.log(
      `Diameter dictionary: ${dict.length} AVPs (${dict.filter((e) => e.vendor === 0).length} IETF, ${dict.filter((e) => e.vendor === TGPP).length} 3GPP), ` +
        `${dict.length - NOT_IN_WIRESHARK.size} in Wireshark's (${WIRESHARK_NAMES.size} named otherwise, ${WIRESHARK_TYPES.size} typed otherwise), ${NOT_IN_WIRESHARK.size} not`,
    );
  });

  it("shows every AVP's value under Wireshark's filter name", () => {
    const problems: string[] = [];
    for (const e of dict) {
      const name = WIRESHARK_NAMES.get(e.name)?.[0] ?? e.name;
      if (valueFilter(e) !== `diameter.${name}`) problems.push(`${e.name}: ${valueFilter(e)}, not diameter.${name}`);
      if (!e.struct.fields.every((f) => f.label.startsWith(name) || f.id === 'avps')) problems.push(`${e.name}: labels ${e.struct.fields.map((f) => f.label)}`);
    }
    expect(problems).toEqual([]);
  });

  it('has, for each Grouped AVP, every member that Wireshark lists for it', () => {
    // Members Wireshark's dictionary lists that the specifications these AVPs come from do not.
    const notMembers = new Map([['OC-Peer-Algo', 'RFC 8581 extends OC-Supported-Features (RFC 7683) with it; TS 29.272, 29.336, 29.368 and 29.128 refer to RFC 7683']]);
    const known = new Set(dict.flatMap((e) => [e.name, WIRESHARK_NAMES.get(e.name)?.[0] ?? e.name]));
    const problems: string[] = [];
    for (const e of dict.filter((x) => x.type === 'Grouped')) {
      const name = WIRESHARK_NAMES.get(e.name)?.[0] ?? e.name;
      for (const m of wiresharkMembers(name, e.vendor)) if (!known.has(m) && !notMembers.has(m)) problems.push(`${e.name}: ${m}`);
    }
    expect(problems).toEqual([]);
  });

  it("gives each AVP's data the layout of its type", () => {
    const problems: string[] = [];
    // The layout each type takes (docs/diameter.md, "Data, by the AVP's type").
    const layouts: Record<AvpType, string> = {
      OctetString: 'octets',
      UTF8String: 'utf8',
      DiameterIdentity: 'ascii',
      DiameterURI: 'ascii',
      Unsigned32: 'uint32',
      Integer32: 'uint32',
      Enumerated: 'uint32 enum',
      Time: 'uint32 since 1900',
      Unsigned64: 'uint64',
      Address: 'address',
      Grouped: 'avps',
    };
    for (const e of dict) {
      const shape = layoutOf(e.struct);
      const want = layouts[e.type];
      if (shape !== want && !(want === 'uint32' && shape === 'uint32 enum')) problems.push(`${e.typeName}: ${e.type} with the layout ${shape}, not ${want}`);
    }
    expect(problems).toEqual([]);
    expect(new Set(dict.map((e) => e.type))).toEqual(new Set(AVP_TYPES));
  });

  it('names every code in dia_avp_code, lists it in the AVP dispatch, and tells codes shared by two vendors apart', () => {
    const codes = ir.enums.get('dia_avp_code')!.values;
    const problems: string[] = [];
    for (const e of dict.filter((x) => !x.byVendor)) {
      const other = dict.find((x) => x.byVendor && x.code === e.code);
      const label = other ? `${e.name} / ${other.name}` : e.name;
      if (codes.get(e.code) !== label) problems.push(`${e.code}: dia_avp_code says ${codes.get(e.code)}, the dictionary ${label}`);
    }
    expect(problems).toEqual([]);
    // Two AVPs per code only where the IETF and 3GPP dictionaries both use it: the Vendor-ID tells.
    const shared = dict.filter((e) => e.byVendor);
    expect(shared.map((e) => [e.code, e.vendor, e.name])).toEqual([
      [625, TGPP, 'Confidentiality-Key'],
      [626, TGPP, 'Integrity-Key'],
    ]);
    expect(entryFor(dict, 625, undefined)?.name).toBe('OC-Validity-Duration');
    expect(entryFor(dict, 625, TGPP)?.name).toBe('Confidentiality-Key');
    expect(entryFor(dict, 625, 5535)?.name).toBe('OC-Validity-Duration');
    expect(dataSwitch(ir).when.map((o) => o.field)).toEqual(['vendor_id']);
  });

  it('holds every AVP of RFC 6733 §4.5 and the AVP tables of TS 29.272, 29.336, 29.368 and 29.128', () => {
    // RFC 6733 §4.5, the base protocol's AVPs.
    const base = [
      1, 25, 27, 33, 44, 50, 55, 85, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271, 272, 273, 274, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285, 287, 291, 292, 293,
      294, 295, 296, 297, 298, 299, 480, 483, 485,
    ];
    const has = (code: number, vendor: number) => dict.some((e) => e.code === code && e.vendor === vendor);
    expect(base.filter((c) => !has(c, 0))).toEqual([]);
    expect(bySpec('RFC 6733').map((e) => e.code)).toEqual(base);
    // The 3GPP blocks of each application (TS 29.230 Table 7.1): every code that Wireshark knows in
    // them is in the dictionary, but for an AVP the specification no longer has.
    const removed = new Map([[1455, 'Requesting-Node-Type: not in TS 29.272 Table 7.3.1/1']]);
    const blocks: Array<[string, number, number]> = [
      ['TS 29.272', 1400, 1499],
      ['TS 29.272', 1600, 1799],
      ['TS 29.368', 3000, 3099],
      ['TS 29.336', 3100, 3199],
      ['TS 29.128', 4300, 4399],
    ];
    for (const [spec, lo, hi] of blocks) {
      const theirs = ws.filter((a) => a.vendor === TGPP && a.code >= lo && a.code <= hi && !removed.has(a.code)).map((a) => a.code);
      expect(
        theirs.filter((c) => !has(c, TGPP)),
        `${spec} ${lo}-${hi}`,
      ).toEqual([]);
      expect(bySpec(spec).filter((e) => e.code >= lo && e.code <= hi).length).toBeGreaterThan(0);
    }
    const count = (spec: string) => bySpec(spec).length;
    console.log(
      `Diameter dictionary by specification: RFC 6733 ${count('RFC 6733')}, TS 29.272 ${count('TS 29.272')}, TS 29.336 ${count('TS 29.336')}, ` +
        `TS 29.368 ${count('TS 29.368')}, TS 29.128 ${count('TS 29.128')}, others ${dict.length - ['RFC 6733', 'TS 29.272', 'TS 29.336', 'TS 29.368', 'TS 29.128'].reduce((n, s) => n + count(s), 0)}`,
    );
  });

  /** The members (by name) Wireshark's dictionary lists for a grouped AVP. */
  function wiresharkMembers(name: string, vendor: number): string[] {
    return wiresharkGroups().get(`${name}/${vendor}`) ?? [];
  }
});

let groups: Map<string, string[]> | undefined;
/** `name/vendor` of each grouped AVP of Wireshark's dictionary, to its members' names. */
function wiresharkGroups(): Map<string, string[]> {
  if (groups) return groups;
  groups = new Map();
  for (const a of wiresharkDictionary())
    if (a.type === 'Grouped' && a.members)
      groups.set(
        `${a.name}/${a.vendor}`,
        a.members.map((m) => m.trim()),
      );
  return groups;
}

/** What a data struct's fields make on the wire (what the encoder writes and the decoder reads). */
function layoutOf(t: StructType): string {
  const f = t.fields;
  if (f.length === 2 && f[0].id === 'family' && f[0].kind === 'uint' && f[0].bits === 16 && f[1].kind === 'bytes' && f[1].size === 'rest') return 'address';
  if (f.length !== 1) return `${f.length} fields`;
  const v = f[0];
  if (v.kind === 'list' && v.item.kind === 'ref' && v.item.type().name === 'dia_avp') return 'avps';
  if (v.kind === 'bytes') return v.text ?? 'octets';
  if (v.kind === 'uint' && v.bits === 64) return 'uint64';
  if (v.kind === 'uint' && v.bits === 32) return v.unit?.includes('1900') ? 'uint32 since 1900' : v.enum ? 'uint32 enum' : 'uint32';
  return v.kind;
}
