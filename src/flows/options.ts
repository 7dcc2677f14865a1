/** Options of a flow (`mtcgk flow`), with their defaults and checks. */
import type { AlgId } from '../security/algorithms.js';
import type { NasCarrier } from './ue.js';
import type { Attack, Trigger, Variant } from './model.js';

export interface FlowOptions {
  /** 'hss': Figure 1.a (keys via the HSS); 'mme': Figure 1.b (keys straight to the MME over T5). */
  variant: Variant;
  ues: number;
  groups: number;
  carrier: NasCarrier;
  /** Figure 1.b only (Note x): what makes the MTC-IWF generate and send the keys. */
  trigger: Trigger;
  /** NAS security algorithms of every UE's context, and the groups' algorithms. */
  eea: AlgId;
  eia: AlgId;
  /** Group messages ciphered with Gk_conf (false, or EEA0: integrity only). */
  confidentiality: boolean;
  /** Group messages per group. */
  messages: number;
  attack?: Attack;
  seed: string;
  /** Time of the first message (seconds since the epoch). */
  startTime: number;
}

export const CARRIERS: readonly NasCarrier[] = ['smc', 'smc-ciphered', 'attach-accept', 'dedicated'];
export const TRIGGERS: readonly Trigger[] = ['first-message', 'hss-auth', 'interrogate'];
export const ATTACKS: readonly Attack[] = ['tamper', 'replay', 'keys-in-clear', 'eia0'];
export const MAX_UES = 1000;

/** 2024-01-01T00:00:00Z: seeded flows start here so that they are byte-for-byte reproducible. */
export const SEEDED_START = 1704067200;

export function flowOptions(o: Partial<FlowOptions> & { seed: string }): FlowOptions {
  const f = {
    seed: o.seed,
    variant: 'hss',
    ues: 2,
    groups: 1,
    carrier: 'smc-ciphered',
    trigger: 'hss-auth',
    eea: 2,
    eia: 2,
    confidentiality: true,
    messages: 1,
    startTime: SEEDED_START,
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  } as FlowOptions;
  const bad = (m: string) => {
    throw new RangeError(m);
  };
  if (!Number.isInteger(f.ues) || f.ues < 1 || f.ues > MAX_UES) bad(`--ues takes 1-${MAX_UES}`);
  if (!Number.isInteger(f.groups) || f.groups < 1 || f.groups > Math.min(f.ues, 255)) bad('--groups takes 1 up to the number of UEs (at most 255)');
  if (!Number.isInteger(f.messages) || f.messages < 1 || f.messages > 1000) bad('--messages takes 1-1000');
  if (![0, 1, 2, 3].includes(f.eea)) bad('--eea takes 0-3');
  if (![1, 2, 3].includes(f.eia)) bad('--eia takes 1-3');
  if (!CARRIERS.includes(f.carrier)) bad(`--carrier takes ${CARRIERS.join(', ')}`);
  if (!TRIGGERS.includes(f.trigger)) bad(`--trigger takes ${TRIGGERS.join(', ')}`);
  if (f.attack !== undefined && !ATTACKS.includes(f.attack)) bad(`--attack takes ${ATTACKS.join(', ')}`);
  return f;
}
