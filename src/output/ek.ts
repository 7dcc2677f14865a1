/**
 * tshark's `-T ek` (Elasticsearch bulk format): per packet an index line and a document line.
 *
 * With -e the document holds only the named fields, each an array of its `-T fields` values under
 * the name with dots made underscores, in -e order: tshark 4.0's output exactly. Without -e it follows
 * the shape of tshark's full document: a layer per protocol whose fields are flattened into one
 * object keyed `<protocol>_<field>` (dots made underscores), a value for one occurrence and an array
 * for several, booleans as true/false, expert info under `_ws_expert`. Unlike tshark it never repeats
 * a key (tshark writes `text` once per subtree label; here they are one array).
 */
import { walk, type ExpertItem, type TreeNode } from '../engine/tree.js';
import { defaultGrammar } from '../grammar/default.js';
import { exportValues } from './fields.js';

type Json = null | boolean | string | Json[] | { [k: string]: Json };

export interface EkPacket {
  number: number;
  source: string;
  direction?: string;
  /** Seconds since the epoch; inputs without time stamps count as 0 (1970-01-01). */
  time?: number;
  length: number;
  protocol: string;
  tree: TreeNode;
}

const underscores = (name: string): string => name.replace(/\./g, '_');

/** tshark's `_index`: packets-YYYY-MM-DD of the packet's time, in local time as tshark takes it. */
function indexLine(time: number): string {
  const d = new Date(Math.floor(time) * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = Number.isNaN(d.getTime()) ? 'XXXX-XX-XX' : `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return JSON.stringify({ index: { _index: `packets-${day}`, _type: 'doc' } });
}

/** tshark's `timestamp`: whole seconds then three digits of milliseconds, as a string. */
function timestamp(time: number): string {
  const micros = Math.round(time * 1e6);
  const secs = Math.floor(micros / 1e6);
  return `${secs}${String(Math.floor((micros - secs * 1e6) / 1000)).padStart(3, '0')}`;
}

/** The two lines of one packet. */
export function ekLines(p: EkPacket, fields: string[]): [string, string] {
  const time = p.time ?? 0;
  const layers = fields.length ? selectedLayers(p.tree, fields) : fullLayers(p);
  return [indexLine(time), JSON.stringify({ timestamp: timestamp(time), layers })];
}

function selectedLayers(tree: TreeNode, fields: string[]): Record<string, Json> {
  const values = exportValues([tree], fields);
  const out: Record<string, Json> = {};
  for (const f of fields) {
    const v = values.get(f);
    if (v?.length) out[underscores(f)] = v;
  }
  return out;
}

/** Members of one object where a key met again turns into an array of its values. */
class Members {
  readonly obj: Record<string, Json> = {};
  private readonly multi = new Set<string>();
  add(key: string, value: Json): void {
    if (!(key in this.obj)) this.obj[key] = value;
    else if (this.multi.has(key)) (this.obj[key] as Json[]).push(value);
    else {
      this.obj[key] = [this.obj[key], value];
      this.multi.add(key);
    }
  }
}

function fullLayers(p: EkPacket): Record<string, Json> {
  const frame = new Members();
  if (p.time !== undefined) frame.add('frame_frame_time_epoch', p.time.toFixed(9));
  frame.add('frame_frame_number', String(p.number));
  frame.add('frame_frame_len', String(p.length));
  frame.add('frame_frame_protocols', p.protocol);
  frame.add('frame_frame_source', p.source);
  if (p.direction) frame.add('frame_frame_direction', p.direction);
  return { frame: frame.obj, [p.protocol]: protocolLayer(p.protocol, p.tree) };
}

/** Every node under the protocol's root, flattened in tree order. */
function protocolLayer(protocol: string, root: TreeNode): Record<string, Json> {
  const fields = defaultGrammar().fields;
  const own = protocol.replace(/-/g, '_');
  // tshark prefixes a field with the abbreviation of the protocol that registers it (gsm_a for gsm_a.*).
  const key = (filter: string) => {
    const head = filter.split('.')[0];
    return underscores(`${head === own ? protocol : head}_${filter}`);
  };
  const layer = new Members();
  const experts: ExpertItem[] = [];
  for (const n of walk(root)) {
    experts.push(...n.expert);
    if (n === root) continue;
    const ftype = fields.get(n.filter)?.ftype;
    if (n.show !== undefined) layer.add(key(n.filter), ftype === 'FT_BOOLEAN' ? n.show !== '0' : n.show);
    else if (ftype === 'FT_NONE') layer.add(key(n.filter), null);
    else layer.add('text', n.display);
  }
  for (const e of experts) {
    layer.add('_ws_expert', {
      [key(`${own}.expert.${e.id}`)]: null,
      _ws_expert__ws_expert_message: e.message,
      _ws_expert__ws_expert_severity: e.severity,
      _ws_expert__ws_expert_group: e.group,
    });
  }
  return layer.obj;
}
