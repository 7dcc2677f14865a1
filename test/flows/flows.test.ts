// Both figures x every carrier x every trigger: tshark opens the capture with no settings and finds
// nothing malformed; mtcgk verifies every MAC; each attack gives exactly its finding; the ladder
// shows every step. tshark must be installed (it is in CI), as for test/io/tshark-interop.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attack, Trigger, Variant } from '../../src/flows/model.js';
import type { NasCarrier } from '../../src/flows/ue.js';
import { limited, run, tmp, tshark } from './helpers.js';

interface Combo {
  variant: Variant;
  carrier: NasCarrier;
  trigger?: Trigger;
  attack?: Attack;
  ues?: number;
  groups?: number;
}

const CARRIERS: NasCarrier[] = ['smc', 'smc-ciphered', 'attach-accept', 'dedicated'];
const TRIGGERS: Trigger[] = ['first-message', 'hss-auth', 'interrogate'];
const combos: Combo[] = CARRIERS.flatMap((carrier) => [{ variant: 'hss' as Variant, carrier }, ...TRIGGERS.map((trigger) => ({ variant: 'mme' as Variant, carrier, trigger }))]);
const name = (c: Combo) => [c.variant, c.carrier, c.trigger, c.attack].filter(Boolean).join('/');

async function makeFlow(c: Combo, extra: string[] = []): Promise<string> {
  const dir = tmp(name(c).replace(/\//g, '-'));
  const argv = ['flow', '--variant', c.variant, '--carrier', c.carrier, '--ues', String(c.ues ?? 2), '--groups', String(c.groups ?? 1), '--out', dir, '--seed', name(c), ...extra];
  if (c.trigger) argv.push('--trigger', c.trigger);
  if (c.attack) argv.push('--attack', c.attack);
  const r = await run(...argv);
  expect(r.code, r.err).toBe(0);
  return dir;
}

/** mtcgk's MAC statuses, one line per packet: NAS status, group message status. */
async function macStatuses(dir: string): Promise<string[]> {
  const r = await run('-r', join(dir, 'flow.pcapng'), '--keys', join(dir, 'keys.json'), '-T', 'fields', '-e', 'nas_eps.msg_auth_code.status', '-e', 'gmsg.mac.status');
  expect(r.code, r.err).toBe(0);
  return r.out.replace(/\n$/, '').split('\n');
}

/** The ladder's rows that are messages (not notes): [step, arrow lane text, rest]. */
async function ladder(dir: string) {
  const r = await run('-z', 'flow', '-r', join(dir, 'flow.pcapng'), '--keys', join(dir, 'keys.json'));
  expect(r.code, r.err).toBe(0);
  const lines = r.out.split('\n');
  const rows = lines.slice(1).map((l) => ({ num: l.slice(0, 5).trim(), step: l.slice(6, 10).trim(), text: l }));
  return { text: r.out, header: lines[0], rows };
}

/** Finding ids on the ladder's message rows (`[warn replayed: ...]`). */
const findingIds = (rows: Array<{ text: string }>) => rows.flatMap((r) => [...r.text.matchAll(/\[(?:warn|error) ([a-z_]+): /g)].map((m) => m[1]));

describe('flows: both figures x every carrier x every trigger', () => {
  it('open in tshark with no settings, nothing malformed; mtcgk verifies every MAC; the ladder lists every step', async () => {
    const dirs = await Promise.all(combos.map((c) => makeFlow(c)));
    const opened = await limited(dirs, 6, async (dir) => [await tshark('-r', join(dir, 'flow.pcapng')), await tshark('-r', join(dir, 'flow.pcapng'), '-Y', '_ws.malformed')]);
    for (const [i, c] of combos.entries()) {
      const [all, malformed] = opened[i];
      expect(all.err, name(c)).toBe('');
      expect(all.out, name(c)).not.toContain('[Malformed Packet]');
      expect(all.out, name(c)).toMatch(/NAS-EPS/);
      expect(all.out, name(c)).toMatch(/DIAMETER/);
      expect(malformed.out, name(c)).toBe('');

      const statuses = await macStatuses(dirs[i]);
      expect(statuses.join('\n'), name(c)).not.toMatch(/bad|unverified/);
      expect(statuses.filter((s) => s.startsWith('good')).length, name(c)).toBeGreaterThanOrEqual(8); // 4+ protected NAS messages per UE
      expect(statuses.filter((s) => s.endsWith('\tgood')).length, name(c)).toBe(2); // one group message to each UE

      const l = await ladder(dirs[i]);
      expect(l.header).toMatch(/^\s+# step\s+SCS\s+MTC-IWF\s+HSS\s+MME\s+UE1\s+UE2$/);
      const steps = new Set(l.rows.map((r) => r.step));
      const want = c.variant === 'hss' ? ['1', '2', '3', '4', "4'", '5', '6', '7'] : ['1', '2', '3', '4', "4'", '5', '6', '7', ...(c.trigger === 'first-message' ? [] : ['x'])];
      expect([...steps].sort(), name(c)).toEqual(want.sort());
      const messages = l.rows.filter((r) => r.num !== '');
      expect(messages.length, name(c)).toBe(statuses.length);
      for (const r of messages) expect(r.text, name(c)).toMatch(/\|[-=][^|]*>\||\|<[^|]*[-=]\|/);
      // The smc carrier puts the keys in clear on purpose (the seed's editor's note): that is its only finding.
      expect(new Set(findingIds(l.rows)), name(c)).toEqual(new Set(c.carrier === 'smc' ? ['keys_in_clear'] : []));
    }
  }, 60_000);

  it('draw arrows between the right columns', async () => {
    const dir = await makeFlow({ variant: 'hss', carrier: 'dedicated', ues: 3 });
    const { text } = await ladder(dir);
    const line = (re: RegExp) => text.split('\n').find((l) => re.test(l))!;
    const head = text.split('\n')[0];
    const col = (n: string) => head.indexOf(n) + (n.length >> 1);
    const sir = line(/Subscriber-Information-Request/);
    expect(sir.indexOf('|-')).toBe(col('MTC-IWF'));
    expect(sir.indexOf('>|') + 1).toBe(col('HSS'));
    const gkd = text.split('\n').filter((l) => /Group key distribution \(/.test(l))[2];
    expect(gkd.indexOf('|-')).toBe(col('MME'));
    expect(gkd.indexOf('>|') + 1).toBe(col('UE3'));
    expect(text).toMatch(/\n\s+1\s+\|\s+\*.*MTC-IWF Group GW generates Gk_conf and Gk_integ for 00000001-001-01-01 Gki 1/);
  });
});

describe('the ladder of captures that are not flows', () => {
  it('places NAS and group messages by direction and shows the findings', async () => {
    const r = await run('-z', 'flow', '--proto', 'gmsg', '-r', 'captures/group-messages-attacks.txt', '--keys', 'captures/group-keys.keys.json');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/SCS\s+MTC-IWF\s+HSS\s+MME\s+UE$/);
    expect(findingIds(lines.map((text) => ({ text })))).toEqual(['replayed', 'mac_mismatch', 'too_old']);
    for (const l of lines.slice(1)) expect(l).toMatch(/^\s+\d+ -\s+\|\s+\|[-=][^|]*>\|/);
  });
});

describe('attacks: each gives exactly its finding', () => {
  const cases: Array<[Attack, string, (s: string[]) => void]> = [
    ['tamper', 'mac_mismatch', (s) => expect(s.filter((x) => x.endsWith('\tbad'))).toHaveLength(1)],
    ['replay', 'replayed', (s) => expect(s.join('\n')).not.toMatch(/bad|unverified/)],
    ['keys-in-clear', 'keys_in_clear', (s) => expect(s.join('\n')).not.toMatch(/bad|unverified/)],
    // The forged EIA0 message names algorithms other than its key's: a downgrade, so its MAC is bad.
    ['eia0', 'algorithm_downgrade', (s) => expect(s.filter((x) => x.endsWith('\tbad'))).toHaveLength(2)],
  ];
  it.each(cases)('%s: %s and nothing else, in every carrier', async (attack, finding, macs) => {
    const carriers: NasCarrier[] = attack === 'keys-in-clear' ? CARRIERS : ['smc-ciphered', 'attach-accept', 'dedicated'];
    for (const carrier of carriers) {
      const dir = await makeFlow({ variant: 'mme', trigger: 'hss-auth', carrier, attack, ues: 3, groups: 2 });
      const { rows } = await ladder(dir);
      const ids = findingIds(rows);
      expect(new Set(ids), `${attack} ${carrier}`).toEqual(new Set([finding]));
      // tamper and replay hit one delivery; the EIA0 message goes to every member of group 1 (UE1, UE3); keys in clear to every UE.
      expect(ids.length).toBe({ tamper: 1, replay: 1, eia0: 2, 'keys-in-clear': 3 }[attack]);
      macs(await macStatuses(dir));
    }
  });

  it('tshark opens the attack captures with nothing malformed', async () => {
    const dirs = await Promise.all(cases.map(([attack]) => makeFlow({ variant: 'hss', carrier: 'dedicated', attack, ues: 2 })));
    const outs = await limited(dirs, 4, (d) => tshark('-r', join(d, 'flow.pcapng'), '-Y', '_ws.malformed'));
    for (const o of outs) expect(o.out).toBe('');
  });
});
