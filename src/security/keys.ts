/**
 * The keys file (`--keys FILE`, JSON): NAS security contexts and group keys.
 * `{"nas": [{"kasme": "<64 hex>", "eea": 0-3, "eia": 1-3, "ue": "imsi-001010000000001"}],
 *   "groups": [{"gid": "00000001-001-01-01", "gki": 1, "gk_conf": "<32 hex>", "gk_integ": "<32 hex>", "eea": 0-3, "eia": 1-3}]}`
 * A NAS record may give "knasenc"/"knasint" (32 hex each) instead of "kasme". Without "eea"/"eia" it
 * learns them from a verified Security Mode Command; EIA0 counts only with `"allow_null": true`.
 * A group key's algorithms are bound to it: a group message naming others is a downgrade.
 * Errors name the place in the file, never its content: it holds keys.
 */
import { parseGroupId } from '../codecs/group-id.js';
import type { AlgId } from './algorithms.js';

export class KeysError extends Error {}

export interface NasKeyRecord {
  kasme?: Uint8Array;
  knasenc?: Uint8Array;
  knasint?: Uint8Array;
  /** The context's algorithms before any Security Mode Command; undefined: learnt from a verified one. */
  eea?: AlgId;
  eia?: AlgId;
  /** Null integrity (EIA0) is accepted for this context, as for an emergency bearer (TS 33.401 §5.1.3.2). */
  allowNull: boolean;
  ue?: string;
  /** Where the record is, e.g. `keys.json:nas[0]`: shown instead of key bytes. */
  where: string;
}

export interface GroupKeyRecord {
  gid: string;
  gki: number;
  gkConf: Uint8Array;
  gkInteg: Uint8Array;
  eea: AlgId;
  eia: AlgId;
  where: string;
}

export interface Keys {
  nas: NasKeyRecord[];
  groups: GroupKeyRecord[];
}

export const NO_KEYS: Keys = { nas: [], groups: [] };

function hexKey(v: unknown, octets: number, where: string): Uint8Array {
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${octets * 2}}$`).test(v)) throw new KeysError(`${where}: expected ${octets * 2} hex digits`);
  return Uint8Array.from(v.match(/../g)!, (h) => parseInt(h, 16));
}

function alg(v: unknown, where: string, min = 0): AlgId {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 3) throw new KeysError(`${where}: expected an algorithm identity ${min}-3`);
  return v as AlgId;
}

const optionalAlg = (v: unknown, where: string): AlgId | undefined => (v === undefined ? undefined : alg(v, where));

/** The position of a JSON syntax error, never the text around it (the file holds keys). */
function syntaxError(text: string, e: Error): string {
  const at = /position (\d+)/.exec(e.message);
  if (!at) return 'not valid JSON';
  const before = text.slice(0, Number(at[1])).split('\n');
  return `not valid JSON (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

const isGroupId = (text: string): boolean => {
  try {
    parseGroupId(text);
    return true;
  } catch {
    return false;
  }
};

const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseKeys(text: string, file: string): Keys {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new KeysError(`${file}: ${syntaxError(text, e as Error)}`);
  }
  if (!obj(data)) throw new KeysError(`${file}: expected an object with "nas" and/or "groups"`);
  for (const k of Object.keys(data)) if (k !== 'nas' && k !== 'groups') throw new KeysError(`${file}: unknown section "${k}"`);
  const list = (k: string) => {
    const v = data[k] ?? [];
    if (!Array.isArray(v)) throw new KeysError(`${file}: "${k}" is a list`);
    return v;
  };
  const nas = list('nas').map((r, i): NasKeyRecord => {
    const where = `${file}:nas[${i}]`;
    if (!obj(r)) throw new KeysError(`${where}: expected an object`);
    if (r.allow_null !== undefined && typeof r.allow_null !== 'boolean') throw new KeysError(`${where}.allow_null: expected true or false`);
    const rec: NasKeyRecord = { eea: optionalAlg(r.eea, `${where}.eea`), eia: optionalAlg(r.eia, `${where}.eia`), allowNull: r.allow_null === true, where };
    if (r.kasme !== undefined) rec.kasme = hexKey(r.kasme, 32, `${where}.kasme`);
    else if (r.knasenc !== undefined || r.knasint !== undefined) {
      rec.knasenc = hexKey(r.knasenc, 16, `${where}.knasenc`);
      rec.knasint = hexKey(r.knasint, 16, `${where}.knasint`);
    } else throw new KeysError(`${where}: needs "kasme", or "knasenc" and "knasint"`);
    if (r.ue !== undefined && typeof r.ue !== 'string') throw new KeysError(`${where}.ue: expected a label (text)`);
    if (r.ue !== undefined) rec.ue = r.ue;
    return rec;
  });
  const groups = list('groups').map((r, i): GroupKeyRecord => {
    const where = `${file}:groups[${i}]`;
    if (!obj(r)) throw new KeysError(`${where}: expected an object`);
    if (typeof r.gid !== 'string' || !isGroupId(r.gid)) throw new KeysError(`${where}.gid: expected an IMSI-Group Identifier GGGGGGGG-MCC-MNC-LocalGroupId, e.g. 00000001-001-01-01`);
    if (typeof r.gki !== 'number' || !Number.isInteger(r.gki) || r.gki < 0 || r.gki > 255) throw new KeysError(`${where}.gki: expected 0-255`);
    return {
      gid: r.gid.toLowerCase(),
      gki: r.gki,
      gkConf: hexKey(r.gk_conf, 16, `${where}.gk_conf`),
      gkInteg: hexKey(r.gk_integ, 16, `${where}.gk_integ`),
      eea: r.eea === undefined ? 0 : alg(r.eea, `${where}.eea`),
      eia: alg(r.eia, `${where}.eia`, 1),
      where,
    };
  });
  return { nas, groups };
}

/** Several keys files together (`--keys` may repeat). */
export const mergeKeys = (all: Keys[]): Keys => ({ nas: all.flatMap((k) => k.nas), groups: all.flatMap((k) => k.groups) });
