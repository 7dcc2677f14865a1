/**
 * The grammar keys that say how fields are shown rather than how they are encoded: `render:` on a field,
 * and `elem_id:`, `bytes_field:` and `derived:` on a type. Validated here, registered in the field
 * catalogue; the engine applies them (src/engine/render.ts).
 */
import { DERIVATIONS, RENDERING_FTYPE } from '../engine/render.js';
import { GrammarError } from './errors.js';
import type { BytesRendering, DerivedIR, FieldIR, FieldInfo, GrammarIR, InfoTemplate, TypeRendering } from './ir.js';

type Obj = Record<string, unknown>;
const FILTER = /^[a-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field's `render:`, checked. */
export function fieldRendering(raw: unknown, file: string, path: string): BytesRendering | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !(raw in RENDERING_FTYPE)) throw new GrammarError(file, `${path}/render`, `one of ${Object.keys(RENDERING_FTYPE).join(', ')}`);
  return raw as BytesRendering;
}

/** The ftype a field's rendering gives it in the catalogue, if any. */
export const renderedFtype = (render: BytesRendering | undefined): string | undefined => (render ? RENDERING_FTYPE[render] : undefined);

/** A type's `elem_id`, `bytes_field`, `derived`, `info` and `info_suffix` keys; the fields they name go into the catalogue. */
export function typeRendering(def: Obj, fields: readonly FieldIR[] | undefined, file: string, path: string, protocol: string, ir: GrammarIR): TypeRendering {
  const out: TypeRendering = {};
  const catalogue = ir.fields;
  const fieldIds = fields?.map((f) => f.id);
  const filter = (v: unknown, at: string) => {
    if (typeof v !== 'string' || !FILTER.test(v)) throw new GrammarError(file, `${path}/${at}`, 'a filter name');
    return v;
  };
  const add = (info: Omit<FieldInfo, 'protocol'>) => {
    if (!catalogue.has(info.filter)) catalogue.set(info.filter, { ...info, protocol });
  };
  if (def.elem_id !== undefined) {
    out.elemId = filter(def.elem_id, 'elem_id');
    add({ filter: out.elemId, label: 'Element ID', ftype: 'FT_UINT8', base: 'BASE_HEX' });
  }
  if (def.bytes_field !== undefined) {
    const b = def.bytes_field;
    if (!isObj(b) || typeof b.label !== 'string') throw new GrammarError(file, `${path}/bytes_field`, 'expected {filter, label}');
    out.bytesField = { filter: filter(b.filter, 'bytes_field/filter'), label: b.label };
    add({ filter: out.bytesField.filter, label: b.label, ftype: 'FT_BYTES', base: '' });
  }
  if (def.derived !== undefined) {
    if (!Array.isArray(def.derived) || !fieldIds) throw new GrammarError(file, `${path}/derived`, "a struct's list of {filter, label, as, from}");
    out.derived = def.derived.map((d, i): DerivedIR => {
      const at = `${path}/derived/${i}`;
      if (!isObj(d) || typeof d.label !== 'string') throw new GrammarError(file, at, 'expected {filter, label, as, from}');
      if (typeof d.as !== 'string' || !(d.as in DERIVATIONS)) throw new GrammarError(file, `${at}/as`, `one of ${Object.keys(DERIVATIONS).join(', ')}`);
      const from = d.from === undefined ? [] : Array.isArray(d.from) ? d.from.map(String) : [String(d.from)];
      for (const id of from) if (!fieldIds.includes(id)) throw new GrammarError(file, `${at}/from`, `"${id}" is not a field of this struct`);
      const spec = DERIVATIONS[d.as];
      add({ filter: filter(d.filter, `derived/${i}/filter`), label: d.label, ftype: spec.ftype, base: spec.base });
      const out: DerivedIR = { filter: d.filter as string, label: d.label, as: d.as, from, where: `${file}:${at}` };
      if (d.at !== undefined) {
        if (typeof d.at !== 'string' || !fieldIds.includes(d.at)) throw new GrammarError(file, `${at}/at`, 'a field of this struct, whose bits the generated field spans');
        out.at = d.at;
      }
      if (d.when !== undefined) {
        const w = d.when;
        if (!isObj(w) || typeof w.field !== 'string' || !Array.isArray(w.in) || !w.in.every((n) => Number.isInteger(n)))
          throw new GrammarError(file, `${at}/when`, '{field, in: [values]}: a field of the enclosing message and its values');
        out.when = { field: w.field, in: w.in as number[] };
      }
      if (d.bits !== undefined) {
        const ok = (b: unknown): b is { filter: string; label: string; mask: number } =>
          isObj(b) && typeof b.filter === 'string' && typeof b.label === 'string' && Number.isInteger(b.mask) && (b.mask as number) > 0 && (b.mask as number) <= 0xffffffff;
        if (!Array.isArray(d.bits) || !d.bits.every(ok)) throw new GrammarError(file, `${at}/bits`, 'a list of {filter, label, mask}, masks within 32 bits');
        out.bits = d.bits.map((b, k) => {
          const single = (b.mask & (b.mask - 1)) === 0;
          add({ filter: filter(b.filter, `derived/${i}/bits/${k}/filter`), label: b.label, ftype: single ? 'FT_BOOLEAN' : 'FT_UINT32', base: single ? '32' : 'BASE_HEX' });
          return { filter: b.filter, label: b.label, mask: b.mask };
        });
      }
      return out;
    });
  }
  if (def.info !== undefined) out.info = infoTemplate(def.info, fields, file, `${path}/info`, ir);
  if (def.info_suffix !== undefined) out.infoSuffix = infoTemplate(def.info_suffix, fields, file, `${path}/info_suffix`, ir);
  return out;
}

