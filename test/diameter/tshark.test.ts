/**
 * tshark (4.0) agreement: messages built with the encoder, written as a pcapng of exported PDUs
 * (protocol "diameter"), read back by tshark -T json and compared field by field with mtcgk's own
 * dissection: the header, every AVP's code, flags, length, Vendor-ID and padding, and the value of
 * every AVP that tshark's dictionary knows (grouped AVPs as their octets and AVP by AVP). AVPs tshark
 * does not know (the provisional ones) are compared as raw data. Fails, not skips, when tshark is
 * missing: CI installs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Arbitraries } from '../../src/engine/arbitrary.js';
import { toHex } from '../../src/engine/format.js';
import type { TreeNode } from '../../src/engine/tree.js';
import { writePcapng } from '../../src/io/index.js';
import { entryFor, grammarDictionary, NOT_IN_WIRESHARK, valueFilter } from './dictionary.js';
import { ALL, dissect, encode, ir } from './messages.js';

const DICTIONARY = grammarDictionary(ir);
import { get, getAll, isPairs, type Json, type Pairs, tsharkDiameter, tsharkDiameterFields, type TsharkField } from './tshark.js';

interface Tally {
  messages: number;
  header: number;
  avps: number;
  /** AVPs whose value tshark decodes (its dictionary knows them). */
  known: number;
  /** AVPs tshark shows as unknown (compared as raw data). */
  unknown: number;
  unknownCodes: Set<number>;
  values: number;
  fields: number;
  mismatches: string[];
}

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const unhex = (s: string) => s.replace(/:/g, '').toLowerCase();
const child = (n: TreeNode, filter: string) => n.children.find((c) => c.filter === filter);
/** The octets a node covers, in hex (every Diameter node is octet-aligned except the flag bits). */
const octets = (frame: Uint8Array, n: TreeNode) => toHex(frame.subarray(n.bitOffset / 8, (n.bitOffset + n.bitLength) / 8));

function ipText(hex: string): string {
  if (hex.length === 8)
    return hex
      .match(/../g)!
      .map((b) => parseInt(b, 16))
      .join('.');
  return new URL(`http://[${hex.match(/..../g)!.join(':')}]`).hostname.replace(/^\[|\]$/g, '');
}

class Comparison {
  constructor(
    private frame: Uint8Array,
    private fields: Map<string, TsharkField>,
    private t: Tally,
    private where: string,
  ) {}

  check(what: string, theirs: unknown, ours: unknown): void {
    this.t.fields++;
    if (theirs !== ours) this.t.mismatches.push(`${this.where} ${what}: tshark ${JSON.stringify(theirs)}, mtcgk ${JSON.stringify(ours)}`);
  }

  num(what: string, theirs: Json | undefined, ours: unknown): void {
    const big = (v: unknown) => (typeof v === 'string' && /^(0x[0-9a-f]+|-?\d+)$/i.test(v) ? BigInt(v).toString() : typeof v === 'number' ? String(v) : `?${String(v)}`);
    this.check(what, big(theirs), big(ours));
  }

  header(d: Pairs, root: TreeNode): void {
    const flags = get(d, 'diameter.flags_tree');
    const ours = (f: string) => root.children.find((c) => c.filter === f)?.show;
    for (const f of ['diameter.version', 'diameter.length', 'diameter.cmd.code', 'diameter.applicationId', 'diameter.hopbyhopid', 'diameter.endtoendid']) {
      this.num(f, get(d, f), ours(f));
      this.t.header++;
    }
    for (const f of ['diameter.flags.request', 'diameter.flags.proxyable', 'diameter.flags.error', 'diameter.flags.T']) {
      this.num(f, get(flags, f), ours(f));
      this.t.header++;
    }
  }

  /** Their AVPs (the diameter.avp_tree entries of a level) against ours (the diameter.avp nodes). */
  avps(theirs: Json[], ours: TreeNode[], path: string): void {
    this.check(`${path} AVP count`, theirs.length, ours.length);
    theirs.forEach((t, i) => ours[i] && this.avp(t, ours[i], `${path}/${i}`));
  }

