/**
 * The Diameter dictionary two ways: mtcgk's, read from the grammar (the data switch of dia_avp_std,
 * each case's type labelled `Name (code[, vendor V], Type)`), and Wireshark's, read from the XML files
 * tshark installs (/usr/share/wireshark/diameter/dictionary.xml and the files it includes, TGPP.xml
 * among them). Used by dictionary.test.ts and tshark.test.ts; nothing of Wireshark's is copied here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GrammarIR, StructType, SwitchField } from '../../src/grammar/ir.js';

/** The AVP data types of RFC 6733 §4.2-4.3 that the dictionary uses. */
export const AVP_TYPES = ['OctetString', 'UTF8String', 'DiameterIdentity', 'DiameterURI', 'Unsigned32', 'Integer32', 'Unsigned64', 'Enumerated', 'Time', 'Address', 'Grouped'] as const;
export type AvpType = (typeof AVP_TYPES)[number];

export interface DictionaryAvp {
  code: number;
  /** 0 for an IETF AVP (no Vendor-ID), 10415 for 3GPP. */
  vendor: number;
  name: string;
  type: AvpType;
  /** The grammar type of the AVP's data, and how the data switch reaches it. */
  typeName: string;
  struct: StructType;
  /** Reached through `cases_when` (its Vendor-ID picks it over the plain case of its code). */
  byVendor: boolean;
}

const LABEL = /^(\S+) \((\d+)(?:, vendor (\d+))?, (\w+)\)$/;

/** The data switch of the dictionary's AVP layout. */
export function dataSwitch(ir: GrammarIR): SwitchField {
  const std = ir.types.get('dia_avp_std') as StructType;
  return std.fields.find((f) => f.id === 'data') as SwitchField;
}

/** Every AVP of the grammar's dictionary, from the labels of the data switch's cases (a malformed label throws). */
export function grammarDictionary(ir: GrammarIR): DictionaryAvp[] {
  const data = dataSwitch(ir);
  const entry = (code: number, typeName: string, byVendor: boolean): DictionaryAvp => {
    const struct = ir.types.get(typeName) as StructType;
    const m = LABEL.exec(struct.label);
    if (!m) throw new Error(`${typeName}: label "${struct.label}" is not "Name (code[, vendor V], Type)"`);
    const type = m[4] as AvpType;
    if (!AVP_TYPES.includes(type)) throw new Error(`${typeName}: unknown AVP type ${type}`);
    if (Number(m[2]) !== code) throw new Error(`${typeName}: labelled ${m[2]}, the case of ${code}`);
    return { code, vendor: Number(m[3] ?? 0), name: m[1], type, typeName, struct, byVendor };
  };
  const out = [...data.caseNames].map(([code, name]) => entry(code, name, false));
  for (const o of data.when) {
    for (const [code, name] of o.caseNames) {
      const e = entry(code, name, true);
      if (o.field !== 'vendor_id' || !o.values.includes(e.vendor)) throw new Error(`${name}: vendor ${e.vendor}, picked by ${o.field} in [${o.values}]`);
      out.push(e);
    }
  }
  return out.sort((a, b) => a.code - b.code || a.vendor - b.vendor);
}

/** The dictionary entry an AVP value takes: its code's, or the one its Vendor-ID picks. */
export function entryFor(dict: DictionaryAvp[], code: number, vendorId: number | undefined): DictionaryAvp | undefined {
  return dict.find((e) => e.byVendor && e.code === code && e.vendor === vendorId) ?? dict.find((e) => !e.byVendor && e.code === code);
}

/** The filter of an AVP's own value field: the AVP's name in Wireshark (an Address's family field stands for it). */
export const valueFilter = (e: DictionaryAvp): string => e.struct.fields[0].filter.replace(/\.addr_family$/, '');

export interface WiresharkAvp {
  name: string;
  code: number;
  vendor: number;
  /** Wireshark's type name (`Unsigned32`, `IPAddress`, `OctetStringOrUTF8`, ...) or `Grouped`. */
  type: string;
  /** A grouped AVP's members, by name, as Wireshark lists them. */
  members?: string[];
  file: string;
}

export const WIRESHARK_DICTIONARY_DIR = '/usr/share/wireshark/diameter';

/**
 * Wireshark's dictionary as tshark loads it: dictionary.xml with the files its entities include.
 * Throws when dictionary.xml or TGPP.xml is missing.
 */