/**
 * `info: "{field}{flag?text}"`: `{field}` is the label of the field's value in its enum (or in the enum
 * named after a colon, `{field:enum}`), `{field#}` / `{field#x}` its number in decimal / hex,
 * `{flag?text}` / `{flag?text|else}` a text by whether the field is nonzero, `{=filter}` the text of a
 * field a security scheme generates (a verdict).
 */
function infoTemplate(raw: unknown, fields: readonly FieldIR[] | undefined, file: string, path: string, ir: GrammarIR): InfoTemplate {
  if (typeof raw !== 'string' || !fields) throw new GrammarError(file, path, 'a struct\'s Info text, e.g. "{cause}"');
  const out: InfoTemplate = [];
  let last = 0;
  for (const m of raw.matchAll(/\{(?:=([a-z0-9_.]+)|([a-z0-9_]+)(?::([a-z0-9_]+)|#(x?)|\?([^}|]*)(?:\|([^}]*))?)?)\}/g)) {
    if (m.index! > last) out.push({ text: raw.slice(last, m.index) });
    last = m.index! + m[0].length;
    if (m[1] !== undefined) {
      out.push({ generated: m[1] });
      continue;
    }
    const f = fields.find((x) => x.id === m[2]);
    if (f && m[4] !== undefined) out.push({ field: m[2], number: m[4] ? 'hex' : 'dec' });
    else if (f?.kind !== 'uint') throw new GrammarError(file, path, `"${m[2]}" is not an integer field of this struct`);
    else if (m[5] !== undefined) out.push({ field: m[2], ifSet: [m[5], m[6] ?? ''] });
    else {
      const en = m[3] === undefined ? f.enum : ir.enums.get(m[3]);
      if (!en) throw new GrammarError(file, path, m[3] === undefined ? `"${m[2]}" has no enum to take a label from` : `unknown enum "${m[3]}"`);
      out.push({ field: m[2], enum: en });
    }
  }
  if (last < raw.length) out.push({ text: raw.slice(last) });
  return out;
}