  private avp(t: Json, o: TreeNode, path: string): void {
    this.t.avps++;
    const code = str(get(t, 'diameter.avp.code'));
    const at = `${path}(${code})`;
    const leaf = (f: string) => child(o, f)?.show;
    this.num(`${at} diameter.avp.code`, code, leaf('diameter.avp.code'));
    this.num(`${at} diameter.avp.len`, get(t, 'diameter.avp.len'), leaf('diameter.avp.len'));
    this.check(`${at} diameter.avp.vendorId`, str(get(t, 'diameter.avp.vendorId')), leaf('diameter.avp.vendorId'));
    const flags = get(t, 'diameter.avp.flags_tree');
    for (const f of ['diameter.flags.vendorspecific', 'diameter.flags.mandatory', 'diameter.avp.flags.protected']) this.num(`${at} ${f}`, get(flags, f), leaf(f));
    const pad = str(get(t, 'diameter.avp.pad'));
    this.check(`${at} padding`, pad === undefined ? undefined : unhex(pad), leaf('diameter.avp.pad'));

    const skip = new Set(['diameter.avp.code', 'diameter.avp.len', 'diameter.avp.vendorId', 'diameter.avp.flags', 'diameter.avp.pad']);
    // The AVP's own value field (diameter.<AVP name>, 3GPP-... and 5QI included); tshark's further decodings
    // (e212.imsi, diameter.3gpp.ulr_flags, ...) are not compared.
    const entries = isPairs(t) ? t.pairs.filter(([k]) => !skip.has(k) && !k.endsWith('_tree') && /^diameter\.([A-Z]|\d+[A-Z]|avp\.unknown$)/.test(k)) : [];
    const data = child(o, 'diameter.avp.data')!;
    this.t.values++;
    if (!entries.length && data.bitLength === 0) return; // no data: tshark says "Data is empty" and shows no value
    this.check(`${at} value fields`, entries.length, 1);
    const [key, value] = entries[0] ?? ['?', undefined];
    if (key === 'diameter.avp.unknown') {
      // Not in tshark's dictionary: compare the raw data.
      this.t.unknown++;
      this.t.unknownCodes.add(Number(code));
      this.check(`${at} raw data`, unhex(str(value) ?? ''), octets(this.frame, data));
      return;
    }
    this.t.known++;
    const tree = get(t, `${key}_tree`);
    const nodes = data.children;
    if (nodes.length === 2 && nodes[0].filter.endsWith('.addr_family')) {
      // Address: family and address under the AVP's own field (the whole data).
      this.check(`${at} name`, key, nodes[0].filter.replace(/\.addr_family$/, ''));
      this.check(`${at} ${key}`, unhex(str(value) ?? ''), octets(this.frame, data));
      this.num(`${at} ${key}.addr_family`, get(tree, `${key}.addr_family`), nodes[0].show);
      const ip = str(get(tree, `${key}.IPv4`) ?? get(tree, `${key}.IPv6`));
      this.check(`${at} ${key} address`, ip, ipText(nodes[1].show ?? ''));
      return;
    }
    const n = nodes[0];
    this.check(`${at} name`, key, n.filter);
    const ftype = this.fields.get(key)?.ftype;
    if (n.children.length || ftype === 'FT_BYTES') {
      // Grouped (tshark shows the data's octets, then each AVP) or an OctetString.
      this.check(`${at} ${key}`, unhex(str(value) ?? ''), octets(this.frame, n));
      if (ftype === 'FT_BYTES' && n.children.length) this.avps(getAll(tree, 'diameter.avp_tree'), n.children, at);
      else this.check(`${at} ${key} subtree`, getAll(tree, 'diameter.avp_tree').length, 0);
    } else if (ftype === 'FT_STRING') {
      this.check(`${at} ${key}`, str(value), n.show);
    } else if (ftype === 'FT_ABSOLUTE_TIME') {
      // "Jan  1, 2024 00:00:00.000000000 UTC" against seconds since 1900 (NTP era 0, or era 1 from 2036).
      const ms = Date.parse((str(value) ?? '').replace(/\.\d+/, '').replace(/\s+/g, ' '));
      this.check(`${at} ${key}`, (ms / 1000 + 2208988800) % 2 ** 32, Number(n.show));
    } else if (ftype === 'FT_INT32') {
      // Integer32 and Enumerated: mtcgk keeps the 32 bits unsigned.
      const u = Number(n.show);
      this.num(`${at} ${key} (${ftype})`, value, u >= 2 ** 31 ? u - 2 ** 32 : u);
    } else {
      this.num(`${at} ${key} (${ftype})`, value, n.show);
    }
  }
}

