/**
 * A Wireshark Lua dissector generated from the grammars (`mtcgk export lua`): the protected group
 * message (protocol `gmsg`, found by tshark through the exported-PDU dissector name) and the group key
 * IEs and messages of NAS-EPS (a post-dissector: Wireshark's own nas-eps dissector knows neither
 * GROUP KEY DISTRIBUTION nor IEIs 0x75-0x77).
 *
 * The generator walks the IR (src/grammar/ir.ts) from those roots and writes what it finds as Lua
 * data: one ProtoField per filter name (type from the bit width, value strings from the enums), one
 * descriptor table per struct type (field kinds, bit widths, length and presence relations,
 * protection), and the IE tables of the NAS messages that carry group key IEs. A fixed Lua runtime
 * (below) interprets the descriptors. No keys: MACs are not verified and ciphered parts are shown as
 * they are; keys readable on the wire are flagged, as mtcgk's keys_in_clear.
 */
import { defaultGrammar } from '../grammar/default.js';
import type { CodecLeaf } from '../codecs/descriptors.js';
import type { EnumIR, FieldIR, GrammarIR, IEIR, L3MessageType, StructType, TypeIR } from '../grammar/ir.js';

/** NAS-EPS types that the post-dissector decodes where they appear as IEs. */
export const GROUP_KEY_TYPES = ['group_key_information', 'ciphered_group_key_information', 'group_key_identity_list'] as const;

/** Wireshark's filter namespaces of this script; names from the grammar outside them are moved in (see luaFilter). */
const OWN_PREFIX: Record<string, string> = { gmsg: 'gmsg', 'nas-eps': 'nas_eps.gk' };

/** Codecs the Lua runtime below implements (CODEC[name]). */
const LUA_CODECS = ['bcd_digits', 'bcd_identity', 'imsi_group_id', 'plmn'];

/** A codec leaf's ProtoField, from the Wireshark type its descriptor declares. */
function leafPf(l: CodecLeaf): PfSpec {
  const uint = /^FT_UINT(\d+)$/.exec(l.ftype);
  if (uint) return { filter: l.filter, label: l.label, kind: 'uint', typeBits: Number(uint[1]), base: l.base === 'BASE_HEX' ? 'hex' : 'dec', valueString: 'nil' };
  if (l.ftype === 'FT_BOOLEAN') return { filter: l.filter, label: l.label, kind: 'uint', typeBits: 8, base: 'dec', valueString: 'nil' };
  return { filter: l.filter, label: l.label, kind: l.ftype === 'FT_STRING' ? 'string' : 'bytes' };
}

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for these texts

interface PfSpec {
  filter: string;
  label: string;
  kind: 'uint' | 'bytes' | 'string' | 'none';
  typeBits?: number;
  base?: 'dec' | 'hex';
  valueString?: string;
}

class Generator {
  readonly pfs = new Map<string, PfSpec>();
  readonly enums = new Map<string, EnumIR>();
  readonly structs = new Map<string, StructType>();
  private protocol = '';

  constructor(readonly ir: GrammarIR) {}

  /**
   * The filter name the script registers: the grammar's when it is in the script's own namespace
   * (gmsg.*, nas_eps.gk.*), otherwise moved into it (nas_eps.spare_bits -> nas_eps.gk.spare_bits), so
   * that no field clashes with one Wireshark's nas-eps dissector registers with another type.
   */
  luaFilter(filter: string): string {
    const own = OWN_PREFIX[this.protocol];
    if (filter === own || filter.startsWith(`${own}.`)) return filter;
    return `${own}.${filter.replace(/^[^.]+\./, '')}`;
  }

  private pf(spec: PfSpec): string {
    const filter = this.luaFilter(spec.filter);
    const known = this.pfs.get(filter);
    if (!known) this.pfs.set(filter, { ...spec, filter });
    else if (known.kind === 'uint' && spec.kind === 'uint') known.typeBits = Math.max(known.typeBits ?? 8, spec.typeBits ?? 8);
    return filter;
  }

  private enumName(e: EnumIR): string {
    this.enums.set(e.name, e);
    return `VS_${e.name}`;
  }

