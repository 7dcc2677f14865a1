/** The expert catalogue: every id mtcgk emits, with its fixed severity and group, joined from each layer's own. */
import { ENGINE_EXPERT, type ExpertInfo } from './engine/expert.js';
import { AUDIT_EXPERT, GMSG_EXPERT } from './groupkeys/expert.js';
import { NAS_EXPERT } from './security/expert.js';

export const EXPERT = { ...ENGINE_EXPERT, ...NAS_EXPERT, ...GMSG_EXPERT, ...AUDIT_EXPERT } as const satisfies Readonly<Record<string, ExpertInfo>>;

export type ExpertId = keyof typeof EXPERT;

export const isExpertId = (id: string): id is ExpertId => Object.hasOwn(EXPERT, id);
