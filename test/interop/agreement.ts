/**
 * Field-by-field agreement of mtcgk's dissection with tshark's: the measure behind "agrees with tshark on
 * real captures" (docs/tshark-agreement.md). Per message and per filter name, the values tshark shows are
 * compared as a multiset with the `show` values of the mtcgk tree nodes of the same name. What is left on
 * either side is a disagreement unless an allowance (a known difference with its reason) explains it.
 */
import type { TreeNode } from '../../src/index.js';
import type { TsharkField } from './tshark-json.js';

/** A field occurrence on the mtcgk side. */
export interface OurField {
  name: string;
  value: string;
  /** Octet offset in the PDU (bit offset / 8, rounded down). */
  offset: number;
  node: TreeNode;
  /** Filters of the enclosing nodes, outermost first. */
  ancestors: string[];
}

/** What a message offers the allowances to decide on. */
export interface MessageContext {
  index: number;
  name: string;
  hex: string;
  tshark: TsharkField[];
  ours: OurField[];
  /** Octet ranges [start, end) of the ESM messages in the PDU (top level, in a container or in a security protected message). */
  esm: Array<[number, number]>;
  /** mtcgk's tree of the message. */
  tree: TreeNode;
}

export type AllowanceKind =
  /** (a) tshark shows it and mtcgk does not model it (another protocol, a derived or aggregate value). */
  | 'not modelled'
  /** (b) tshark is wrong or incomplete by the spec (the clause is given). */
  | 'tshark differs from the spec'
  /** (c) mtcgk's engine or codecs (src/, not the grammar) cannot express tshark's rendering or name. */
  | 'engine';

export interface Allowance {
  id: string;
  kind: AllowanceKind;
  /** The filter names concerned (for the table of known differences). */
  fields: string[];
  reason: string;
  /** TS 24.301 / TS 24.008 clause, where the spec decides. */
  spec?: string;
  /** tshark occurrences the allowance explains. */
  tshark?: (f: TsharkField, m: MessageContext) => boolean;
  /**
   * With `tshark`: the explanation holds only if this finds the counterpart in mtcgk's leftover fields
   * (same value under another name or rendering); it returns the counterpart, which is then used up.
   */
  counterpart?: (f: TsharkField, leftover: OurField[], m: MessageContext) => OurField | undefined;
  /** With `tshark`: the explanation holds only if this holds (the value is there under another name). */
  verify?: (f: TsharkField, m: MessageContext) => boolean;
  /** mtcgk occurrences the allowance explains (fields tshark leaves out). */
  ours?: (o: OurField, m: MessageContext) => boolean;
}

export interface Disagreement {
  index: number;
  message: string;
  side: 'tshark only' | 'mtcgk only';
  name: string;
  value: string;
  offset?: number;
}

export interface MessageResult {
  index: number;
  name: string;
  /** Occurrences of valued fields tshark shows. */
  compared: number;
  /** Of those, matched by name and value. */
  agreed: number;
  /** Of those, matched by name, value and octet offset. */
  samePlace: number;
  /** tshark occurrences explained by an allowance. */
  allowedTshark: number;
  /** mtcgk occurrences (of Wireshark filter names) explained by an allowance. */
  allowedOurs: number;
  /** Uses of each allowance. */
  uses: Map<string, number>;
  disagreements: Disagreement[];
}

/** The nodes of a tree that carry a field value, with their ancestry. */
export function ourFields(root: TreeNode): OurField[] {
  const out: OurField[] = [];
  const visit = (n: TreeNode, ancestors: string[]) => {
    if (n.show !== undefined && n.show !== '') out.push({ name: n.filter, value: n.show, offset: n.bitOffset >> 3, node: n, ancestors });
    const next = [...ancestors, n.filter];
    for (const c of n.children) visit(c, next);
  };
  visit(root, []);
  return out;
}