export function wiresharkDictionary(dir = WIRESHARK_DICTIONARY_DIR): WiresharkAvp[] {
  for (const f of ['dictionary.xml', 'TGPP.xml']) {
    if (!existsSync(join(dir, f))) throw new Error(`${join(dir, f)} is missing: install tshark (Wireshark's Diameter dictionary)`);
  }
  const read = (f: string) => readFileSync(join(dir, f), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const main = read('dictionary.xml');
  const entities = new Map([...main.matchAll(/<!ENTITY\s+(\w+)\s+SYSTEM\s+"([^"]+)"\s*>/g)].map((m) => [m[1], m[2]]));
  const parts: Array<[string, string]> = [['dictionary.xml', main.replace(/<!DOCTYPE[\s\S]*?\]>/, '')]];
  for (const m of main.matchAll(/&(\w+);/g)) {
    const file = entities.get(m[1]);
    if (file && existsSync(join(dir, file))) parts.push([file, read(file)]);
  }
  if (!parts.some(([f]) => f === 'TGPP.xml')) throw new Error('dictionary.xml does not include TGPP.xml');
  const attrs = (s: string) => Object.fromEntries([...s.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const vendors = new Map<string, number>([['None', 0]]);
  for (const [, text] of parts) {
    for (const m of text.matchAll(/<vendor\b([^>]*?)\/?>/g)) {
      const a = attrs(m[1]);
      if (a['vendor-id'] && a.code) vendors.set(a['vendor-id'], Number(a.code));
    }
  }
  const out: WiresharkAvp[] = [];
  for (const [file, text] of parts) {
    for (const m of text.matchAll(/<avp\b([^>]*?)(?:\/>|>([\s\S]*?)<\/avp>)/g)) {
      const a = attrs(m[1]);
      const body = m[2] ?? '';
      const type = /<grouped\b/.test(body) ? 'Grouped' : (/<type\s+type-name="([^"]+)"/.exec(body)?.[1] ?? '?');
      const vendor = vendors.get(a['vendor-id'] ?? 'None');
      if (vendor === undefined || !a.name || !a.code) continue;
      const members = type === 'Grouped' ? [...body.matchAll(/<gavp\s+name="([^"]+)"/g)].map((g) => g[1]) : undefined;
      out.push({ name: a.name, code: Number(a.code), vendor, type, members, file });
    }
  }
  return out;
}

/** Wireshark's types that hold the same data as each RFC 6733 type (Enumerated and Unsigned32 alike are 32-bit integers). */
export const COMPATIBLE: Record<AvpType, string[]> = {
  OctetString: ['OctetString', 'OctetStringOrUTF8'],
  UTF8String: ['UTF8String', 'OctetStringOrUTF8'],
  DiameterIdentity: ['DiameterIdentity'],
  DiameterURI: ['DiameterURI'],
  Unsigned32: ['Unsigned32', 'Enumerated', 'AppId', 'VendorId'],
  Integer32: ['Integer32'],
  Unsigned64: ['Unsigned64'],
  Enumerated: ['Enumerated', 'Unsigned32'],
  Time: ['Time'],
  Address: ['IPAddress', 'Address'],
  Grouped: ['Grouped'],
};

const LATER = "later than Wireshark 4.0's dictionary";

/** AVPs of the dictionary that Wireshark's does not have (by name), and why. */
export const NOT_IN_WIRESHARK = new Map<string, string>([
  ['Third-Context-Identifier', `TS 29.272 §7.3.244 (Rel-17), ${LATER}`],
  ['Feature-Supported-In-Final-Target', `TS 29.368 §6.4.13, ${LATER}`],
  ['Updated-Network-Configuration', `TS 29.336 §8.4.80, ${LATER}`],
  ['Battery-Indicator', `TS 29.336 §8.4.81, ${LATER}`],
  ['SCEF-Reference-ID-Ext', `TS 29.336 §8.4.82, ${LATER}`],
  ['SCEF-Reference-ID-for-Deletion-Ext', `TS 29.336 §8.4.83, ${LATER}`],
  ['Exclude-Identifiers', `TS 29.336 §8.4.84, ${LATER}`],
  ['Include-Identifiers', `TS 29.336 §8.4.85, ${LATER}`],
  ['IP-SM-GW-SBI-Support-Indicator', `TS 29.338 §5.3.3.39 (Rel-17), ${LATER}`],
  ['Number-Of-UEs', `TS 29.154 §5.3.10, ${LATER}`],
  ['APN-Rate-Control-Status', `TS 29.128 §6.4.36, ${LATER}`],
  ['Uplink-Number-Of-Packets-Allowed', `TS 29.128 §6.4.37, ${LATER}`],
  ['Number-Of-Additional-Exception-Reports', `TS 29.128 §6.4.38, ${LATER}`],
  ['Downlink-Number-Of-Packets-Allowed', `TS 29.128 §6.4.39, ${LATER}`],
  ['APN-Rate-Control-Status-Validity-Time', `TS 29.128 §6.4.40, ${LATER}`],
]);

/** AVPs Wireshark has under the same code and vendor but another name: [its name, why]. */
export const WIRESHARK_NAMES = new Map<string, [string, string]>([
  ['Acct-Multi-Session-Id', ['Accounting-Multi-Session-Id', 'RFC 6733 §9.8.5 names it Acct-Multi-Session-Id']],
  ['Service-Type', ['3GPP-Service-Type', 'TS 29.272 §7.3.94 names it Service-Type; Wireshark keeps it apart from RADIUS Service-Type (6)']],
  ['Call-Barring-Info', ['Call-Barring-Infor-List', 'TS 29.272 §7.3.101 names it Call-Barring-Info; Wireshark keeps an earlier name']],
  ['Service-ID', ['S6-Service-ID', 'TS 29.336 §6.4.3 names it Service-ID; Wireshark keeps it apart from Service-ID (855, TS 32.299)']],
  ['Group-Report', ['Group-Monitoring-Event-Report', 'TS 29.336 §8.4.61 names it Group-Report; Wireshark keeps an earlier name']],
  ['Group-Report-Item', ['Group-Monitoring-Event-Report-Item', 'TS 29.336 §8.4.62 names it Group-Report-Item; Wireshark keeps an earlier name']],
]);

/** AVPs whose type in Wireshark is not one of COMPATIBLE's: [Wireshark's type, why ours]. */
export const WIRESHARK_TYPES = new Map<string, [string, string]>([['Authorization-Lifetime', ['Integer32', 'RFC 6733 §8.9 makes it Unsigned32']]]);
