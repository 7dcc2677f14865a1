// Codec leaf fields (e212.tai.mcc, gmsg.gsi, e212.imsi_digit1, ...) are in the field catalogue:
// `mtcgk fields` lists them and -Y filters on them.
import { describe, expect, it } from 'vitest';
import { CODEC_ARBITRARIES } from '../../src/codecs/arbitraries.js';
import { CODEC_DESCRIPTORS } from '../../src/codecs/descriptors.js';
import { CODECS } from '../../src/codecs/index.js';
import { compileFilter } from '../../src/filter/index.js';
import { defaultGrammar } from '../../src/grammar/default.js';
import { runCli as run } from '../helpers/cli.js';

const SAMPLES = 'captures/nas-eps-samples.txt';

describe('codec leaves in the field catalogue', () => {
  it('-Y e212.tai.mcc keeps the messages that carry a TAI, with the MCC and MNC read from their octets', async () => {
    // The TAIs of captures/nas-eps-samples.txt, decoded by hand from the PLMN octets (TS 24.008 §10.5.1.13):
    //   line 6  attach accept, TAI list 06 00|00f110|0001             -> MCC 001, MNC 01
    //   line 39 attach accept, TAI list 06 20|00f110|3039             -> 001, 01
    //   line 57 TAU accept, TAI list 54 06 20|00f110|3039             -> 001, 01
    //   line 58 TAU request, last visited TAI 52|09f107|0001         -> MCC 901, MNC 70
    //   line 65 TAU accept, TAI list 54 06 20|00f110|3039             -> 001, 01
    //   line 67 TAU request, last visited TAI 52|02f810|c4c2         -> MCC 208, MNC 01
    // -T fields shows them as numbers, as Wireshark's e212 fields.
    const r = await run('-r', SAMPLES, '-Y', 'e212.tai.mcc', '-T', 'fields', '-e', 'e212.tai.mcc', '-e', 'e212.tai.mnc', '-e', 'nas_eps.emm.tai_tac');
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')).toEqual(['1\t1\t1', '1\t1\t12345', '1\t1\t12345', '901\t70\t1', '1\t1\t12345', '208\t1\t50370']);
    const lines = await run('-r', SAMPLES, '-Y', 'e212.tai.mcc');
    expect(lines.out.split('\n').map((l) => l.match(/:(\d+) /)?.[1])).toEqual(['6', '39', '57', '58', '65', '67']);
    const french = await run('-r', SAMPLES, '-Y', 'e212.tai.mcc == 208 && e212.tai.mnc == 1');
    expect(french.out.split('\n').map((l) => l.match(/:(\d+) /)?.[1])).toEqual(['67']);
  });

  it('mtcgk fields lists the leaves with their types; the TUI and -Y catalogue accepts them', async () => {
    const r = await run('fields');
    const rows = new Map(
      r.out
        .split('\n')
        .map((l) => l.split('\t'))
        .map((c) => [c[2], c]),
    );
    expect(rows.get('e212.tai.mcc')?.slice(0, 4)).toEqual(['F', 'Mobile Country Code (MCC)', 'e212.tai.mcc', 'FT_UINT16']);
    expect(rows.get('e212.imsi_digit1')?.slice(0, 4)).toEqual(['F', 'Identity digit 1', 'e212.imsi_digit1', 'FT_UINT8']);
    expect(rows.get('gmsg.gsi')?.slice(0, 4)).toEqual(['F', 'Group Service Identifier', 'gmsg.gsi', 'FT_UINT32']);
    expect(rows.get('gmsg.lgi')?.[3]).toBe('FT_BYTES');
    const ir = defaultGrammar();
    for (const name of ['e212.tai.mcc', 'gmsg.gsi', 'nas_eps.gk.lgi', 'e212.imsi_digit1']) {
      expect(() => compileFilter(name, { has: (n) => ir.fields.has(n) || ir.protocols.has(n) })).not.toThrow();
    }
  });

  it('every leaf a dissection shows is in the catalogue, with the catalogue label', async () => {
    const ir = defaultGrammar();
    const r = await run('-r', SAMPLES, '-T', 'json');
    const seen = new Set<string>();
    const visit = (layer: unknown): void => {
      if (!layer || typeof layer !== 'object') return;
      for (const [k, v] of Object.entries(layer)) {
        if (k.startsWith('e212.') || k.startsWith('gsm_a.oddevenind')) seen.add(k.replace(/_tree$/, ''));
        visit(v);
      }
    };
    visit(JSON.parse(r.out));
    expect([...seen].filter((f) => !ir.fields.has(f))).toEqual([]);
    expect(seen).toContain('e212.imsi_digit1');
    expect(seen).toContain('e212.tai.mcc');
  });

  it('every descriptor has an implementation and a value generator, and its leaves name real parameters', () => {
    expect([...CODECS.keys()].sort()).toEqual([...CODEC_DESCRIPTORS.keys()].sort());
    expect([...CODEC_ARBITRARIES.keys()].sort()).toEqual([...CODEC_DESCRIPTORS.keys()].sort());
    for (const d of CODEC_DESCRIPTORS.values()) {
      for (const l of d.leaves) {
        if ('suffix' in l.filter) continue;
        const p = d.params[l.filter.param];
        expect(p?.kind, `${d.name}.${l.key}`).toBe('filter');
        // A leaf named by a parameter needs the parameter, or a default: never the name "undefined".
        expect(p.required || l.filter.default !== undefined, `${d.name}.${l.key}`).toBe(true);
      }
    }
  });
});