  /** The Lua descriptor of one field (and its ProtoFields). */
  field(f: FieldIR, owner: StructType): string {
    const presence =
      f.presence.kind === 'always'
        ? ''
        : f.presence.kind === 'flag'
          ? `, pres = "flag", pres_field = ${lua(f.presence.field)}`
          : f.presence.kind === 'in'
            ? `, pres = "in", pres_field = ${lua(f.presence.field)}, pres_values = {${f.presence.values.join(', ')}}`
            : `, pres = "tail", need = ${f.kind === 'uint' || f.kind === 'spare' ? f.bits : 1}`;
    const lengthFrom = f.lengthFrom ? `, len_from = ${lua(f.lengthFrom)}` : '';
    const common = `id = ${lua(f.id)}${presence}${lengthFrom}`;
    switch (f.kind) {
      case 'uint': {
        const vs = f.enum ? this.enumName(f.enum) : f.tfs ? `{[1] = ${lua(f.tfs[0])}, [0] = ${lua(f.tfs[1])}}` : 'nil';
        const pf = this.pf({ filter: f.filter, label: f.unit ? `${f.label} (${f.unit})` : f.label, kind: 'uint', typeBits: f.typeBits, base: f.base, valueString: vs });
        const rel = f.relation && f.relation.kind === 'length_of' ? `, len_of = ${lua(this.single(f.relation.targets, f, owner))}, unit = ${f.relation.unitBits}, adjust = ${f.relation.adjust}` : '';
        if (f.relation && f.relation.kind === 'count_of') throw new Error(`${f.where}: count_of is not supported by the Lua export`);
        return `{ kind = "uint", ${common}, bits = ${f.bits}, pf = ${lua(pf)}${rel} }`;
      }
      case 'spare': {
        if (f.bits === 'octet') throw new Error(`${f.where}: spare bits to an octet boundary are not supported by the Lua export`);
        const pf = this.pf({ filter: f.filter, label: f.label, kind: 'uint', typeBits: f.bits > 16 ? 32 : f.bits > 8 ? 16 : 8, base: 'hex', valueString: 'nil' });
        return `{ kind = "uint", ${common}, bits = ${f.bits}, pf = ${lua(pf)}, spare = ${f.value} }`;
      }
      case 'bytes': {
        const pf = this.pf({ filter: f.filter, label: f.label, kind: f.text ? 'string' : 'bytes' });
        const size = f.size === 'rest' ? '"rest"' : f.size === 'related' ? '"related"' : String(f.size);
        return `{ kind = "bytes", ${common}, size = ${size}, pf = ${lua(pf)}${this.cipheredPf(f, owner)} }`;
      }
      case 'codec': {
        if (!LUA_CODECS.includes(f.codec)) throw new Error(`${f.where}: codec ${f.codec} has no implementation in the Lua runtime (it has ${LUA_CODECS.join(', ')})`);
        const pf = this.pf({ filter: f.filter, label: f.label, kind: 'string' });
        // The leaves and their types are the codec's descriptor's (src/codecs/descriptors.ts).
        const leaves = Object.values(f.leaves).map((l) => `${l.key} = ${lua(this.pf(leafPf(l)))}`);
        return `{ kind = "codec", codec = ${lua(f.codec)}, ${common}, size = ${lua(String(f.size))}, pf = ${lua(pf)}, leaves = { ${leaves.join(', ')} } }`;
      }
      case 'ref': {
        const t = this.type(f.type());
        const pf = this.pf({ filter: f.filter, label: f.label, kind: 'none' });
        return `{ kind = "ref", ${common}, type = ${lua(t)}, rest = ${f.rest}, pf = ${lua(pf)}${this.cipheredPf(f, owner)} }`;
      }
      case 'list': {
        if (f.bound === 'count') throw new Error(`${f.where}: counted lists are not supported by the Lua export`);
        if (f.item.kind !== 'ref') throw new Error(`${f.where}: lists of ${f.item.kind} are not supported by the Lua export`);
        const t = this.type(f.item.type());
        const pf = this.pf({ filter: f.filter, label: f.label, kind: 'none' });
        const item = this.pf({ filter: f.item.filter, label: f.item.label, kind: 'none' });
        return `{ kind = "list", ${common}, type = ${lua(t)}, pf = ${lua(pf)}, item_pf = ${lua(item)} }`;
      }
      case 'switch':
        throw new Error(`${f.where}: switch fields are not supported by the Lua export`);
    }
  }

