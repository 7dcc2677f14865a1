/**
 * tshark -T json shape (`[{_index, _type, _score, _source: {layers}}]`) with no duplicate keys:
 * a name that occurs more than once in one object becomes an array of its values.
 */
import type { TreeNode } from '../engine/tree.js';
import { frameFields, type FrameFacts } from './frame-fields.js';

type Json = string | Json[] | { [k: string]: Json };

/** One tree level as a JSON object: leaves by filter name, subtrees by their display text. */
export function layerJson(children: TreeNode[]): Record<string, Json> {
  const obj: Record<string, Json> = {};
  const multi = new Set<string>();
  const add = (key: string, value: Json) => {
    if (!(key in obj)) obj[key] = value;
    else if (multi.has(key)) (obj[key] as Json[]).push(value);
    else {
      obj[key] = [obj[key], value];
      multi.add(key);
    }
  };
  for (const n of children) {
    if (n.show !== undefined) add(n.filter, n.show);
    if (n.children.length) add(n.show !== undefined ? `${n.filter}_tree` : n.display, layerJson(n.children));
    if (n.expert.length)
      add(
        '_ws.expert',
        n.expert.map((e) => ({ '_ws.expert.id': e.id, '_ws.expert.message': e.message, '_ws.expert.severity': e.severity, '_ws.expert.group': e.group })),
      );
  }
  return obj;
}
export interface PacketJson extends FrameFacts {
  tree: TreeNode;
}

export function packetJson(p: PacketJson): Json {
  const frame: Record<string, Json> = {};
  for (const [name, [value]] of frameFields(p)) if (name !== 'frame') frame[name] = value!;
  return { _index: 'packets', _type: 'doc', _score: null as unknown as Json, _source: { layers: { frame, [p.protocol]: layerJson(p.tree.children) } } };
}
