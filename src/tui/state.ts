/** The TUI's state and its reducer. Actions carry what the panes computed (row counts, heights), so this stays pure. */
import type { Frame } from '../io/index.js';

export type Pane = 'list' | 'tree' | 'hex';
/** The three panes, or the full-screen ladder diagram of the flow (L). */
export type View = 'packets' | 'ladder';
/** termshark's two layouts (|): the panes one above the other, or the details and bytes side by side under the list. */
export type Layout = 'stacked' | 'side';
const PANES: readonly Pane[] = ['list', 'tree', 'hex'];

/** A cursor and the first visible row of a scrolling pane. */
export interface Scroll {
  cursor: number;
  top: number;
}

export interface State {
  frames: readonly Frame[];
  /** Indices of the frames the applied filter lets through; undefined shows every frame. */
  shown?: readonly number[];
  view: View;
  focus: Pane;
  list: Scroll;
  tree: Scroll;
  /** Byte offset of the hex pane's cursor (the hex pane scrolls to it). */
  hexCursor: number;
  /** The ladder view's cursor row and scroll, and how many columns it is scrolled to the right; kept while the panes are shown. */
  ladder: Scroll & { left: number };
  /** Keys of the open tree nodes (see treeRows); undefined until the user opens or closes one. */
  expanded?: ReadonlySet<string>;
  filter: { draft: string; applied: string; editing: boolean /** 0..1 while a filter runs. */; progress?: number };
  paste?: { draft: string; error?: string };
  /** The find prompt (ctrl-F) and the text n and N look for. */
  find: { draft: string; applied: string; editing: boolean };
  layout: Layout;
  /** Only the focused pane is shown (the backslash key). */
  maximised: boolean;
  /** Frame indices of the marked packets (m). */
  marks: ReadonlySet<number>;
  /** Copy mode (c): how many levels above the selected field the copied one is (← widens, → narrows). */
  copy?: { up: number };
  /** The text last copied. */
  copied?: string;
  help: boolean;
  notice?: string;
  /** Bumped when keys are reloaded, which changes what dissection yields. */
  generation: number;
}

export type Action =
  | { type: 'focus'; step: 1 | -1 }
  | { type: 'selectPacket'; cursor: number; height: number }
  | { type: 'selectRow'; cursor: number; height: number; byte: number }
  | { type: 'selectByte'; byte: number; expanded: ReadonlySet<string>; row: number; height: number }
  | { type: 'expand'; expanded: ReadonlySet<string>; cursor?: number }
  | { type: 'filterOpen' }
  | { type: 'filterDraft'; text: string }
  | { type: 'filterCancel' }
  | { type: 'filterApply' }
  | { type: 'filterProgress'; progress: number }
  | { type: 'filtered'; shown?: readonly number[]; height: number }
  | { type: 'pasteOpen' }
  | { type: 'pasteDraft'; text: string }
  | { type: 'pasteCancel' }
  | { type: 'pasteError'; error: string }
  | { type: 'append'; frames: readonly Frame[]; shown: readonly boolean[] }
  | { type: 'findOpen' }
  | { type: 'findDraft'; text: string }
  | { type: 'findCancel' }
  | { type: 'findApply' }
  | { type: 'found'; cursor: number; height: number; notice: string; field?: { expanded: ReadonlySet<string>; row: number; height: number; byte: number } }
  | { type: 'layout' }
  | { type: 'maximise' }
  | { type: 'mark' }
  | { type: 'copyStart' }
  | { type: 'copyLevel'; up: number }
  | { type: 'copyEnd' }
  | { type: 'copied'; text: string }
  | { type: 'help' }
  | { type: 'ladder'; cursor?: number; height?: number }
  | { type: 'ladderMove'; cursor: number; height: number }
  | { type: 'ladderPan'; left: number }
  | { type: 'ladderPick'; cursor: number; height: number }
  | { type: 'notice'; text?: string }
  | { type: 'reloaded' };

