// mtcgk export lua: the generated dissector loads in tshark and reads the group messages and the
// group key IEs of a flow capture as mtcgk does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { luaDissector } from '../../src/export/lua.js';
import { Dissector } from '../../src/engine/dissect.js';
import { buildGrammar } from '../../src/grammar/build.js';
import { bundledGrammarSources, defaultGrammar } from '../../src/grammar/default.js';
import { parseGrammarText } from '../../src/grammar/load.js';
import { writePcapng } from '../../src/io/pcapng-writer.js';
import { fieldValues } from '../../src/output/fields.js';
import { run, tmp, tshark } from './helpers.js';

const dir = tmp('lua');
const lua = join(dir, 'mtcgk.lua');

async function flow(name: string, ...argv: string[]): Promise<string> {
  const out = join(dir, name);
  const r = await run('flow', '--ues', '3', '--groups', '2', '--messages', '2', '--out', out, '--seed', name, ...argv);
  expect(r.code, r.err).toBe(0);
  return join(out, 'flow.pcapng');
}

/** mtcgk's -T fields for the same capture (same field names). */
async function mtcgkFields(pcapng: string, filter: string, ...fields: string[]): Promise<string[]> {
  const r = await run('-r', pcapng, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f]));
  expect(r.code, r.err).toBe(0);
  return r.out.replace(/\n$/, '').split('\n');
}

