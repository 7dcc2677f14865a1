import { Box, useApp, useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { DissectResult } from '../engine/dissect.js';
import { compileFilter, FilterError, filterFields, type FieldCatalogue, type FieldValues } from '../filter/index.js';
import { InputError, readFrames, type Frame } from '../io/index.js';
import { DetailTree } from './DetailTree.js';
import { FilterBar } from './FilterBar.js';
import { runFilter, runFind } from './filtering.js';
import { packetValues } from '../output/fields.js';
import { cells, lineText, listColumns } from './columns.js';
import { bytesCopy, copiedRow, osc52, subtreeEnd, treeCopy } from './copying.js';
import { FindPrompt } from './FindPrompt.js';
import { findIn } from './finding.js';
import { Help } from './Help.js';
import { HexPane, type Field } from './HexPane.js';
import { ladderOf, type Ladder } from './ladder.js';
import { paneHeights, paneWidths } from './layout.js';
import { LadderView } from './LadderView.js';
import { PacketCache } from './packets.js';
import { PacketList } from './PacketList.js';
import { PastePrompt } from './PastePrompt.js';
import { edited, firstKey, isCollapseKey, isExpandKey, moved } from './keys.js';
import { initialState, nextMark, reducer, searchOrder, selectedFrame, type Action, type State } from './state.js';
import { StatusBar } from './StatusBar.js';
import { allKeys, defaultExpanded, parentRow, revealByte, revealNode, sourceOf, treeRows, type Row } from './tree-rows.js';

export interface AppProps {
  frames: readonly Frame[];
  /** Shown in the status bar: the file name. */
  title: string;
  dissect: (f: Frame) => DissectResult;
  catalogue: FieldCatalogue;
  reloadKeys?: () => void;
  /** A display filter applied on opening (-Y). */
  filter?: string;
  /** Where copy mode's text goes; by default to the terminal, which puts it on the clipboard (OSC 52). */
  clipboard?: (text: string) => void;
  /**
   * A filter's values without the tree (src/output/quick-values.ts), for the names it reads; a frame
   * it gives no values for is dissected. Absent with keys: verdicts need the dissector.
   */
  quick?: (names: ReadonlySet<string>) => ((frame: Frame, number: number) => FieldValues | undefined) | undefined;
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = useCallback(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }), [stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    const resized = () => setSize(read());
    stdout.on('resize', resized);
    return () => void stdout.off('resize', resized);
  }, [stdout, read]);
  return size;
}

function check(text: string, catalogue: FieldCatalogue): { predicate?: (v: FieldValues) => boolean; error?: FilterError } {
  try {
    return { predicate: compileFilter(text, catalogue) };
  } catch (e) {
    if (e instanceof FilterError) return { error: e };
    throw e;
  }
}

/** Rows of the ladder view below its header line: the screen less the filter, header and status lines. */
const ladderHeight = (rows: number) => Math.max(1, rows - 3);
/** Columns the ladder view scrolls sideways per ← →. */
const PAN = 10;

/** The bits the hex pane highlights for a row (in the row's data source). */
function fieldOf(row: Row | undefined): Field | undefined {
  if (!row) return undefined;
  if (row.expert) return { bitOffset: row.expert.bitOffset, bitLength: row.expert.bitLength, bitField: false };
  const n = row.node;
  return { bitOffset: n.bitOffset, bitLength: n.bitLength, bitField: !!n.bitField && n.children.length === 0 };
}

const NO_SOURCES: ReadonlyMap<string, Uint8Array> = new Map();

/** What the panes show for a state: the selected packet, its tree rows and the selected row. */
function viewOf(s: State, packets: PacketCache) {
  const count = s.shown ? s.shown.length : s.frames.length;
  const index = selectedFrame(s);
  const frame = index === undefined ? undefined : s.frames[index];
  // packets.result keeps the last dissection: cheap on every key and redraw
  const result = frame && packets.result(frame);
  const expanded = s.expanded ?? (result ? defaultExpanded(result.tree) : new Set<string>());
  const rows = result ? treeRows(result.tree, expanded) : [];
  const row = rows[s.tree.cursor] as Row | undefined;
  // in copy mode, the row copied (the selected one, or one of its parents)
  const copied = s.copy && row ? copiedRow(rows, s.tree.cursor, s.copy.up).index : undefined;
  return { count, index, result, expanded, rows, row, copied, sources: result?.sources ?? NO_SOURCES, source: row ? sourceOf(row.node) : 'frame' };
}

