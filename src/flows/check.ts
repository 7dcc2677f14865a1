/**
 * Checking a flow capture as its endpoints would: every UE verifies what it receives (and the MME
 * what that UE sends) with its own state, so each UE has its own NAS COUNTs and its own group
 * message replay windows. A capture-wide session (what `mtcgk -r` uses) shares one replay window
 * per (GID, Gki) between all the UEs of a group, and so takes the second UE's copy of a group
 * message for a replay of the first's.
 */
import { dissectFull } from '../api.js';
import type { DissectResult } from '../engine/dissect.js';
import type { ExpertItem } from '../engine/tree.js';
import type { Frame } from '../io/frame.js';
import { NO_KEYS, type Keys } from '../security/keys.js';
import { SecuritySession } from '../security/session.js';
import { parseLabel, type ParsedLabel } from './model.js';

export interface CheckedFrame {
  frame: Frame;
  label?: ParsedLabel;
  protocol: string;
  result: DissectResult;
  /** Expert items of group `security` at warn or error: what the ladder puts on the arrow. */
  findings: ExpertItem[];
}

/** The endpoint whose security state a message is checked with: the UE it is to or from, else the network. */
export function endpointOf(label: ParsedLabel | undefined): string {
  if (!label) return 'network';
  if (/^UE\d+$/.test(label.to)) return label.to;
  if (/^UE\d+$/.test(label.from)) return label.from;
  return 'network';
}

export const isFinding = (e: ExpertItem) => e.group === 'security' && (e.severity === 'warn' || e.severity === 'error');

export function checkFlow(frames: readonly Frame[], keys: Keys = NO_KEYS, defaultProtocol = 'nas-eps'): CheckedFrame[] {
  const sessions = new Map<string, SecuritySession>();
  return frames.map((frame) => {
    const label = parseLabel(frame.label);
    const protocol = frame.protocol ?? label?.protocol ?? defaultProtocol;
    const who = endpointOf(label);
    let session = sessions.get(who);
    if (!session) {
      // A UE's own NAS record when the keys file names it (`"ue": "UE2 imsi-..."`), else all of them.
      const own = keys.nas.filter((r) => r.ue?.split(' ')[0] === who);
      sessions.set(who, (session = new SecuritySession(own.length ? { ...keys, nas: own } : keys)));
    }
    const result = dissectFull(frame.bytes, protocol, { session, direction: frame.direction });
    return { frame, label, protocol, result, findings: result.expert.filter(isFinding) };
  });
}
