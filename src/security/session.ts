/** Security state for one capture: the schemes the dissector hands protected payloads to, with their keys. */
import type { ProtectionScheme } from '../engine/protection.js';
import { GroupMessageSecurity } from '../groupkeys/gmsg-scheme.js';
import { CipheredGroupKeys } from './group-key-ie.js';
import { NO_KEYS, type Keys } from './keys.js';
import { NasSecurity } from './nas-scheme.js';

export class SecuritySession {
  readonly schemes: Readonly<Record<string, ProtectionScheme>>;

  constructor(readonly keys: Keys = NO_KEYS) {
    const nas = new NasSecurity(keys.nas);
    this.schemes = { nas, nas_ie: new CipheredGroupKeys(nas), gmsg: new GroupMessageSecurity(keys.groups) };
  }
}
