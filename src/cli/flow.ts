/**
 * `mtcgk flow ...`: writes a capture of the seed's Figure 1.a or 1.b (src/flows/); `mtcgk -z flow`
 * prints a capture as a ladder diagram; `mtcgk export lua` writes the Wireshark Lua dissector.
 */
import { join } from 'node:path';
import type { Frame } from '../io/frame.js';
import { makeOutputDir, writeOutputFile } from '../io/output-file.js';
import type { Keys } from '../security/keys.js';
import type { AlgId } from '../security/algorithms.js';
import { flowPcapng, flowText } from '../flows/capture.js';
import { checkFlow } from '../flows/check.js';
import { ladder } from '../flows/ladder.js';
import { INTERFACES, type Attack, type Trigger, type Variant } from '../flows/model.js';
import { ATTACKS, CARRIERS, flowOptions, TRIGGERS, type FlowOptions } from '../flows/options.js';
import { randomSeed } from '../flows/rng.js';
import { buildFlow, keysJson, type Flow } from '../flows/scenario.js';
import type { NasCarrier } from '../flows/ue.js';
import { UsageError } from './args.js';

export const FLOW_USAGE = `Usage: mtcgk flow --variant hss|mme --ues N --out DIR [options]
  Plays TR 33.868 group key distribution (the seed's Figure 1.a or 1.b) with real keys and crypto
  and writes DIR/flow.pcapng, DIR/flow.txt and DIR/keys.json.
  --variant hss|mme      hss: Figure 1.a, keys via the HSS (S6m, S6a); mme: Figure 1.b, keys to the MME over T5
  --ues N                number of UEs (default 2), each with its own AKA run and NAS security context
  --groups G             number of groups, UEs assigned round-robin (default 1)
  --carrier C            NAS carrier of the keys: smc (plain IE: keys in clear), smc-ciphered (default),
                         attach-accept, dedicated (GROUP KEY DISTRIBUTION + COMPLETE)
  --trigger T            Figure 1.b only (Note x): first-message, hss-auth (default), interrogate
  --eea 0-3 --eia 1-3    NAS and group algorithms (default 2 and 2)
  --no-confidentiality   group messages integrity protected only (EEA0)
  --messages M           group messages per group (default 1)
  --attack A             negative capture: tamper, replay, keys-in-clear, eia0
  --seed S               deterministic keys and times (default: a random seed, printed)
Check:  mtcgk -r DIR/flow.pcapng --keys DIR/keys.json -T fields -e nas_eps.msg_auth_code.status -e gmsg.mac.status
Ladder: mtcgk -z flow -r DIR/flow.pcapng --keys DIR/keys.json`;

const oneOf = <T extends string>(v: string, all: readonly T[], flag: string): T => {
  if (!(all as readonly string[]).includes(v)) throw new UsageError(`${flag} takes ${all.join(', ')}; got "${v}"`);
  return v as T;
};
const int = (v: string, flag: string): number => {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} takes a number; got "${v}"`);
  return Number(v);
};

export function parseFlowArgs(argv: string[]): { options: FlowOptions; out: string; seeded: boolean } {
  const o: Partial<FlowOptions> = {};
  let out: string | undefined;
  let seed: string | undefined;
  let trigger: Trigger | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} requires a value`);
      return v;
    };
    switch (a) {
      case '--variant':
        o.variant = oneOf(value(), ['hss', 'mme'] as Variant[], a);
        break;
      case '--ues':
        o.ues = int(value(), a);
        break;
      case '--groups':
        o.groups = int(value(), a);
        break;
      case '--out':
        out = value();
        break;
      case '--carrier':
        o.carrier = oneOf(value(), CARRIERS as NasCarrier[], a);
        break;
      case '--trigger':
        trigger = oneOf(value(), TRIGGERS as Trigger[], a);
        break;
      case '--eea':
        o.eea = Number(oneOf(value(), ['0', '1', '2', '3'], a)) as AlgId;
        break;
      case '--eia':
        o.eia = Number(oneOf(value(), ['1', '2', '3'], a)) as AlgId;
        break;
      case '--no-confidentiality':
        o.confidentiality = false;
        break;
      case '--messages':
        o.messages = int(value(), a);
        break;
      case '--attack':
        o.attack = oneOf(value(), ATTACKS as Attack[], a);
        break;
      case '--seed':
        seed = value();
        break;
      default:
        throw new UsageError(`unknown flow option "${a}"`);
    }
  }
  if (out === undefined) throw new UsageError('flow needs --out DIR');
  if (trigger !== undefined && o.variant !== 'mme') throw new UsageError('--trigger is for --variant mme (Figure 1.b, Note x) only');
  if (trigger) o.trigger = trigger;
  try {
    const options = flowOptions({ ...o, seed: seed ?? randomSeed(), ...(seed === undefined && { startTime: Math.floor(Date.now() / 1000) }) });
    return { options, out, seeded: seed !== undefined };
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/** What the files say about how they were made, at the top of flow.txt. */
export function flowHeading(flow: Flow): string[] {
  const o = flow.options;
  const fig = o.variant === 'hss' ? '1.a (group keys via the HSS)' : `1.b (group keys to the MME over T5, trigger ${o.trigger})`;
  return [
    `mtcgk flow: TR 33.868 group key distribution, Figure ${fig}`,
    `${o.ues} UE(s) in ${o.groups} group(s), carrier ${o.carrier}, EEA${o.eea}/EIA${o.eia}, ${o.confidentiality && o.eea ? 'ciphered' : 'integrity-only'} group messages, ${o.messages} per group${o.attack ? `, attack ${o.attack}` : ''}`,
    `seed ${o.seed}`,
    'Each line: direction (NAS and group messages, seen from the UE), time, label (step, sender->receiver,',
    'reference point, protocol, message), hex. The comment above each line repeats reference point and protocol.',
    "Open: mtcgk -r flow.pcapng --keys keys.json   (the pcapng carries each packet's protocol)",
    'Ladder: mtcgk -z flow -r flow.txt --keys keys.json   (protocols from the labels)',
  ];
}

export function runFlow(argv: string[], out: (s: string) => void): void {
  if (!argv.length || argv.includes('-h') || argv.includes('--help')) return out(FLOW_USAGE);
  const { options, out: dir, seeded } = parseFlowArgs(argv);
  const flow = buildFlow(options);
  makeOutputDir(dir);
  writeOutputFile(join(dir, 'flow.pcapng'), flowPcapng(flow.messages));
  writeOutputFile(join(dir, 'flow.txt'), flowText(flow.messages, flowHeading(flow)));
  writeOutputFile(join(dir, 'keys.json'), keysJson(flow), { secret: true });
  out(
    `wrote ${join(dir, 'flow.pcapng')} (${flow.messages.length} packets, interfaces ${INTERFACES.join(', ')}), ${join(dir, 'flow.txt')}, ${join(dir, 'keys.json')}${seeded ? '' : ` (seed ${options.seed})`}`,
  );
}

/** `-z flow`: the ladder of frames already read, each UE checked with its own security state. */
export function ladderText(frames: readonly Frame[], keys: Keys, defaultProtocol: string): string {
  return ladder(checkFlow(frames, keys, defaultProtocol));
}