/** Octet ranges of the ESM messages in a tree: from each EPS bearer identity leaf to the end of its parent. */
export function esmRanges(root: TreeNode): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const visit = (n: TreeNode) => {
    const ebi = n.children.find((c) => c.filter === 'nas_eps.bearer_id');
    if (ebi && n.children.some((c) => c.filter === 'nas_eps.nas_msg_esm_type')) out.push([ebi.bitOffset >> 3, (n.bitOffset + n.bitLength + 7) >> 3]);
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}

export const inRanges = (offset: number | undefined, ranges: Array<[number, number]>) => offset !== undefined && ranges.some(([a, b]) => a <= offset && offset < b);

/** Takes the first item of `from` that `pick` accepts out of it. */
function take<T>(from: T[], pick: (x: T) => boolean): T | undefined {
  const k = from.findIndex(pick);
  return k < 0 ? undefined : from.splice(k, 1)[0];
}

/**
 * Compares one message. `wiresharkNames` are the filter names Wireshark has: mtcgk fields under such a
 * name count as mtcgk-only when tshark does not show them; fields under mtcgk's own names are not compared.
 */
export function compareMessage(m: MessageContext, allowances: readonly Allowance[], wiresharkNames: ReadonlySet<string>): MessageResult {
  const uses = new Map<string, number>();
  const use = (a: Allowance) => uses.set(a.id, (uses.get(a.id) ?? 0) + 1);
  const shown = new Set(m.tshark.map((f) => f.name));
  // Every mtcgk field takes part in the matching (an allowance may find tshark's value under another
  // name); only those under a Wireshark name count when left over.
  const compared = (o: OurField) => shown.has(o.name) || wiresharkNames.has(o.name);
  const ours = m.ours;
  const r: MessageResult = { index: m.index, name: m.name, compared: m.tshark.length, agreed: 0, samePlace: 0, allowedTshark: 0, allowedOurs: 0, uses, disagreements: [] };

  // 1. Exact agreement, name and value; the same octet offset first, so that the pairing is the natural one.
  let leftTshark: TsharkField[] = [];
  const leftOurs = [...ours];
  for (const f of m.tshark) {
    const at = take(leftOurs, (o) => o.name === f.name && o.value === f.value && o.offset === f.offset);
    if (at) {
      r.agreed++;
      r.samePlace++;
    } else leftTshark.push(f);
  }
  // Then at another offset: the nearest one, so that what is left over is what truly has no partner.
  leftTshark = leftTshark.filter((f) => {
    const distance = (o: OurField) => Math.abs(o.offset - (f.offset ?? o.offset));
    const same = leftOurs.filter((o) => o.name === f.name && o.value === f.value);
    if (!same.length) return true;
    const nearest = same.reduce((a, b) => (distance(b) < distance(a) ? b : a));
    leftOurs.splice(leftOurs.indexOf(nearest), 1);
    r.agreed++;
    return false;
  });

  // 2. Allowances for what tshark shows and mtcgk does not (or shows otherwise).
  for (const f of leftTshark) {
    const a = allowances.find((x) => x.tshark?.(f, m));
    let ok = false;
    if (a) {
      if (a.counterpart) {
        const o = a.counterpart(f, leftOurs, m);
        if (o) leftOurs.splice(leftOurs.indexOf(o), 1);
        ok = o !== undefined;
      } else ok = a.verify ? a.verify(f, m) : true;
    }
    if (ok) {
      use(a!);
      r.allowedTshark++;
    } else r.disagreements.push({ index: m.index, message: m.name, side: 'tshark only', name: f.name, value: f.value, offset: f.offset });
  }

  // 3. Allowances for what mtcgk shows under a Wireshark name and tshark does not.
  for (const o of leftOurs.filter(compared)) {
    const a = allowances.find((x) => x.ours?.(o, m));
    if (a) {
      use(a);
      r.allowedOurs++;
    } else r.disagreements.push({ index: m.index, message: m.name, side: 'mtcgk only', name: o.name, value: o.value, offset: o.offset });
  }
  return r;
}
