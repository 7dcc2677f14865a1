/**
 * A small JSON reader for `tshark -T json`, whose objects repeat keys (every occurrence of a field in a
 * subtree is one more "name": value member). JSON.parse would keep only the last one, so objects are
 * read as ordered lists of [key, value] pairs instead.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** An object as the members it has, in order, duplicates kept. */
export interface JsonObject {
  members: Array<[string, JsonValue]>;
}

export function isObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseTolerantJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`tshark JSON: ${what} at offset ${i}: ${JSON.stringify(text.slice(i, i + 30))}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const members: Array<[string, JsonValue]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { members };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        members.push([key, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { members };
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return items;
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return items;
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m) fail('unexpected character');
    i += m![0].length;
    return JSON.parse(m![0]) as JsonValue;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

/** The first member of an object with this key. */
export function member(o: JsonValue, key: string): JsonValue | undefined {
  return isObject(o) ? o.members.find(([k]) => k === key)?.[1] : undefined;
}

export interface TsharkField {
  name: string;
  /** The value as `-T fields` prints it (tshark's JSON separates the octets of byte fields with colons). */
  value: string;
  /** From the `name_raw` member that `-x` adds: octet offset and length in the frame, bit mask, field type. */
  offset?: number;
  length?: number;
  mask?: number;
  ftype?: number;
  /** Keys of the enclosing members, outermost first: subtree labels ("Mobile station classmark 3") and `name_tree` keys. */
  ancestors: string[];
}

/** Wireshark's ftenum values for byte fields (FT_BYTES, FT_UINT_BYTES), whose JSON rendering has colons. */
const BYTES_FTYPES = new Set([30, 31]);

/**
 * Every valued field of a layer, depth first: members whose key is a filter name (it has a dot) and whose
 * value is a non-empty string. Subtrees (`name_tree` members and text-only items, whose value is an
 * object) are walked; expert items (`_ws.*`) and FT_NONE fields (empty value) are left out.
 */
export function valuedFields(layer: JsonValue, ancestors: string[] = [], out: TsharkField[] = []): TsharkField[] {
  if (Array.isArray(layer)) {
    for (const v of layer) valuedFields(v, ancestors, out);
  } else if (isObject(layer)) {
    let raw: { key: string; value: JsonValue[] } | undefined;
    for (const [key, v] of layer.members) {
      if (key.endsWith('_raw') && Array.isArray(v)) {
        raw = { key: key.slice(0, -4), value: v };
        continue;
      }
      const r = raw?.key === key ? raw.value : undefined;
      raw = undefined;
      if (typeof v === 'string') {
        if (!key.includes('.') || key.startsWith('_ws.') || v === '') continue;
        const f: TsharkField = { name: key, value: v, ancestors };
        if (r && r.length >= 5) {
          [f.offset, f.length, f.mask, f.ftype] = r.slice(1, 5) as number[];
          if (BYTES_FTYPES.has(f.ftype)) f.value = v.replace(/:/g, '');
        }
        out.push(f);
      } else valuedFields(v, [...ancestors, key], out);
    }
  }
  return out;
}
