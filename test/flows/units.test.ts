// Pieces of the flow simulator: AKA, labels, options, determinism, the files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, parseKeys, toHex } from '../../src/index.js';
import { readFrames } from '../../src/io/index.js';
import { flowFrames, flowPcapng } from '../../src/flows/capture.js';
import { authVector, milenage, opc, ueAuthenticate } from '../../src/flows/milenage.js';
import { formatLabel, parseLabel } from '../../src/flows/model.js';
import { flowOptions } from '../../src/flows/options.js';
import { buildFlow, tsharkReadsAsPlain } from '../../src/flows/scenario.js';
import { run, tmp } from './helpers.js';

describe('EPS AKA for the flow', () => {
  it('MILENAGE gives TS 35.208 test set 1', () => {
    const k = fromHex('465b5ce8b199b49faa5f0a2ee238a6bc');
    const o = opc(k, fromHex('cdc202d5123e20f62b6d676ac72cb318'));
    expect(toHex(o)).toBe('cd63cb71954a9f4e48a5994e37a02baf');
    const m = milenage(k, o, fromHex('23553cbe9637a89d218ae64dae47bf35'), fromHex('ff9bb4d0b607'), fromHex('b9b9'));
    expect([m.macA, m.macS, m.res, m.ck, m.ik, m.ak, m.akStar].map((b) => toHex(b))).toEqual([
      '4a9ffac354dfafb3',
      '01cfaf9ec4e871e9',
      'a54211d5e3ba50bf',
      'b40ba9a3c58b2a05bbf0d987b21bf8cb',
      'f769bcd751044604127672711c6d3441',
      'aa689c648370',
      '451e8beca43b',
    ]);
  });

  it('the UE checks AUTN and derives the HSS K_ASME; a bad AUTN does not verify', () => {
    const k = fromHex('465b5ce8b199b49faa5f0a2ee238a6bc');
    const o = fromHex('cd63cb71954a9f4e48a5994e37a02baf');
    const sn = fromHex('00f110');
    const v = authVector(k, o, fromHex('23553cbe9637a89d218ae64dae47bf35'), fromHex('ff9bb4d0b607'), fromHex('8000'), sn);
    const ue = ueAuthenticate(k, o, v.rand, v.autn, sn)!;
    expect(toHex(ue.res)).toBe(toHex(v.xres));
    expect(toHex(ue.kasme)).toBe(toHex(v.kasme));
    const bad = v.autn.slice();
    bad[15] ^= 1;
    expect(ueAuthenticate(k, o, v.rand, bad, sn)).toBeUndefined();
  });
});

