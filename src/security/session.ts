/** Security state for one capture: the schemes the dissector hands protected payloads to, with their keys. */
import type { DissectResult } from '../engine/dissect.js';
import type { ProtectionScheme } from '../engine/protection.js';
import { expertOf } from '../engine/tree.js';
import { GroupKeyAudit } from '../groupkeys/audit.js';
import { GroupMessageSecurity } from '../groupkeys/gmsg-scheme.js';
import { CipheredGroupKeys } from './group-key-ie.js';
import { NO_KEYS, type Keys } from './keys.js';
import { NasSecurity } from './nas-scheme.js';

export class SecuritySession {
  readonly schemes: Readonly<Record<string, ProtectionScheme>>;
  private nas: NasSecurity;
  private audit = new GroupKeyAudit();

  constructor(readonly keys: Keys = NO_KEYS) {
    this.nas = new NasSecurity(keys.nas);
    this.schemes = { nas: this.nas, nas_ie: new CipheredGroupKeys(this.nas), gmsg: new GroupMessageSecurity(keys.groups) };
  }

  /** Before each message of the capture. */
  begin(): void {
    this.nas.last = undefined;
  }

  /** After each message: the capture-wide audits add their expert items to the tree. */
  finish(r: DissectResult): void {
    if (this.audit.check(r, this.nas.last)) r.expert = expertOf(r.tree);
  }
}