describe('mtcgk export lua', () => {
  it('writes the script; every field name comes from the grammar (moved into gmsg.* or nas_eps.gk.*)', async () => {
    const r = await run('export', 'lua', '--out', lua);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(lua, 'utf8');
    expect(text).toBe(luaDissector());
    const names = [...text.matchAll(/^PF\["([^"]+)"\] = ProtoField\.(\w+)\(/gm)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
    const ir = defaultGrammar();
    for (const n of names) expect(n, n).toMatch(/^(gmsg|nas_eps\.gk)\./);
    for (const f of ['gmsg.gki', 'gmsg.seq', 'gmsg.gid', 'gmsg.mac', 'gmsg.payload', 'gmsg.ciphered_payload', 'nas_eps.gk.gki', 'nas_eps.gk.gk_conf', 'nas_eps.gk.ciphered']) {
      expect(names).toContain(f);
      expect(ir.fields.has(f), f).toBe(true);
    }
    expect(text).toMatch(/M\[106\] = \{ name = "Group key distribution"/);
    expect(text).toMatch(/M\[93\] = \{ name = "Security mode command"/);
    expect((await run('export', 'pdf')).code).toBe(1);
  });

  it('reads the protected group messages as mtcgk does', async () => {
    const cap = await flow('gmsg', '--variant', 'mme', '--trigger', 'first-message', '--carrier', 'dedicated', '--no-confidentiality');
    const fields = ['gmsg.gid', 'gmsg.gsi', 'gmsg.mcc', 'gmsg.mnc', 'gmsg.lgi', 'gmsg.gki', 'gmsg.seq', 'gmsg.eea', 'gmsg.eia', 'gmsg.payload_len', 'gmsg.payload', 'gmsg.mac'];
    const t = await tshark('-X', `lua_script:${lua}`, '-r', cap, '-Y', 'gmsg', '-T', 'fields', ...fields.flatMap((f) => ['-e', f]));
    expect(t.err).toBe('');
    const ours = await mtcgkFields(cap, 'gmsg', ...fields);
    const theirs = t.out.trimEnd().split('\n');
    expect(theirs).toHaveLength(6); // 2 messages x (2 + 1 members)
    expect(theirs.map((l) => l.replace(/\t0x0*/g, '\t0x'))).toEqual(ours.map((l) => l.replace(/\t0x0*/g, '\t0x')));
    // The Info column: the same text in tshark with the script as in mtcgk without keys.
    const info = await tshark('-X', `lua_script:${lua}`, '-r', cap, '-Y', 'gmsg', '-T', 'fields', '-e', '_ws.col.Info');
    const ourInfo = await mtcgkFields(cap, 'gmsg', '_ws.col.Info');
    expect(ourInfo[0]).toMatch(/^Protected group message 00000001-001-01-01 Gki 1 seq 1 \[unverified\]$/);
    expect(info.out.trimEnd().split('\n')).toEqual(ourInfo);
  });

  it('shows group key IEs where the NAS message is readable, flags keys in clear, and marks nothing malformed', async () => {
    const cap = await flow('nas', '--variant', 'hss', '--carrier', 'smc');
    const t = await tshark(
      '-X',
      `lua_script:${lua}`,
      '-r',
      cap,
      '-Y',
      'nas_eps.gk.gki',
      '-T',
      'fields',
      '-e',
      'nas_eps.gk.gid',
      '-e',
      'nas_eps.gk.gki',
      '-e',
      'nas_eps.gk.gk_integ',
      '-e',
      'nas_eps.gk.lifetime',
    );
    expect(t.err).toBe('');
    const ours = await mtcgkFields(cap, 'nas_eps.nas_msg_emm_type == 0x5d', 'nas_eps.gk.gid', 'nas_eps.gk.gki', 'nas_eps.gk.gk_integ', 'nas_eps.gk.lifetime');
    expect(t.out.trimEnd().split('\n')).toEqual(ours);
    expect(ours).toHaveLength(3);
    const experts = await tshark('-X', `lua_script:${lua}`, '-r', cap, '-Y', 'nas_eps.gk.keys_in_clear');
    expect(experts.out.trimEnd().split('\n')).toHaveLength(3);
    for (const c of [cap, await flow('attack', '--variant', 'mme', '--carrier', 'attach-accept', '--attack', 'keys-in-clear'), await flow('tamper', '--variant', 'hss', '--attack', 'tamper')]) {
      const m = await tshark('-X', `lua_script:${lua}`, '-r', c, '-Y', '_ws.malformed || gmsg.malformed || nas_eps.gk.malformed');
      expect(m.out + m.err).toBe('');
    }
    const clear = await tshark('-X', `lua_script:${lua}`, '-r', join(dir, 'attack', 'flow.pcapng'), '-Y', 'nas_eps.gk.keys_in_clear', '-T', 'fields', '-e', 'frame.comment');
    expect(clear.out.trimEnd().split('\n')).toEqual(['UE1', 'UE2', 'UE3'].map((u) => `step 4 MME->${u} NAS/S1-MME nas-eps Attach accept (group keys), integrity only`));
  });

  it('runs every codec as mtcgk does, with the leaves their descriptors declare', async () => {
    // A gmsg stand-in whose fields are one of each codec: PLMN 21 f3 54 (MCC 123, MNC 45), BCD digits
    // 21 43 ("1234"), an IMSI of 7 octets 29 10 10 32 54 76 98 (digit 2, odd, type 1, then 01 01 23 45 67 89).
    const codecs = parseGrammarText(
      'grammars/group-message.yaml',
      `protocol: gmsg
label: Codecs
root: codecs
filter_prefix: gmsg
messages:
  codecs:
    fields:
      - {id: plmn, codec: plmn, params: {mcc_filter: gmsg.t.mcc, mnc_filter: gmsg.t.mnc}, filter: gmsg.t.plmn, label: PLMN}
      - {id: digits, codec: bcd_digits, bytes: 2, filter: gmsg.t.digits, label: Digits}
      - {id: imsi_length, bits: 8, length_of: imsi, filter: gmsg.t.imsi_len, label: IMSI length}
      - {id: imsi, codec: bcd_identity, params: {type: 1, type_label: IMSI, odd_even_filter: gmsg.t.odd_even, type_filter: gmsg.t.type}, filter: gmsg.t.imsi, label: IMSI}
`,
    );
    const ir = buildGrammar([...bundledGrammarSources().filter((s) => s.file !== 'grammars/group-message.yaml'), codecs]);
    const script = join(dir, 'codecs.lua');
    writeFileSync(script, luaDissector(ir));
    const bytes = Uint8Array.from(Buffer.from('21f35421430729101032547698', 'hex'));
    const cap = join(dir, 'codecs.pcapng');
    writeFileSync(cap, writePcapng([{ bytes, protocol: 'gmsg', source: 'test' }], { linkType: 252 }));
    const fields = ['gmsg.t.plmn', 'gmsg.t.mcc', 'gmsg.t.mnc', 'gmsg.t.digits', 'gmsg.t.imsi', 'gmsg.t.imsi_digit1', 'gmsg.t.odd_even', 'gmsg.t.type', 'gmsg.t.imsi_digits'];
    const t = await tshark('-X', `lua_script:${script}`, '-r', cap, '-T', 'fields', ...fields.flatMap((f) => ['-e', f]));
    expect(t.err).toBe('');
    const ours = fieldValues([new Dissector(ir).dissect(bytes, 'gmsg').tree]);
    expect(fields.map((f) => ours.get(f)?.join(','))).toEqual(['123-45', '123', '45', '1234', '2010123456789', '2', '1', '1', '010123456789']);
    expect(t.out.trimEnd().split('\t')).toEqual(fields.map((f) => ours.get(f)!.join(',')));
  });
});