/** The state on opening: every frame, or, with a filter (-Y), none until the filter has run over them. */
export function initialState(frames: readonly Frame[], filter = ''): State {
  return {
    frames,
    view: 'packets',
    focus: 'list',
    list: { cursor: 0, top: 0 },
    tree: { cursor: 0, top: 0 },
    hexCursor: 0,
    ladder: { cursor: 0, top: 0, left: 0 },
    filter: { draft: filter, applied: filter, editing: false, ...(filter && { progress: 0 }) },
    ...(filter && { shown: [] }),
    find: { draft: '', applied: '', editing: false },
    layout: 'stacked',
    maximised: false,
    marks: new Set(),
    help: false,
    generation: 0,
  };
}

/**
 * The scroll position that keeps the cursor in view, moving as little as possible; given the number
 * of rows, it also keeps the pane full (no blank rows below the last one while rows above are hidden).
 */
export const scrolled = (s: Scroll, cursor: number, height: number, count = Infinity): Scroll => ({
  cursor,
  top: Math.max(Math.min(s.top, cursor, count - height), cursor - height + 1, 0),
});

const newPacket = (s: State, list: Scroll): State => ({ ...s, list, tree: { cursor: 0, top: 0 }, hexCursor: 0 });

/** The frame index of the selected packet. */
export const selectedFrame = (s: State): number | undefined => (s.shown ? s.shown[s.list.cursor] : s.list.cursor < s.frames.length ? s.list.cursor : undefined);

/** List rows in the order n (step 1) or N (step -1) visits them: from the one after the cursor round to the cursor. */
export function searchOrder(cursor: number, count: number, step: 1 | -1): number[] {
  return Array.from({ length: count }, (_, k) => (((cursor + step * (k + 1)) % count) + count) % count);
}

/** The list row of the next (step 1) or previous marked packet the filter shows, wrapping; undefined when there is none. */
export function nextMark(s: State, step: 1 | -1): number | undefined {
  const count = s.shown ? s.shown.length : s.frames.length;
  return searchOrder(s.list.cursor, count, step).find((row) => s.marks.has(s.shown ? s.shown[row] : row));
}