/**
 * A generated message made what tshark can read as the same AVPs: tshark's dictionary is keyed by
 * code and vendor (mtcgk's by code, and by Vendor-ID only where two vendors share a code), so every
 * dictionary AVP gets the vendor of the entry its data was generated for (10415 for 3GPP AVPs, none
 * for IETF ones), and text gets printable characters (tshark escapes the others). Addresses get the
 * length of their family.
 */
function conform(v: unknown): unknown {
  const printable = (s: string, ascii: boolean) => [...s].map((c) => (ascii ? (/[ -~]/.test(c) ? c : 'x') : /[\p{L}\p{N}\p{P}\p{S} ]/u.test(c) ? c : 'x')).join('');
  const avp = (a: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    const e = entryFor(DICTIONARY, a.code as number, a.vendor_id as number | undefined);
    if (e?.vendor) out.vendor_id = e.vendor;
    else if (e) delete out.vendor_id;
    const d = { ...(a.data as Record<string, unknown>) };
    const f = e?.struct.fields[0];
    if (Array.isArray(d.avps)) d.avps = d.avps.map(avp);
    if (f?.kind === 'bytes' && f.text && typeof d.value === 'string') d.value = printable(d.value, f.text === 'ascii');
    if (f?.id === 'family') {
      d.family = [1, 2][(d.family as number) % 2];
      d.address = d.family === 1 ? 'c0000201' : '20010db8000000000000000000000001';
    }
    out.data = d;
    return out;
  };
  // tshark takes a message for Diameter only from 44 octets (room for Origin-Host and Origin-Realm)
  // and without both R and E (RFC 6733 §3: E is never set in a request).
  const m = v as Record<string, unknown>;
  const out = { ...m, error: m.request ? 0 : m.error, avps: (m.avps as Array<Record<string, unknown>>).map(avp) };
  if (encode(out).length < 44) out.avps.push({ code: 264, mandatory: 1, data: { value: 'generated.example.org' } }, { code: 296, mandatory: 1, data: { value: 'example.org' } });
  return out;
}