  private single(targets: string[], f: FieldIR, owner: StructType): string {
    if (targets.length !== 1) throw new Error(`${f.where}: a length over several fields (${owner.name}) is not supported by the Lua export`);
    return targets[0];
  }

  /** The filter that a protected payload gets while it stays ciphered (no keys in the script). */
  private cipheredPf(f: FieldIR, owner: StructType): string {
    const p = owner.protection;
    if (!p || p.payload !== f.id) return '';
    const pf = this.pf({ filter: p.cipheredFilter, label: p.cipheredLabel, kind: 'bytes' });
    const when =
      p.cipheredIf === 'always' || p.cipheredIf === undefined
        ? 'ciphered = "always"'
        : `ciphered = "in", ciphered_field = ${lua(p.cipheredIf.field)}, ciphered_values = {${p.cipheredIf.values.join(', ')}}`;
    return `, ciphered_pf = ${lua(pf)}, ${when}`;
  }

  /** Registers a struct type (and everything it refers to); returns its name. */
  type(t: TypeIR): string {
    if (t.kind !== 'struct') throw new Error(`${t.where}: ${t.kind} types are not supported by the Lua export`);
    if (!this.structs.has(t.name)) {
      this.structs.set(t.name, t);
      for (const f of t.fields) this.field(f, t); // registers nested types and fields now, in order
    }
    return t.name;
  }

  /** Lua for one struct descriptor. */
  struct(t: StructType): string {
    return `T[${lua(t.name)}] = { label = ${lua(t.label)}, fields = {\n${t.fields.map((f) => `  ${this.field(f, t)},`).join('\n')}\n} }`;
  }

  /** A NAS message's IE table (in the order of the message table). */
  message(m: L3MessageType, type: number): string {
    const ie = (x: IEIR) => {
      const exported = x.typeName && (GROUP_KEY_TYPES as readonly string[]).includes(x.typeName);
      const pf = exported ? this.pf({ filter: x.filter, label: x.name, kind: 'none' }) : undefined;
      return `  { id = ${lua(x.id)}, name = ${lua(x.name)}, format = ${lua(x.format)}, iei = ${x.iei ?? 'nil'}, half = ${x.half}, len = ${x.minLen}${exported ? `, type = ${lua(x.typeName!)}, pf = ${lua(pf!)}` : ''} },`;
    };
    return `M[${type}] = { name = ${lua(m.label)}, ies = {\n${m.ies.map(ie).join('\n')}\n} }`;
  }

  withProtocol<T>(protocol: string, f: () => T): T {
    this.protocol = protocol;
    return f();
  }
}

const pfLua = (p: PfSpec): string => {
  const base = p.base === 'hex' ? 'base.HEX' : 'base.DEC';
  switch (p.kind) {
    case 'uint':
      return `PF[${lua(p.filter)}] = ProtoField.uint${p.typeBits! > 32 ? 64 : p.typeBits! > 24 ? 32 : p.typeBits! > 16 ? 24 : p.typeBits! > 8 ? 16 : 8}(${lua(p.filter)}, ${lua(p.label)}, ${base}, ${p.valueString ?? 'nil'})`;
    case 'bytes':
      return `PF[${lua(p.filter)}] = ProtoField.bytes(${lua(p.filter)}, ${lua(p.label)})`;
    case 'string':
      return `PF[${lua(p.filter)}] = ProtoField.string(${lua(p.filter)}, ${lua(p.label)})`;
    case 'none':
      return `PF[${lua(p.filter)}] = ProtoField.none(${lua(p.filter)}, ${lua(p.label)})`;
  }
};

const enumLua = (e: EnumIR): string => `local VS_${e.name} = {\n${[...e.values].map(([k, v]) => `  [${k}] = ${lua(v)},`).join('\n')}\n}`;

/** The NAS messages whose IE lists hold a group key type, with their message type octet. */
function groupKeyMessages(ir: GrammarIR): Array<{ m: L3MessageType; type: number }> {
  const out: Array<{ m: L3MessageType; type: number }> = [];
  for (const [name, t] of ir.messages) {
    if (t.kind !== 'l3' || ir.messageProtocols.get(name) !== 'nas-eps') continue;
    const type = t.set.get('message_type');
    const pd = t.header.find((f) => f.id === 'protocol_discriminator');
    if (type === undefined || !pd || pd.kind !== 'uint' || pd.constValue !== 0x7) continue;
    if (t.ies.some((ie) => ie.typeName && (GROUP_KEY_TYPES as readonly string[]).includes(ie.typeName))) out.push({ m: t, type });
  }
  return out.sort((a, b) => a.type - b.type);
}

