/**
 * Seed corpus and dictionary for coverage-guided fuzzers (AFL++, libFuzzer, fuzzshark): one raw
 * binary per input, `DIR/<proto>/<nnnn>-<message-name>.bin`, covering every message of the grammar,
 * and an AFL/libFuzzer dictionary `DIR/<proto>.dict` of message headers, IEIs and IEI+length tokens.
 */
import * as fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arbitraries } from '../engine/arbitrary.js';
import { BitWriter } from '../engine/bits.js';
import { Encoder } from '../engine/encode.js';
import { toHex } from '../engine/format.js';
import type { FieldIR, GrammarIR, TypeIR } from '../grammar/ir.js';
import { messageNames } from './arbitraries.js';

export interface CorpusOptions {
  dir: string;
  protocols: string[];
  perMessage: number;
  seed: number;
  dict: boolean;
}

export interface CorpusResult {
  files: string[];
  /** Messages with at least one file, by protocol. */
  messages: Map<string, string[]>;
  dicts: string[];
}

const fileName = (n: number, message: string) => `${String(n).padStart(4, '0')}-${message.replace(/_/g, '-')}.bin`;

export function exportCorpus(ir: GrammarIR, o: CorpusOptions): CorpusResult {
  const arbs = new Arbitraries(ir);
  const encoder = new Encoder(ir);
  const result: CorpusResult = { files: [], messages: new Map(), dicts: [] };
  for (const protocol of o.protocols) {
    const dir = join(o.dir, protocol);
    mkdirSync(dir, { recursive: true });
    let n = 0;
    const covered: string[] = [];
    messageNames(ir, protocol).forEach((m, k) => {
      const seen = new Set<string>();
      // Small values first (fast-check's bias), then larger ones; identical encodings once.
      const values = fc.sample(arbs.message(m, protocol), { seed: (o.seed + k * 7919) >>> 0, numRuns: Math.max(o.perMessage * 3, o.perMessage + 4) });
      for (const v of values) {
        if (seen.size >= o.perMessage) break;
        let bytes: Uint8Array;
        try {
          bytes = encoder.encode(v, protocol);
        } catch {
          continue;
        }
        const hex = toHex(bytes);
        if (!bytes.length || seen.has(hex)) continue;
        seen.add(hex);
        const file = join(dir, fileName(n++, m));
        writeFileSync(file, bytes);
        result.files.push(file);
      }
      if (seen.size) covered.push(m);
    });
    result.messages.set(protocol, covered);
    if (o.dict) {
      const file = join(o.dir, `${protocol}.dict`);
      writeFileSync(file, dictionary(ir, protocol, arbs, encoder, o.seed));
      result.dicts.push(file);
    }
  }
  return result;
}

const esc = (bytes: Uint8Array | number[]) => Array.from(bytes, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
const token = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]+/g, '_');

/** Leading fixed-width integer fields of a type, with their constants (0 where free), as octets. */
function fixedPrefix(fields: FieldIR[], consts: ReadonlyMap<string, number>, maxOctets: number): Uint8Array {
  const w = new BitWriter();
  for (const f of fields) {
    if (f.presence.kind !== 'always' || (f.kind !== 'uint' && f.kind !== 'spare') || typeof f.bits !== 'number' || f.bits > 32 || w.pos + f.bits > maxOctets * 8) break;
    w.write(f.kind === 'spare' ? f.value : (consts.get(f.id) ?? f.constValue ?? 0), f.bits);
  }
  const whole = w.pos - (w.pos % 8);
  return w.finish().subarray(0, whole / 8);
}

/**
 * The dictionary: `msg_<name>` headers of every message (as the message sets them; free fields 0,
 * struct messages as the encoder writes their first octets), `pd_*` protocol discriminators,
 * `iei_<ie>` for every optional IE and `iel_<ie>` IEI+length for fixed-length TLV/TLV-E IEs.
 */
export function dictionary(ir: GrammarIR, protocol: string, arbs: Arbitraries, encoder: Encoder, seed: number): string {
  const lines = new Map<string, string>();
  const byValue = new Set<string>();
  const add = (name: string, bytes: Uint8Array | number[]) => {
    if (!bytes.length) return;
    const v = esc(bytes);
    if (byValue.has(`${name}=${v}`)) return;
    let key = token(name);
    if (lines.has(key) && lines.get(key) !== v) key = `${key}_${toHex(Uint8Array.from(bytes))}`;
    if (lines.has(key)) return;
    lines.set(key, v);
    byValue.add(`${name}=${v}`);
  };
  for (const m of messageNames(ir, protocol)) {
    const t = ir.messages.get(m)! as TypeIR;
    if (t.kind === 'l3') add(`msg_${m}`, fixedPrefix(t.header, t.set, 8));
    else {
      // Struct messages (security protected, service request, group message): their leading octets as encoded.
      for (const v of fc.sample(arbs.message(m, protocol), { seed, numRuns: 6 })) {
        try {
          const b = encoder.encode(v, protocol);
          add(`msg_${m}`, b.subarray(0, Math.min(2, b.length)));
        } catch {
          // not encodable: no token
        }
      }
    }
    if (t.kind !== 'l3') continue;
    for (const ie of t.ies) {
      if (ie.iei === undefined) continue;
      const iei = ie.half ? ie.iei << 4 : ie.iei;
      add(`iei_${ie.id}`, [iei]);
      const lenOctets = ie.lengthBits / 8;
      if (lenOctets && ie.maxLen !== undefined && ie.maxLen === ie.minLen) {
        const len = ie.minLen - 1 - lenOctets;
        add(`iel_${ie.id}`, lenOctets === 1 ? [iei, len] : [iei, len >> 8, len & 0xff]);
      }
    }
  }
  const pd = ir.enums.get('protocol_discriminator');
  if (pd && protocol === 'nas-eps') for (const [v, label] of pd.values) add(`pd_${label.split(' ').slice(0, 2).join('_')}`, [v]);
  return [...lines].map(([k, v]) => `${k}="${v}"\n`).join('');
}