const COPY_INFO = 'copy mode: Enter copies · ← → h l: wider / narrower field · Esc: leave';

/** The ladder view's status line: the packet under the cursor and the keys. */
function ladderInfo(ladder: Ladder, cursor: number): string {
  const row = ladder.rows[cursor];
  if (!row) return 'L or Esc: back to the packets';
  return `packet ${row.frame + 1}${row.kind === 'note' ? ', step before it' : ''}: ${row.what} · Enter: show it · L/Esc: back`;
}

export function App({ frames, title, dissect, catalogue, reloadKeys, filter, clipboard, quick }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const toClipboard = useCallback((text: string) => (clipboard ? clipboard(text) : stdout.write(osc52(text))), [clipboard, stdout]);
  const { columns, rows: screenRows } = useTerminalSize();
  const packets = useMemo(() => new PacketCache(dissect), [dissect]);
  const [s, dispatch] = useReducer(reducer, frames, (frames) => initialState(frames, filter));
  const heights = paneHeights(screenRows, s.shown ? s.shown.length : s.frames.length, s.layout, s.maximised ? s.focus : undefined);
  const widths = paneWidths(columns, s.maximised ? 'stacked' : s.layout);
  // Keys arriving in one chunk are handled before React renders, so the handler keeps its own copy
  // of the state, advanced by the same reducer.
  const state = useRef(s);
  const act = useCallback((a: Action) => {
    state.current = reducer(state.current, a);
    dispatch(a);
  }, []);
  const latest = useRef({ heights, catalogue, screenRows, columns, quick });
  latest.current = { heights, catalogue, screenRows, columns, quick };

  // The ladder dissects every packet: made the first time the view is opened, again once packets are
  // added or keys reloaded.
  const ladderMade = useRef<{ frames: readonly Frame[]; generation: number; packets: PacketCache; ladder: Ladder }>(undefined);
  const ladderFor = useCallback(
    (s: State): Ladder => {
      const made = ladderMade.current;
      if (made && made.frames === s.frames && made.generation === s.generation && made.packets === packets) return made.ladder;
      const ladder = ladderOf(s.frames, (f, i) => {
        const r = packets.dissect(f);
        packets.remember(i, r);
        return r;
      });
      ladderMade.current = { frames: s.frames, generation: s.generation, packets, ladder };
      return ladder;
    },
    [packets],
  );

  const { count, rows, row, copied, sources, source } = viewOf(s, packets);
  const draftError = useMemo(() => check(s.filter.draft, catalogue).error, [s.filter.draft, catalogue]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the applied filter and the generation start a new run; the effect reads them through state.current
  useEffect(() => {
    const { frames, filter, shown } = state.current;
    const applied = check(filter.applied, latest.current.catalogue).predicate;
    if (!filter.applied || !applied) {
      if (shown) act({ type: 'filtered', shown: undefined, height: latest.current.heights.list });
      return;
    }
    const fast = latest.current.quick?.(filterFields(filter.applied, latest.current.catalogue));
    return runFilter(
      frames.length,
      (i) => {
        const values = fast?.(frames[i]!, i + 1);
        if (values) return applied(values);
        const r = packets.dissect(frames[i]);
        packets.remember(i, r);
        return applied(packetValues(r, { number: i + 1, source: frames[i]!.source, direction: frames[i]!.direction }));
      },
      (progress) => act({ type: 'filterProgress', progress }),
      (shown) => act({ type: 'filtered', shown, height: latest.current.heights.list }),
    );
  }, [s.filter.applied, s.generation, packets, act]);

  // The running search (n, N), cancelled by the next one or on quitting.
  const finding = useRef<() => void>(undefined);
  useEffect(() => () => finding.current?.(), []);
  const find = useCallback(
    (step: 1 | -1) => {
      const s = state.current;
      const text = s.find.applied;
      if (!text) return act({ type: 'notice', text: 'nothing to find yet: ctrl-F' });
      const { frames, shown } = s;
      const order = searchOrder(s.list.cursor, shown ? shown.length : frames.length, step);
      const frameAt = (k: number) => (shown ? shown[order[k]] : order[k]);
      // every column, including those too wide for the screen
      const line = (index: number) => Object.values(cells(frames, index, packets.summary(index, frames[index]))).join(' ');
      finding.current?.();
      finding.current = runFind(
        order.length,
        (k) => {
          const index = frameAt(k);
          const result = packets.dissect(frames[index]);
          packets.remember(index, result);
          return findIn(text, line(index), result) !== undefined;
        },
        (k) => {
          finding.current = undefined;
          const now = state.current;
          if (now.frames !== frames || now.shown !== shown) return;
          if (k === undefined) return act({ type: 'notice', text: `no match for "${text}"` });
          const cursor = order[k];
          const index = frameAt(k);
          const wrapped = step === 1 ? cursor <= s.list.cursor : cursor >= s.list.cursor;
          const notice = `packet ${index + 1} matches "${text}"${wrapped ? ' (search wrapped)' : ''}`;
          // the field that matched, found again in the dissection the panes show
          const result = packets.result(frames[index]);
          const hit = findIn(text, line(index), result);
          const { heights } = latest.current;
          if (!hit?.node) return act({ type: 'found', cursor, height: heights.list, notice });
          const expanded = revealNode(result.tree, hit.node, now.expanded ?? defaultExpanded(result.tree), !!hit.expert);
          const row = treeRows(result.tree, expanded).findIndex((r) => r.node === hit.node && r.expert === hit.expert);
          const field = { expanded, row: Math.max(0, row), height: heights.tree, byte: hit.node.bitOffset >> 3 };
          act({ type: 'found', cursor, height: heights.list, notice, field });
        },
      );
    },
    [act, packets],
  );

  const handle = useCallback(
    (input: string, key: Key) => {
      const s = state.current;
      const { heights, catalogue, screenRows, columns } = latest.current;
      if (s.notice) act({ type: 'notice' });
      if (s.help) return act({ type: 'help' });

      if (s.filter.editing) {
        if (key.escape) return act({ type: 'filterCancel' });
        if (key.return) return check(s.filter.draft, catalogue).error ? undefined : act({ type: 'filterApply' });
        return act({ type: 'filterDraft', text: edited(s.filter.draft, input, key) });
      }
      if (s.paste) {
        if (key.escape) return act({ type: 'pasteCancel' });
        if (!key.return) return act({ type: 'pasteDraft', text: edited(s.paste.draft, input, key) });
        try {
          // any text format -r reads: hex lines, a hexdump -C or xxd dump, ...
          const added = readFrames(new TextEncoder().encode(s.paste.draft), { source: 'paste' });
          if (!added.length) return act({ type: 'pasteError', error: 'no hex to add' });
          const unreadable = added.find((f) => f.error !== undefined);
          if (unreadable) return act({ type: 'pasteError', error: unreadable.error! });
          const applied = check(s.filter.applied, catalogue).predicate;
          const shown = added.map((f, i) => !applied || applied(packetValues(packets.dissect(f), { number: s.frames.length + i + 1, source: f.source, direction: f.direction })));
          return act({ type: 'append', frames: added, shown });
        } catch (e) {
          if (e instanceof InputError) return act({ type: 'pasteError', error: e.message });
          throw e;
        }
      }

      if (s.find.editing) {
        if (key.escape) return act({ type: 'findCancel' });
        if (!key.return) return act({ type: 'findDraft', text: edited(s.find.draft, input, key) });
        act({ type: 'findApply' });
        return find(1);
      }
      if (s.copy) {
        const { index, rows, copied, sources } = viewOf(s, packets);
        if (key.escape) return act({ type: 'copyEnd' });
        if (key.leftArrow || input === 'h') return act({ type: 'copyLevel', up: copiedRow(rows, s.tree.cursor, s.copy.up + 1).up });
        if (key.rightArrow || input === 'l') return act({ type: 'copyLevel', up: Math.max(0, s.copy.up - 1) });
        if (!key.return) return;
        // (a filter that finished meanwhile may have left nothing selected)
        const text =
          s.focus === 'list'
            ? index !== undefined && lineText(listColumns(s.frames, columns), cells(s.frames, index, packets.summary(index, s.frames[index])))
            : copied !== undefined && (s.focus === 'tree' ? treeCopy : bytesCopy)(rows[copied], sources);
        if (text === false) return act({ type: 'copyEnd' });
        toClipboard(text);
        return act({ type: 'copied', text });
      }

      if (input === 'q') return exit();
      if (input === '?') return act({ type: 'help' });
      if (input === 'L' || (key.escape && s.view === 'ladder')) {
        // the ladder opens on the selected packet, unless its cursor is on that packet's rows already
        const frame = s.shown ? s.shown[s.list.cursor] : s.list.cursor;
        const rows = s.view === 'packets' && frame !== undefined ? ladderFor(s).rows : [];
        const at = rows[s.ladder.cursor]?.frame === frame ? -1 : rows.findIndex((r) => r.frame === frame && r.kind !== 'note');
        return act(at < 0 ? { type: 'ladder' } : { type: 'ladder', cursor: at, height: ladderHeight(screenRows) });
      }
      if (input === 'r') {
        if (!reloadKeys) return act({ type: 'notice', text: 'no keys to reload' });
        try {
          reloadKeys();
        } catch (e) {
          return act({ type: 'notice', text: `keys not reloaded: ${(e as Error).message}` });
        }
        packets.clear();
        return act({ type: 'reloaded' });
      }
      if (s.view === 'ladder') {
        const ladder = ladderFor(s);
        const height = ladderHeight(screenRows);
        const to = moved(s.ladder.cursor, ladder.rows.length, input, key, height);
        if (to !== undefined) return act({ type: 'ladderMove', cursor: to, height });
        if (key.leftArrow || input === 'h') return act({ type: 'ladderPan', left: Math.max(0, s.ladder.left - PAN) });
        if (key.rightArrow || input === 'l') return act({ type: 'ladderPan', left: Math.max(0, Math.min(ladder.width - columns, s.ladder.left + PAN)) });
        if (key.return) {
          const row = ladder.rows[s.ladder.cursor];
          if (!row) return;
          const cursor = s.shown ? s.shown.indexOf(row.frame) : row.frame;
          if (cursor < 0) return act({ type: 'notice', text: `packet ${row.frame + 1} is hidden by the filter` });
          return act({ type: 'ladderPick', cursor, height: heights.list });
        }
        return;
      }
      if (input === '/') return act({ type: 'filterOpen' });
      if (key.ctrl && input === 'f') return act({ type: 'findOpen' });
      if (input === 'n' || input === 'N') return find(input === 'n' ? 1 : -1);
      if (input === '|') return act({ type: 'layout' });
      if (input === '\\') return act({ type: 'maximise' });
      if (input === 'm') return act(selectedFrame(s) === undefined ? { type: 'notice', text: 'no packet to mark' } : { type: 'mark' });
      if (input === "'" || input === '"') {
        const to = nextMark(s, input === "'" ? 1 : -1);
        if (to !== undefined) return act({ type: 'selectPacket', cursor: to, height: heights.list });
        return act({ type: 'notice', text: s.marks.size ? 'the filter hides the marked packets' : 'no marked packets: m marks one' });
      }
      if (input === 'c') {
        const { index, row } = viewOf(s, packets);
        return act((s.focus === 'list' ? index !== undefined : row) ? { type: 'copyStart' } : { type: 'notice', text: 'nothing to copy' });
      }
      if (input === 'p') return act(s.filter.progress === undefined ? { type: 'pasteOpen' } : { type: 'notice', text: 'wait for the filter to finish' });
      if (key.tab) return act({ type: 'focus', step: key.shift ? -1 : 1 });

      const { count, result, expanded, rows, row, source } = viewOf(s, packets);
      if (s.focus === 'list') {
        const to = moved(s.list.cursor, count, input, key, heights.list);
        if (to !== undefined) act({ type: 'selectPacket', cursor: to, height: heights.list });
        return;
      }
      if (!result) return;
      /** Opens or closes nodes, keeping the cursor on the node it was on (or the root if that is now hidden). */
      const reopen = (next: ReadonlySet<string>) => {
        const at = treeRows(result.tree, next).findIndex((r) => r.node === row?.node && r.expert === row?.expert);
        act({ type: 'expand', expanded: next, cursor: Math.max(0, at) });
      };
      if (input === 'e') return reopen(new Set([...expanded, ...allKeys(result.tree)]));
      if (input === 'E') return reopen(new Set());

      if (s.focus === 'tree') {
        const select = (to: number) => {
          const field = fieldOf(rows[to]);
          act({ type: 'selectRow', cursor: to, height: heights.tree, byte: field ? field.bitOffset >> 3 : s.hexCursor });
        };
        const to = moved(s.tree.cursor, rows.length, input, key, heights.tree);
        if (to !== undefined) return select(to);
        if (!row) return;
        if (isExpandKey(input, key)) {
          if (row.expandable && !row.open) return reopen(new Set([...expanded, row.key]));
          if (row.open) return select(s.tree.cursor + 1);
        }
        if (isCollapseKey(input, key)) {
          if (row.open) return reopen(new Set([...expanded].filter((k) => k !== row.key)));
          return select(parentRow(rows, s.tree.cursor));
        }
        return;
      }

      const length = result.sources.get(source)?.length ?? 0;
      const byte =
        key.leftArrow || input === 'h'
          ? Math.max(0, s.hexCursor - 1)
          : key.rightArrow || input === 'l'
            ? Math.min(length - 1, s.hexCursor + 1)
            : moved(s.hexCursor, length, input, key, 16 * (heights.hex - 1), 16);
      if (byte === undefined) return;
      const shown = revealByte(result.tree, source, byte, expanded);
      const at = treeRows(result.tree, shown.expanded).findIndex((r) => r.node === shown.node && !r.expert);
      act({ type: 'selectByte', byte, expanded: shown.expanded, row: Math.max(0, at), height: heights.tree });
    },
    [act, exit, packets, reloadKeys, ladderFor, find, toClipboard],
  );
  useInput(
    useCallback(
      (input: string, key: Key) => {
        for (let next: { input: string; key?: Key } | undefined = { input, key }; next; ) {
          const s = state.current;
          const first = firstKey(next.input, next.key, s.paste ? 'paste' : s.filter.editing || s.find.editing ? 'filter' : 'navigate');
          handle(first.input, first.key);
          next = first.rest ? { input: first.rest } : undefined;
        }
      },
      [handle],
    ),
  );

  const copying = s.copy && s.view === 'packets' ? s.focus : undefined;
  const context = `${title} · ${s.shown ? `${count} of ${s.frames.length}` : s.frames.length} packets`;
  return (
    <Box flexDirection="column" width={columns} height={screenRows}>
      <FilterBar {...s.filter} error={draftError} />
      {s.help ? (
        <Help height={screenRows - 2} />
      ) : s.view === 'ladder' ? (
        <LadderView ladder={ladderFor(s)} scroll={s.ladder} height={ladderHeight(screenRows)} width={columns} />
      ) : (
        <>
          {heights.list > 0 && (
            <PacketList
              frames={s.frames}
              shown={s.shown}
              packets={packets}
              scroll={s.list}
              height={heights.list}
              width={columns}
              focused={s.focus === 'list'}
              marks={s.marks}
              copying={copying === 'list'}
            />
          )}
          <Box flexDirection={s.layout === 'side' ? 'row' : 'column'} columnGap={1}>
            {heights.tree > 0 && (
              <DetailTree
                rows={rows}
                sources={sources}
                scroll={s.tree}
                height={heights.tree}
                width={widths.tree}
                focused={s.focus === 'tree'}
                copied={copying === 'tree' && copied !== undefined ? { start: copied, end: subtreeEnd(rows, copied) } : undefined}
              />
            )}
            {heights.hex > 0 && (
              <HexPane
                sources={sources}
                source={source}
                field={fieldOf(copying === 'hex' && copied !== undefined ? rows[copied] : row)}
                cursor={s.hexCursor}
                height={heights.hex}
                width={widths.hex}
                focused={s.focus === 'hex'}
                copying={copying === 'hex'}
              />
            )}
          </Box>
        </>
      )}
      {s.paste ? (
        <PastePrompt {...s.paste} />
      ) : s.find.editing ? (
        <FindPrompt draft={s.find.draft} last={s.find.applied} />
      ) : (
        <StatusBar row={row} notice={s.notice} info={s.view === 'ladder' ? ladderInfo(ladderFor(s), s.ladder.cursor) : copying ? COPY_INFO : undefined} context={context} width={columns} />
      )}
    </Box>
  );
}