/** Where the list cursor goes after the shown set changes: the same frame, else the last one before it. */
function follow(s: State, shown: readonly number[] | undefined): number {
  const frame = s.shown ? s.shown[s.list.cursor] : s.list.cursor;
  if (frame === undefined) return 0;
  if (!shown) return frame;
  let lo = 0;
  let hi = shown.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (shown[mid] <= frame) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

export function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'focus':
      return { ...s, focus: PANES[(PANES.indexOf(s.focus) + a.step + PANES.length) % PANES.length] };
    case 'selectPacket':
      return a.cursor === s.list.cursor ? s : newPacket(s, scrolled(s.list, a.cursor, a.height));
    case 'selectRow':
      return { ...s, tree: scrolled(s.tree, a.cursor, a.height), hexCursor: a.byte };
    case 'selectByte':
      return { ...s, hexCursor: a.byte, expanded: a.expanded, tree: scrolled(s.tree, a.row, a.height) };
    case 'expand':
      return { ...s, expanded: a.expanded, tree: a.cursor === undefined ? s.tree : { cursor: a.cursor, top: Math.min(s.tree.top, a.cursor) } };
    case 'filterOpen':
      return { ...s, filter: { ...s.filter, editing: true } };
    case 'filterDraft':
      return { ...s, filter: { ...s.filter, draft: a.text } };
    case 'filterCancel':
      return { ...s, filter: { ...s.filter, draft: s.filter.applied, editing: false } };
    case 'filterApply':
      return { ...s, filter: { ...s.filter, applied: s.filter.draft.trim(), editing: false, progress: 0 } };
    case 'filterProgress':
      return { ...s, filter: { ...s.filter, progress: a.progress } };
    case 'filtered': {
      const cursor = follow(s, a.shown);
      const same = (a.shown ? a.shown[cursor] : cursor) === (s.shown ? s.shown[s.list.cursor] : s.list.cursor);
      const list = scrolled(s.list, cursor, a.height, a.shown ? a.shown.length : s.frames.length);
      const next = { ...s, shown: a.shown, filter: { ...s.filter, progress: undefined } };
      return same ? { ...next, list } : newPacket(next, list);
    }
    case 'pasteOpen':
      return { ...s, paste: { draft: '' } };
    case 'pasteDraft':
      return { ...s, paste: { draft: a.text } };
    case 'pasteCancel':
      return { ...s, paste: undefined };
    case 'pasteError':
      return s.paste ? { ...s, paste: { ...s.paste, error: a.error } } : s;
    case 'append': {
      const first = s.frames.length;
      const added = a.frames.map((_, i) => first + i);
      const shown = s.shown && [...s.shown, ...added.filter((_, i) => a.shown[i])];
      const visible = added.filter((i) => !shown || shown.includes(i));
      const numbers = `${first + 1}${added.length > 1 ? `-${first + added.length}` : ''}`;
      const next: State = {
        ...s,
        frames: [...s.frames, ...a.frames],
        shown,
        paste: undefined,
        notice: visible.length === added.length ? `added packet ${numbers}` : `added packet ${numbers}; ${added.length - visible.length} hidden by the filter`,
      };
      if (!visible.length) return next;
      const cursor = shown ? shown.indexOf(visible[0]) : visible[0];
      return newPacket(next, { cursor, top: s.list.top });
    }
    case 'findOpen':
      return { ...s, find: { ...s.find, draft: '', editing: true } };
    case 'findDraft':
      return { ...s, find: { ...s.find, draft: a.text } };
    case 'findCancel':
      return { ...s, find: { ...s.find, editing: false } };
    case 'findApply':
      return { ...s, find: { ...s.find, applied: s.find.draft || s.find.applied, editing: false } };
    case 'found': {
      const list = scrolled(s.list, a.cursor, a.height);
      const picked = { ...(a.cursor === s.list.cursor ? { ...s, list } : newPacket(s, list)), notice: a.notice };
      const f = a.field;
      return f ? { ...picked, expanded: f.expanded, tree: scrolled(picked.tree, f.row, f.height), hexCursor: f.byte } : picked;
    }
    case 'layout':
      return { ...s, layout: s.layout === 'stacked' ? 'side' : 'stacked' };
    case 'maximise':
      return { ...s, maximised: !s.maximised };
    case 'mark': {
      const frame = selectedFrame(s);
      if (frame === undefined) return s;
      const marks = new Set(s.marks);
      if (!marks.delete(frame)) marks.add(frame);
      return { ...s, marks };
    }
    case 'copyStart':
      return { ...s, copy: { up: 0 } };
    case 'copyLevel':
      return s.copy ? { ...s, copy: { up: a.up } } : s;
    case 'copyEnd':
      return { ...s, copy: undefined };
    case 'copied':
      return { ...s, copy: undefined, copied: a.text, notice: `copied ${a.text.length} character${a.text.length === 1 ? '' : 's'}` };
    case 'help':
      return { ...s, help: !s.help };
    case 'ladder': {
      // opening on a row given by the panes (the selected packet's), or where the ladder was left
      const ladder = a.cursor === undefined ? s.ladder : { ...scrolled(s.ladder, a.cursor, a.height ?? 1), left: s.ladder.left };
      return { ...s, ladder, view: s.view === 'ladder' ? 'packets' : 'ladder' };
    }
    case 'ladderMove':
      return { ...s, ladder: { ...scrolled(s.ladder, a.cursor, a.height), left: s.ladder.left } };
    case 'ladderPan':
      return { ...s, ladder: { ...s.ladder, left: a.left } };
    case 'ladderPick': {
      // back to the panes, on the packet (a list row: an index into the shown packets), with the list focused
      const picked = a.cursor === s.list.cursor ? s : newPacket(s, scrolled(s.list, a.cursor, a.height));
      return { ...picked, view: 'packets', focus: 'list' };
    }
    case 'notice':
      return s.notice === a.text ? s : { ...s, notice: a.text };
    case 'reloaded':
      return { ...s, generation: s.generation + 1, notice: 'keys reloaded' };
  }
}