describe('tshark agreement (Diameter)', () => {
  let dir: string;
  let fields: Map<string, TsharkField>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mtcgk-diameter-'));
    fields = tsharkDiameterFields();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the messages as one capture, has tshark read it and compares every packet. */
  function agreement(name: string, values: Array<[string, unknown]>): Tally {
    const frames = values.map(([source, v]) => ({ bytes: encode(v), protocol: 'diameter', source }));
    const file = join(dir, `${name}.pcapng`);
    writeFileSync(file, writePcapng(frames, { linkType: 252 }));
    const layers = tsharkDiameter(file);
    expect(layers.length).toBe(frames.length);
    const t: Tally = { messages: 0, header: 0, avps: 0, known: 0, unknown: 0, unknownCodes: new Set(), values: 0, fields: 0, mismatches: [] };
    layers.forEach((d, i) => {
      const ours = dissect(frames[i].bytes).tree;
      const c = new Comparison(frames[i].bytes, fields, t, frames[i].source);
      c.header(d, ours);
      c.avps(getAll(d, 'diameter.avp_tree'), child(ours, 'diameter.avps')!.children, '');
      t.messages++;
    });
    console.log(
      `tshark agreement (${name}): ${t.messages} messages, ${t.header} header fields, ${t.avps} AVPs (${t.known} decoded by tshark, ${t.unknown} unknown to it: ${[...t.unknownCodes].sort((a, b) => a - b).join(' ')}), ` +
        `${t.fields} comparisons, ${t.mismatches.length} mismatches`,
    );
    return t;
  }

  it('reads every hand-built message as mtcgk does', () => {
    const t = agreement('hand-built', Object.entries(ALL));
    expect(t.mismatches).toEqual([]);
    expect(t.known).toBeGreaterThan(150);
    expect(t.unknown).toBeGreaterThan(0);
  });

  it('reads generated messages as mtcgk does (fixed seed)', () => {
    // The arbitraries choose among AVP layouts evenly: the dictionary's one and the seven provisional
    // ones, so most generated AVPs are provisional; 600 messages still give hundreds tshark knows.
    const values = fc.sample(new Arbitraries(ir, { maxItems: 4 }).message('diameter_message', 'diameter'), { seed: 6733, numRuns: 600 });
    const t = agreement(
      'generated',
      values.map((v, i) => [`generated#${i}`, conform(v)]),
    );
    expect(t.mismatches).toEqual([]);
    expect(t.known).toBeGreaterThan(400);
  });

  it('finds nothing malformed: its only expert items are the provisional code points it cannot know', () => {
    const frames = Object.entries(ALL).map(([source, v]) => ({ bytes: encode(v), protocol: 'diameter', source }));
    const file = join(dir, 'experts.pcapng');
    writeFileSync(file, writePcapng(frames, { linkType: 252 }));
    const experts: string[] = [];
    const visit = (j: Json | undefined) => {
      if (Array.isArray(j)) j.forEach(visit);
      if (!isPairs(j)) return;
      for (const [k, v] of j.pairs) {
        if (k.startsWith('_ws.malformed')) experts.push(`malformed: ${JSON.stringify(v)}`);
        if (k === '_ws.expert.message') experts.push(String(v));
        visit(v);
      }
    };
    tsharkDiameter(file).forEach(visit);
    const unexpected = experts.filter((m) => !/^Unknown AVP (9\d{3}|3012) \(vendor=3GPP\)|^Unknown (command|Application Id)/.test(m));
    expect(unexpected).toEqual([]);
    expect(experts.filter((m) => /^Unknown AVP 9\d{3}/.test(m)).length).toBeGreaterThan(0);
  });

  it('uses Wireshark filter names, labels included, where Wireshark has the field', () => {
    // mtcgk's own: structure tshark has no node for, Wireshark's IPvX fields as octets (an Address AVP's
    // .address), AVPs not in Wireshark 4.0 (dictionary.ts), the provisional AVPs.
    const own = new Set([
      'diameter.avps',
      'diameter.avp.data',
      'diameter.spare_bits',
      ...DICTIONARY.filter((e) => e.type === 'Address').map((e) => `${valueFilter(e)}.address`),
      ...DICTIONARY.filter((e) => NOT_IN_WIRESHARK.has(e.name)).map(valueFilter),
      'diameter.Group-Key-Info',
      'diameter.Gki',
      'diameter.Group-Ciphering-Algorithm',
      'diameter.Group-Integrity-Algorithm',
      'diameter.Gk-Conf',
      'diameter.Gk-Integ',
      'diameter.Gk-Lifetime',
    ]);
    const ours = [...ir.fields.values()].filter((f) => f.protocol === 'diameter');
    expect(ours.length).toBeGreaterThan(450);
    const problems: string[] = [];
    for (const f of ours) {
      const ws = fields.get(f.filter);
      if (own.has(f.filter)) {
        if (ws) problems.push(`${f.filter}: Wireshark has it, use its name`);
        continue;
      }
      if (!ws) problems.push(`${f.filter}: not a Wireshark field (${f.filter})`);
      else if (ws.label !== f.label) problems.push(`${f.filter}: label "${f.label}", Wireshark "${ws.label}"`);
    }
    expect(problems).toEqual([]);
  });
});