export function luaDissector(ir: GrammarIR = defaultGrammar()): string {
  const g = new Generator(ir);
  const gmsg = ir.protocols.get('gmsg');
  if (!gmsg) throw new Error('the grammar has no gmsg protocol');
  const gmsgRoot = g.withProtocol('gmsg', () => g.type(ir.messages.get(gmsg.root) ?? ir.types.get(gmsg.root)!));
  const gmsgStructs = [...g.structs.values()];
  const nasStart = g.structs.size;
  const messages = g.withProtocol('nas-eps', () => {
    for (const t of GROUP_KEY_TYPES) g.type(ir.types.get(t)!);
    return groupKeyMessages(ir).map(({ m, type }) => g.message(m, type));
  });
  const nasStructs = [...g.structs.values()].slice(nasStart);
  const structs = [...g.withProtocol('gmsg', () => gmsgStructs.map((t) => g.struct(t))), ...g.withProtocol('nas-eps', () => nasStructs.map((t) => g.struct(t)))];
  return [
    HEADER,
    '-- Value strings (grammar enums)',
    ...[...g.enums.values()].map(enumLua),
    '',
    '-- Fields (grammar filter names)',
    'local PF = {}',
    ...[...g.pfs.values()].map(pfLua),
    '',
    '-- Struct descriptors (grammar types)',
    'local T = {}',
    ...structs,
    '',
    '-- NAS-EPS messages that carry group key IEs: their IE tables (grammar message tables)',
    'local M = {}',
    ...messages,
    '',
    `local GMSG_ROOT = ${lua(gmsgRoot)}`,
    `local GMSG_LABEL = ${lua(gmsg.label)}`,
    RUNTIME,
  ].join('\n');
}

const HEADER = `-- mtcgk group messaging for Wireshark: generated by \`mtcgk export lua\` from mtcgk's grammars
-- (grammars/group-message.yaml, grammars/nas-eps/group-keys.yaml). Do not edit: regenerate.
--
--   tshark -X lua_script:mtcgk.lua -r flow.pcapng -T fields -e gmsg.gki -e gmsg.seq
--   wireshark -X lua_script:mtcgk.lua flow.pcapng    (or copy it into the personal plugins folder)
--
-- * gmsg: the protected group message. Packets of link type 252 (exported PDU) that name the
--   dissector "gmsg" come here; so can any other dissector (Dissector.get("gmsg")).
-- * nas_eps_gk: a post-dissector for NAS-EPS in exported PDUs that shows the group key IEs (0x75-0x77)
--   and GROUP KEY DISTRIBUTION (COMPLETE) where the NAS message is readable (plain, or integrity
--   protected only: security header types 0, 1 and 3). Keys found there are flagged: they travel in
--   clear. Ciphered messages need keys: use mtcgk (--keys) for those, and to verify MACs.
`;

