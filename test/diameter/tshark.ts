/**
 * Reading tshark's view of Diameter: `-T json` (whose objects repeat keys, so it is parsed into
 * ordered key/value pairs) and `-G fields` (names, labels, types). Used by tshark.test.ts.
 */
import { execFileSync } from 'node:child_process';

/** A JSON object as its key/value pairs in order, duplicates kept. */
export interface Pairs {
  pairs: Array<[string, Json]>;
}
export type Json = string | number | boolean | null | Json[] | Pairs;

export const isPairs = (v: unknown): v is Pairs => typeof v === 'object' && v !== null && 'pairs' in v;

/** JSON.parse that keeps repeated keys (tshark writes one key per occurrence of a field). */
export function parseJsonPairs(text: string): Json {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Pairs = { pairs: [] };
      ws();
      if (text[i] === '}') return (i++, out);
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') fail('expected a key');
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        out.pairs.push([k as string, value()]);
        ws();
        const sep = text[i++];
        if (sep === '}') return out;
        if (sep !== ',') fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const out: Json[] = [];
      ws();
      if (text[i] === ']') return (i++, out);
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return out;
        if (sep !== ',') fail('expected "," or "]"');
      }
    }
    const m = /^(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i, i + 100000));
    if (!m) return fail('unexpected input');
    i += m[0].length;
    return JSON.parse(m[0]) as Json;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing input');
  return v;
}

export const get = (p: Json | undefined, key: string): Json | undefined => (isPairs(p) ? p.pairs.find(([k]) => k === key)?.[1] : undefined);
export const getAll = (p: Json | undefined, key: string): Json[] => (isPairs(p) ? p.pairs.filter(([k]) => k === key).map(([, v]) => v) : []);

/** The diameter layer of each packet of a capture. */
export function tsharkDiameter(file: string): Pairs[] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const packets = parseJsonPairs(out) as Json[];
  return packets.map((p, n) => {
    const d = get(get(get(p, '_source'), 'layers'), 'diameter');
    if (!isPairs(d)) throw new Error(`packet ${n + 1}: no diameter layer`);
    return d;
  });
}

export interface TsharkField {
  label: string;
  ftype: string;
}

/** tshark's Diameter field catalogue (`-G fields`) and the E.212 and E.164 fields it shows in Diameter, by filter name. */
export function tsharkDiameterFields(): Map<string, TsharkField> {
  const out = execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const fields = new Map<string, TsharkField>();
  for (const line of out.split('\n')) {
    const [kind, label, name, ftype, protocol] = line.split('\t');
    if (kind === 'F' && ['diameter', 'diameter.3gpp', 'e212', 'e164'].includes(protocol)) fields.set(name, { label, ftype });
  }
  return fields;
}
