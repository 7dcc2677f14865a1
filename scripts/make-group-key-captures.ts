/**
 * Writes the group key sample captures and their keys file (captures/group-keys.*):
 * NAS delivery of group keys to one UE in each carrier, protected group messages with each
 * algorithm, and negative captures that the audit and the replay check flag.
 * Run: npx tsx scripts/make-group-key-captures.ts
 */
import { writeFileSync } from 'node:fs';
import { deriveGroupKeys } from '../src/groupkeys/schedule.js';
import { cipheredGroupKeyInformation, groupKeyInformation } from '../src/groupkeys/nas.js';
import { protectGroupMessage } from '../src/groupkeys/protect.js';
import { deriveNasKeys, encode, fromHex, protect, toHex, type AlgId } from '../src/index.js';

const out = (name: string, text: string) => writeFileSync(new URL(`../captures/${name}`, import.meta.url), text);
const kasme = fromHex('5c2f1c8e3a9b7d604f11e2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7');
const root = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const groups = ([1, 2, 3] as AlgId[]).map((alg) => deriveGroupKeys(root, { gid: `00000001-001-01-0${alg}`, gki: 1, eea: alg, eia: alg }));
const { knasenc, knasint } = deriveNasKeys(kasme, 2, 2);
const ctx = (count: number, direction: 'ul' | 'dl') => ({ knasenc, knasint, eea: 2 as AlgId, eia: 2 as AlgId, count, direction });
const caps = { eea0: 1, eea1: 1, eea2: 1, eea3: 1, eea4: 0, eea5: 0, eea6: 0, eea7: 0, eia0: 0, eia1: 1, eia2: 1, eia3: 1, eia4: 0, eia5: 0, eia6: 0, eps_upip: 0 };
const smc = (extra: Record<string, unknown>) => ({
  message: 'security_mode_command',
  selected_nas_security_algorithms: { ciphering: 2, integrity: 2 },
  nas_key_set_identifier: { tsc: 0, ksi: 1 },
  replayed_ue_security_capabilities: caps,
  ...extra,
});
const line = (dir: string, label: string, bytes: Uint8Array) => `${dir} ${label}: ${toHex(bytes)}`;
const identities = { identities: groups.map((g) => ({ gid: g.gid, gki: g.gki })) };

const keysFile = {
  nas: [{ kasme: toHex(kasme) }],
  groups: groups.map((g) => ({ gid: g.gid, gki: g.gki, gk_conf: toHex(g.gkConf), gk_integ: toHex(g.gkInteg), eea: g.eea, eia: g.eia })),
};
out('group-keys.keys.json', JSON.stringify(keysFile, null, 2) + '\n');

out(
  'group-keys-nas.txt',
  [
    '# Group keys to one UE: in the Security Mode Command (ciphered IE form, K_NASenc, BEARER 1),',
    '# then in the dedicated GROUP KEY DISTRIBUTION and in an Attach accept, both ciphered (SHT 2).',
    '# Open with: mtcgk -r captures/group-keys-nas.txt --keys captures/group-keys.keys.json -V',
    line('DL', 'smc-with-ciphered-group-keys', protect(smc({ ciphered_group_key_information: cipheredGroupKeyInformation(groups, knasenc, 2, 0, { lifetime: 86400 }) }), 3, ctx(0, 'dl'))),
    line('UL', 'smc-complete', protect({ message: 'security_mode_complete' }, 4, ctx(0, 'ul'))),
    line('DL', 'group-key-distribution', protect({ message: 'group_key_distribution', group_key_information: groupKeyInformation(groups, { lifetime: 86400 }) }, 2, ctx(1, 'dl'))),
    line('UL', 'group-key-distribution-complete', protect({ message: 'group_key_distribution_complete', group_key_identity_list: identities }, 2, ctx(1, 'ul'))),
    '',
  ].join('\n'),
);

const rolled = deriveGroupKeys(fromHex('ff'.repeat(32)), { gid: groups[0].gid, gki: 2, eea: 1, eia: 1 });
const other = deriveGroupKeys(fromHex('ee'.repeat(32)), { gid: groups[0].gid, gki: 1, eea: 1, eia: 1 });
const plainGkd = encode({ message: 'group_key_distribution', group_key_information: groupKeyInformation([groups[0]]) });
out(
  'group-keys-audit.txt',
  [
    '# Negative cases for the group key audit (open with the keys file of group-keys-nas.txt):',
    '# keys in a plain NAS message before security; keys in clear in a Security Mode Command;',
    '# a rollover to Gki 2, then Gki 1 again with other keys (Gki reuse); the same (GID, Gki) with',
    '# two different keys (conflict).',
    line('DL', 'plain-gkd-before-security', plainGkd),
    line('DL', 'smc-with-group-keys-in-clear', protect(smc({ group_key_information: groupKeyInformation([groups[0]]) }), 3, ctx(0, 'dl'))),
    line('UL', 'smc-complete', protect({ message: 'security_mode_complete' }, 4, ctx(0, 'ul'))),
    line('DL', 'rollover-to-gki-2', protect({ message: 'group_key_distribution', group_key_information: groupKeyInformation([rolled]) }, 2, ctx(1, 'dl'))),
    line('DL', 'gki-1-reused-with-new-keys', protect({ message: 'group_key_distribution', group_key_information: groupKeyInformation([other]) }, 2, ctx(2, 'dl'))),
    line('DL', 'gki-2-with-other-keys', protect({ message: 'group_key_distribution', group_key_information: groupKeyInformation([{ ...rolled, gkConf: other.gkConf }]) }, 2, ctx(3, 'dl'))),
    '',
  ].join('\n'),
);

const hello = new TextEncoder().encode('switch to firmware 4.2 at 02:00');
const gm = groups.map((g, i) => protectGroupMessage({ key: g, count: 10 + i, payload: hello, cipher: true }));
out(
  'group-messages.txt',
  [
    '# Protected group messages (--proto gmsg): one per algorithm pair, ciphered, then integrity only.',
    '# Open with: mtcgk --proto gmsg -r captures/group-messages.txt --keys captures/group-keys.keys.json -V',
    ...gm.map((b, i) => line('DL', `group-${i + 1}-ciphered`, b)),
    ...groups.map((g, i) => line('DL', `group-${i + 1}-integrity-only`, protectGroupMessage({ key: g, count: 20 + i, payload: hello, cipher: false }))),
    '',
  ].join('\n'),
);

const tampered = gm[0].slice();
tampered[tampered.length - 6] ^= 0x01;
out(
  'group-messages-attacks.txt',
  [
    '# Attacks on group 00000001-001-01-01 (--proto gmsg, keys of group-keys.keys.json): a good',
    '# message, the same message replayed, a tampered copy, then a message far ahead and an old one',
    '# that falls out of the 64-message replay window.',
    line('DL', 'original', gm[0]),
    line('DL', 'replayed', gm[0]),
    line('DL', 'tampered', tampered),
    line('DL', 'far-ahead', protectGroupMessage({ key: groups[0], count: 500, payload: hello, cipher: true })),
    line('DL', 'too-old', protectGroupMessage({ key: groups[0], count: 11, payload: hello, cipher: true })),
    '',
  ].join('\n'),
);