const RUNTIME = `
-- Runtime: interprets the descriptors above.
local gmsg_proto = Proto("gmsg", GMSG_LABEL)
local gk_proto = Proto("nas_eps_gk", "NAS-EPS group keys (mtcgk)")
local gmsg_fields, gk_fields = {}, {}
for abbr, f in pairs(PF) do
  if abbr:sub(1, 5) == "gmsg." then table.insert(gmsg_fields, f) else table.insert(gk_fields, f) end
end
gmsg_proto.fields = gmsg_fields
gk_proto.fields = gk_fields

local ef_malformed = ProtoExpert.new("gmsg.malformed", "Malformed (mtcgk Lua)", expert.group.MALFORMED, expert.severity.ERROR)
local ef_keys_clear = ProtoExpert.new("nas_eps.gk.keys_in_clear", "Group keys readable on the wire", expert.group.SECURITY, expert.severity.ERROR)
local ef_keys_ciphered = ProtoExpert.new("nas_eps.gk.keys_ciphered", "Group keys in the ciphered IE form (K_NASenc, BEARER 1): deciphering needs the keys", expert.group.SECURITY, expert.severity.CHAT)
local ef_gk_malformed = ProtoExpert.new("nas_eps.gk.malformed", "Malformed group key IE (mtcgk Lua)", expert.group.MALFORMED, expert.severity.ERROR)
local ef_mac = ProtoExpert.new("gmsg.mac.unverified", "MAC not verified (no keys in Wireshark: mtcgk --keys verifies it)", expert.group.SECURITY, expert.severity.CHAT)
local ef_eia0 = ProtoExpert.new("gmsg.null_integrity", "EIA0: the group message has no integrity protection", expert.group.SECURITY, expert.severity.WARN)
gmsg_proto.experts = { ef_malformed, ef_mac, ef_eia0 }
gk_proto.experts = { ef_keys_clear, ef_keys_ciphered, ef_gk_malformed }

local function bits_at(tvb, bitpos, bits)
  local byte = math.floor(bitpos / 8)
  local off = bitpos % 8
  local n = math.ceil((off + bits) / 8)
  local r = tvb:range(byte, n)
  return r:bitfield(off, bits), r
end

local function contains(list, v)
  for _, x in ipairs(list) do if x == v then return true end end
  return false
end

local function bcd(d) if d == 15 then return "" end return string.format("%x", d) end

-- BCD digits, low nibble first, from octet i of r to its end (src/codecs/digits.ts).
local function bcd_string(r, i)
  local s = ""
  for k = i, r:len() - 1 do
    local o = r:range(k, 1):uint()
    s = s .. bcd(o % 16) .. bcd(math.floor(o / 16))
  end
  return s
end

local dissect_struct

-- Codecs (src/codecs/): CODEC[name](f, r, tree) reads the field's range r, adds its node and the
-- leaves its descriptor declares (f.leaves: key -> field) and returns the value's text. OWN_BITS: the
-- size of a codec that sizes itself; the others take the rest of their window.
local CODEC, OWN_BITS = {}, { plmn = 24 }

-- PLMN identity (TS 24.008 §10.5.1.13) in 3 octets: MCC and MNC, leaves shown as numbers like e212.mcc.
local function plmn_digits(r)
  local o1, o2, o3 = r:range(0, 1):uint(), r:range(1, 1):uint(), r:range(2, 1):uint()
  return bcd(o1 % 16) .. bcd(math.floor(o1 / 16)) .. bcd(o2 % 16), bcd(o3 % 16) .. bcd(math.floor(o3 / 16)) .. bcd(math.floor(o2 / 16))
end

local function plmn_leaves(f, r, t, mcc, mnc)
  t:add(PF[f.leaves.mcc], r:range(0, 2), tonumber(mcc) or 0)
  t:add(PF[f.leaves.mnc], r:range(1, 2), tonumber(mnc) or 0)
end

function CODEC.plmn(f, r, tree)
  local mcc, mnc = plmn_digits(r)
  local text = mcc .. "-" .. mnc
  plmn_leaves(f, r, tree:add(PF[f.pf], r, text), mcc, mnc)
  return text
end

function CODEC.bcd_digits(f, r, tree)
  local text = bcd_string(r, 0)
  tree:add(PF[f.pf], r, text)
  return text
end

-- Identity digit 1, odd/even indication and type of identity in octet 1, then digit pairs.
function CODEC.bcd_identity(f, r, tree)
  local o = r:range(0, 1):uint()
  local rest = r:len() > 1 and bcd_string(r, 1) or ""
  local text = bcd(math.floor(o / 16)) .. rest
  local t = tree:add(PF[f.pf], r, text)
  t:add(PF[f.leaves.digit1], r:range(0, 1), math.floor(o / 16))
  t:add(PF[f.leaves.odd_even], r:range(0, 1), math.floor(o / 8) % 2)
  t:add(PF[f.leaves.type], r:range(0, 1), o % 8)
  if r:len() > 1 then t:add(PF[f.leaves.digits], r:range(1, r:len() - 1), rest) end
  return text
end

-- IMSI-Group Id (TS 23.003 §19.9): GSI, PLMN, Local Group Id.
function CODEC.imsi_group_id(f, r, tree)
  local n = r:len()
  local gsi = r:range(0, 4):uint()
  local mcc, mnc = plmn_digits(r:range(4, 3))
  local lgi = r:range(7, n - 7)
  local text = string.format("%08x-%s-%s-%s", gsi, mcc, mnc, lgi:bytes():tohex():lower())
  local t = tree:add(PF[f.pf], r, text)
  t:add(PF[f.leaves.gsi], r:range(0, 4), gsi)
  plmn_leaves(f, r:range(4, 3), t, mcc, mnc)
  t:add(PF[f.leaves.lgi], lgi)
  return text
end

-- A struct in the bit window [bitpos, limit); returns the bit position after it and its values.
function dissect_struct(tname, tvb, bitpos, limit, tree)
  local t = T[tname]
  local vals, lens = {}, {}
  local cut = false -- tail fields: the first that does not fit ends them
  for _, f in ipairs(t.fields) do
    local present = true
    if f.pres == "flag" then present = (vals[f.pres_field] or 0) ~= 0
    elseif f.pres == "in" then present = contains(f.pres_values, vals[f.pres_field])
    elseif f.pres == "tail" then
      present = not cut and bitpos + f.need <= limit
      cut = not present
    end
    if present then
      local ciphered = f.ciphered_pf and (f.ciphered == "always" or contains(f.ciphered_values, vals[f.ciphered_field]))
      local size
      if f.len_from then size = lens[f.id]
      elseif f.kind == "bytes" and f.size ~= "rest" and f.size ~= "related" then size = f.size
      elseif f.kind == "codec" and f.size ~= "rest" and f.size ~= "own" then size = tonumber(f.size)
      elseif f.kind == "codec" and f.size == "own" and OWN_BITS[f.codec] then size = OWN_BITS[f.codec]
      elseif f.kind == "ref" or f.kind == "list" or f.kind == "bytes" or f.kind == "codec" then size = limit - bitpos end
      if f.kind == "uint" then
        if bitpos + f.bits > limit then error("truncated at " .. f.id) end
        local v, r = bits_at(tvb, bitpos, f.bits)
        vals[f.id] = v
        tree:add(PF[f.pf], r, v)
        if f.len_of then lens[f.len_of] = (v - f.adjust) * f.unit end
        bitpos = bitpos + f.bits
      else
        if size == nil or size < 0 or bitpos + size > limit then error("bad length at " .. f.id) end
        local r = tvb:range(bitpos / 8, size / 8)
        if ciphered then
          tree:add(PF[f.ciphered_pf], r)
        elseif f.kind == "bytes" then
          tree:add(PF[f.pf], r)
        elseif f.kind == "codec" then
          vals[f.id] = CODEC[f.codec](f, r, tree)
        elseif f.kind == "ref" then
          local sub = tree:add(PF[f.pf], r)
          local _, v = dissect_struct(f.type, tvb, bitpos, bitpos + size, sub)
          vals[f.id] = v
        elseif f.kind == "list" then
          local list = tree:add(PF[f.pf], r)
          local pos, stop, n = bitpos, bitpos + size, 0
          vals[f.id] = {}
          while pos < stop do
            n = n + 1
            local item = list:add(PF[f.item_pf], tvb:range(pos / 8, (stop - pos) / 8))
            item:set_text(T[f.type].label .. " " .. n)
            local after, v = dissect_struct(f.type, tvb, pos, stop, item)
            item:set_len((after - pos) / 8)
            table.insert(vals[f.id], v)
            pos = after
          end
        end
        bitpos = bitpos + size
      end
    end
  end
  return bitpos, vals
end

function gmsg_proto.dissector(tvb, pinfo, tree)
  pinfo.cols.protocol = "GMSG"
  local root = tree:add(gmsg_proto, tvb())
  local ok, err, vals = pcall(dissect_struct, GMSG_ROOT, tvb, 0, tvb:len() * 8, root)
  if not ok then
    root:add_proto_expert_info(ef_malformed, tostring(err))
    pinfo.cols.info = GMSG_LABEL .. "[Malformed Packet]"
    return
  end
  vals = vals or {}
  -- As mtcgk's Info column without keys (grammars/group-message.yaml info): the MAC is not verified here.
  pinfo.cols.info = string.format("%s %s Gki %s seq %s [unverified]", GMSG_LABEL, tostring(vals.gid), tostring(vals.gki), tostring(vals.sequence_number))
  if vals.integrity == 0 then root:add_proto_expert_info(ef_eia0) else root:add_proto_expert_info(ef_mac) end
  return tvb:len()
end

-- NAS-EPS in an exported PDU: the PDU's offset, or nil.
local f_encap = Field.new("frame.encap_type")
local WTAP_ENCAP_WIRESHARK_UPPER_PDU = 155
local function nas_pdu_offset(tvb)
  local e = f_encap()
  if not e or e.value ~= WTAP_ENCAP_WIRESHARK_UPPER_PDU then return nil end
  local pos, name = 0, nil
  while pos + 4 <= tvb:len() do
    local tag, len = tvb:range(pos, 2):uint(), tvb:range(pos + 2, 2):uint()
    pos = pos + 4
    if tag == 0 then
      if name == "nas-eps" or name == "nas-eps_plain" then return pos end
      return nil
    end
    if tag == 12 and len > 0 then name = tvb:range(pos, len):stringz() end
    pos = pos + len
  end
  return nil
end

-- Walks a plain EMM message's IEs (TS 24.007 §11.2: V, LV, LV-E in order, then IEI-tagged ones).
local function walk_ies(msg, tvb, pos, stop, tree, in_clear)
  local half = false
  local found = 0
  local function decode(ie, cstart, clen)
    if not ie.type then return end
    found = found + 1
    local sub = tree:add(PF[ie.pf], tvb:range(cstart, clen))
    sub:set_text(ie.name)
    local ok, err = pcall(dissect_struct, ie.type, tvb, cstart * 8, (cstart + clen) * 8, sub)
    if not ok then sub:add_proto_expert_info(ef_gk_malformed, tostring(err)) end
    if ie.type == "group_key_information" and in_clear then sub:add_proto_expert_info(ef_keys_clear) end
    if ie.type == "ciphered_group_key_information" then sub:add_proto_expert_info(ef_keys_ciphered) end
  end
  local optional = {}
  for _, ie in ipairs(msg.ies) do
    if ie.format == "V" then
      if ie.half then
        if half then pos = pos + 1 end
        half = not half
      else
        if half then pos = pos + 1; half = false end
        pos = pos + ie.len
      end
    elseif ie.format == "LV" or ie.format == "LV-E" then
      if half then pos = pos + 1; half = false end
      local l = ie.format == "LV" and 1 or 2
      local len = tvb:range(pos, l):uint()
      decode(ie, pos + l, len)
      pos = pos + l + len
    else
      table.insert(optional, ie)
    end
  end
  if half then pos = pos + 1 end
  while pos < stop do
    local iei = tvb:range(pos, 1):uint()
    local ie
    for _, x in ipairs(optional) do
      if (x.half and x.iei == math.floor(iei / 16)) or (not x.half and x.iei == iei) then ie = x; break end
    end
    local format = ie and ie.format or (iei >= 128 and "TV1" or (math.floor(iei / 16) == 7 and "TLV-E" or "TLV"))
    if format == "TV1" or format == "T" or (ie and ie.half) then
      pos = pos + 1
    elseif format == "TV" then
      pos = pos + ie.len
    elseif format == "TLV" then
      local len = tvb:range(pos + 1, 1):uint()
      if ie then decode(ie, pos + 2, len) end
      pos = pos + 2 + len
    else
      local len = tvb:range(pos + 1, 2):uint()
      if ie then decode(ie, pos + 3, len) end
      pos = pos + 3 + len
    end
  end
  return found
end

function gk_proto.dissector(tvb, pinfo, tree)
  local start = nas_pdu_offset(tvb)
  if not start or tvb:len() < start + 2 then return end
  local first = tvb:range(start, 1):uint()
  local sht, pd = math.floor(first / 16), first % 16
  if pd ~= 7 then return end
  local at
  if sht == 0 then at = start elseif (sht == 1 or sht == 3) and tvb:len() >= start + 8 then at = start + 6 else return end
  if tvb:range(at, 1):uint() % 16 ~= 7 then return end
  local msg = M[tvb:range(at + 1, 1):uint()]
  if not msg then return end
  local sub = tree:add(gk_proto, tvb:range(at))
  sub:append_text(": " .. msg.name)
  local ok, found = pcall(walk_ies, msg, tvb, at + 2, tvb:len(), sub, true)
  if not ok then sub:add_proto_expert_info(ef_gk_malformed, tostring(found)) return end
  if found == 0 then sub:set_hidden() end
end
register_postdissector(gk_proto)
`;