describe('flow labels', () => {
  it('round-trip with notes, and never hold # or ": "', () => {
    const m = {
      step: "4'",
      from: 'UE12',
      to: 'MME',
      iface: 'NAS/S1-MME' as const,
      protocol: 'nas-eps' as const,
      name: 'Group key: distribution # complete',
      notes: [{ step: '2', node: 'MTC-IWF', text: 'generates keys' }],
    };
    const label = formatLabel(m);
    expect(label).not.toMatch(/#|: /);
    expect(parseLabel(label)).toEqual({ step: "4'", from: 'UE12', to: 'MME', iface: 'NAS/S1-MME', protocol: 'nas-eps', name: 'Group key - distribution   complete', notes: m.notes });
    expect(parseLabel('smc-complete')).toBeUndefined();
  });
});

describe('flow options and files', () => {
  it('refuses bad options with one-line usage errors (exit 1)', async () => {
    for (const argv of [
      ['--variant', 'hss', '--ues', '2'],
      ['--variant', 'hss', '--out', 'x', '--trigger', 'hss-auth'],
      ['--variant', 'mme', '--out', 'x', '--carrier', 'sms'],
      ['--variant', 'mme', '--out', 'x', '--ues', '2', '--groups', '3'],
      ['--variant', 'mme', '--out', 'x', '--eia', '0'],
      ['--variant', 'mme', '--out', 'x', '--attack', 'dos'],
    ]) {
      const r = await run('flow', ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
    }
    expect((await run('flow')).out).toContain('Usage: mtcgk flow');
  });

  it('is deterministic with a seed, and different without', () => {
    const a = buildFlow(flowOptions({ seed: 's1', variant: 'mme', ues: 2 }));
    const b = buildFlow(flowOptions({ seed: 's1', variant: 'mme', ues: 2 }));
    const c = buildFlow(flowOptions({ seed: 's2', variant: 'mme', ues: 2 }));
    expect(toHex(flowPcapng(a.messages))).toBe(toHex(flowPcapng(b.messages)));
    expect(toHex(flowPcapng(a.messages))).not.toBe(toHex(flowPcapng(c.messages)));
  });

  it('gives every UE its own K_ASME, and no ciphered NAS message that tshark would take for plain', () => {
    const f = buildFlow(flowOptions({ seed: 'x', ues: 6, groups: 2, carrier: 'dedicated' }));
    expect(new Set(f.keys.nas.map((r) => toHex(r.kasme!))).size).toBe(6);
    for (const m of f.messages) if (m.protocol === 'nas-eps' && [2, 4].includes(m.bytes[0] >> 4)) expect(tsharkReadsAsPlain(m.bytes[6])).toBe(false);
  });

  it('writes flow.pcapng, flow.txt and keys.json that read back', async () => {
    const dir = tmp('files');
    const r = await run('flow', '--variant', 'mme', '--ues', '2', '--out', dir, '--seed', 'files', '--messages', '2');
    expect(r.code).toBe(0);
    const keys = parseKeys(readFileSync(join(dir, 'keys.json'), 'utf8'), 'keys.json');
    expect(keys.nas.map((n) => n.ue)).toEqual(['UE1 imsi-001010000000001', 'UE2 imsi-001010000000002']);
    expect(keys.groups.map((g) => `${g.gid}/${g.gki}`)).toEqual(['00000001-001-01-01/1']);
    const flow = buildFlow(flowOptions({ seed: 'files', variant: 'mme', ues: 2, messages: 2 }));
    const fromPcapng = readFrames(readFileSync(join(dir, 'flow.pcapng')), { source: 'p', inboundDirection: 'dl' });
    const expected = flowFrames(flow.messages);
    expect(fromPcapng.map((f) => [toHex(f.bytes), f.protocol, f.direction, f.label, f.time])).toEqual(expected.map((f) => [toHex(f.bytes), f.protocol, f.direction, f.label, f.time]));
    const fromText = readFrames(readFileSync(join(dir, 'flow.txt')), { source: 't' });
    expect(fromText.map((f) => [toHex(f.bytes), f.direction, f.label])).toEqual(expected.map((f) => [toHex(f.bytes), f.direction, f.label]));
    expect(readFileSync(join(dir, 'flow.txt'), 'utf8')).toMatch(/^# mtcgk flow: TR 33.868 group key distribution, Figure 1.b/);
  });
});

describe('sample flows in captures/flows', () => {
  // Each sample is `mtcgk flow ARGS --seed NAME --out captures/flows/NAME` (docs/flows.md).
  const samples: Record<string, string[]> = {
    'fig-1a': ['--variant', 'hss', '--ues', '3', '--groups', '2', '--carrier', 'smc-ciphered', '--messages', '2'],
    'fig-1b': ['--variant', 'mme', '--trigger', 'hss-auth', '--carrier', 'dedicated', '--ues', '3', '--groups', '2'],
    'fig-1b-replay': ['--variant', 'mme', '--trigger', 'first-message', '--carrier', 'attach-accept', '--ues', '2', '--attack', 'replay'],
  };
  it.each(Object.entries(samples))('%s is what mtcgk flow writes today (regenerate with the command in docs/flows.md)', async (sample, argv) => {
    const dir = tmp(sample);
    expect((await run('flow', ...argv, '--seed', sample, '--out', dir)).code).toBe(0);
    for (const file of ['flow.pcapng', 'flow.txt', 'keys.json']) {
      const committed = readFileSync(new URL(`../../captures/flows/${sample}/${file}`, import.meta.url));
      expect(toHex(readFileSync(join(dir, file))) === toHex(committed), `${sample}/${file}`).toBe(true);
    }
  });
});
