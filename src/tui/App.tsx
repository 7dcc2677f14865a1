import { Box, useApp, useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { DissectResult } from '../engine/dissect.js';
import { compileFilter, FilterError, type FieldCatalogue, type FieldValues } from '../filter/index.js';
import { InputError, readFrames, type Frame } from '../io/index.js';
import { DetailTree } from './DetailTree.js';
import { FilterBar } from './FilterBar.js';
import { filterValues, runFilter } from './filtering.js';
import { Help } from './Help.js';
import { HexPane, type Field } from './HexPane.js';
import { PacketCache } from './packets.js';
import { PacketList } from './PacketList.js';
import { PastePrompt } from './PastePrompt.js';
import { edited, firstKey, isCollapseKey, isExpandKey, moved } from './keys.js';
import { initialState, reducer } from './state.js';
import { StatusBar } from './StatusBar.js';
import { allKeys, defaultExpanded, parentRow, revealByte, sourceOf, treeRows, type Row } from './tree-rows.js';

export interface AppProps {
  frames: readonly Frame[];
  /** Shown in the status bar: the file name. */
  title: string;
  dissect: (f: Frame) => DissectResult;
  catalogue: FieldCatalogue;
  reloadKeys?: () => void;
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

/** Rows of each pane's body; every pane also has a title line, and the screen a filter and a status line. */
export function paneHeights(rows: number): { list: number; tree: number; hex: number } {
  const body = Math.max(4, rows - 5);
  const list = Math.floor(body * 0.4);
  const hex = Math.max(2, Math.floor(body * 0.25));
  return { list, tree: body - list - hex, hex };
}

function check(text: string, catalogue: FieldCatalogue): { predicate?: (v: FieldValues) => boolean; error?: FilterError } {
  try {
    return { predicate: compileFilter(text, catalogue) };
  } catch (e) {
    if (e instanceof FilterError) return { error: e };
    throw e;
  }
}

/** The bits the hex pane highlights for a row (in the row's data source). */
function fieldOf(row: Row | undefined): Field | undefined {
  if (!row) return undefined;
  if (row.expert) return { bitOffset: row.expert.bitOffset, bitLength: row.expert.bitLength, bitField: false };
  const n = row.node;
  return { bitOffset: n.bitOffset, bitLength: n.bitLength, bitField: !!n.bitField && n.children.length === 0 };
}

const NO_SOURCES: ReadonlyMap<string, Uint8Array> = new Map();

export function App({ frames, title, dissect, catalogue, reloadKeys }: AppProps) {
  const { exit } = useApp();
  const { columns, rows: screenRows } = useTerminalSize();
  const [s, dispatch] = useReducer(reducer, frames, initialState);
  const packets = useMemo(() => new PacketCache(dissect), [dissect]);
  const heights = paneHeights(screenRows);

  const count = s.shown ? s.shown.length : s.frames.length;
  const index = s.shown ? s.shown[s.list.cursor] : s.list.cursor < count ? s.list.cursor : undefined;
  const frame = index === undefined ? undefined : s.frames[index];
  // packets.result keeps the last dissection, so this is the same object until the packet (or the keys) change
  const result = frame && packets.result(frame);
  const expanded = useMemo(() => s.expanded ?? (result ? defaultExpanded(result.tree) : new Set<string>()), [s.expanded, result]);
  const rows = useMemo(() => (result ? treeRows(result.tree, expanded) : []), [result, expanded]);
  const row = rows[s.tree.cursor];
  const sources = result?.sources ?? NO_SOURCES;
  const source = row ? sourceOf(row.node) : 'frame';
  const draft = useMemo(() => check(s.filter.draft, catalogue), [s.filter.draft, catalogue]);
  const applied = useMemo(() => check(s.filter.applied, catalogue).predicate, [s.filter.applied, catalogue]);

  // the key handler reads the latest render's values: keys can arrive before React re-subscribes it
  const latest = useRef({ s, rows, result, source, draft, applied, heights });
  latest.current = { s, rows, result, source, draft, applied, heights };

  useEffect(() => {
    const { s, applied } = latest.current;
    if (!s.filter.applied || !applied) {
      if (s.shown) dispatch({ type: 'filtered', shown: undefined });
      return;
    }
    return runFilter(
      s.frames.length,
      (i) => {
        const r = packets.dissect(s.frames[i]);
        packets.remember(i, r);
        return applied(filterValues(r.tree));
      },
      (progress) => dispatch({ type: 'filterProgress', progress }),
      (shown) => dispatch({ type: 'filtered', shown }),
    );
  }, [s.filter.applied, s.generation, packets]);

  const handle = useCallback(
    (input: string, key: Key) => {
      const { s, rows, result, source, draft, applied, heights } = latest.current;
      if (s.notice) dispatch({ type: 'notice' });
      if (s.help) return dispatch({ type: 'help' });

      if (s.filter.editing) {
        if (key.escape) return dispatch({ type: 'filterCancel' });
        if (key.return) return draft.error ? undefined : dispatch({ type: 'filterApply' });
        return dispatch({ type: 'filterDraft', text: edited(s.filter.draft, input, key) });
      }
      if (s.paste) {
        if (key.escape) return dispatch({ type: 'pasteCancel' });
        if (!key.return) return dispatch({ type: 'pasteDraft', text: edited(s.paste.draft, input, key) });
        try {
          const added = readFrames(new TextEncoder().encode(s.paste.draft), { source: 'paste', format: 'hexlines' });
          if (!added.length) return dispatch({ type: 'pasteError', error: 'no hex to add' });
          const shown = added.map((f) => !applied || applied(filterValues(packets.dissect(f).tree)));
          return dispatch({ type: 'append', frames: added, shown });
        } catch (e) {
          if (e instanceof InputError) return dispatch({ type: 'pasteError', error: e.message });
          throw e;
        }
      }

      if (input === 'q') return exit();
      if (input === '?') return dispatch({ type: 'help' });
      if (input === '/') return dispatch({ type: 'filterOpen' });
      if (input === 'p') return s.filter.progress === undefined ? dispatch({ type: 'pasteOpen' }) : dispatch({ type: 'notice', text: 'wait for the filter to finish' });
      if (input === 'r') {
        if (!reloadKeys) return dispatch({ type: 'notice', text: 'no keys to reload' });
        try {
          reloadKeys();
        } catch (e) {
          return dispatch({ type: 'notice', text: `keys not reloaded: ${(e as Error).message}` });
        }
        packets.clear();
        return dispatch({ type: 'reloaded' });
      }
      if (key.tab) return dispatch({ type: 'focus', step: key.shift ? -1 : 1 });

      const count = s.shown ? s.shown.length : s.frames.length;
      if (s.focus === 'list') {
        const to = moved(s.list.cursor, count, input, key, heights.list);
        if (to !== undefined) dispatch({ type: 'selectPacket', cursor: to, height: heights.list });
        return;
      }
      if (!result) return;
      const open = s.expanded ?? defaultExpanded(result.tree);
      const cursorRow = rows[s.tree.cursor];
      /** Opens or closes nodes, keeping the cursor on the node it was on (or the root if that is now hidden). */
      const reopen = (next: ReadonlySet<string>) => {
        const at = treeRows(result.tree, next).findIndex((r) => r.node === cursorRow?.node && r.expert === cursorRow?.expert);
        dispatch({ type: 'expand', expanded: next, cursor: Math.max(0, at) });
      };
      if (input === 'e') return reopen(new Set([...open, ...allKeys(result.tree)]));
      if (input === 'E') return reopen(new Set());

      if (s.focus === 'tree') {
        const select = (to: number) => {
          const field = fieldOf(rows[to]);
          dispatch({ type: 'selectRow', cursor: to, height: heights.tree, byte: field ? field.bitOffset >> 3 : s.hexCursor });
        };
        const to = moved(s.tree.cursor, rows.length, input, key, heights.tree);
        if (to !== undefined) return select(to);
        if (!cursorRow) return;
        if (isExpandKey(input, key)) {
          if (cursorRow.expandable && !cursorRow.open) return reopen(new Set([...open, cursorRow.key]));
          if (cursorRow.open) return select(s.tree.cursor + 1);
        }
        if (isCollapseKey(input, key)) {
          if (cursorRow.open) return reopen(new Set([...open].filter((k) => k !== cursorRow.key)));
          return select(parentRow(rows, s.tree.cursor));
        }
        return;
      }

      const length = result.sources.get(source)?.length ?? 0;
      const byte = key.leftArrow || input === 'h' ? Math.max(0, s.hexCursor - 1) : key.rightArrow || input === 'l' ? Math.min(length - 1, s.hexCursor + 1) : moved(s.hexCursor, length, input, key, 16 * (heights.hex - 1), 16);
      if (byte === undefined) return;
      const shown = revealByte(result.tree, source, byte, open);
      const row = treeRows(result.tree, shown.expanded).findIndex((r) => r.node === shown.node && !r.expert);
      dispatch({ type: 'selectByte', byte, expanded: shown.expanded, row: Math.max(0, row), height: heights.tree });
    },
    [exit, packets, reloadKeys],
  );
  const onKey = useCallback(
    function onKey(input: string, key?: Key) {
      const { s } = latest.current;
      const first = firstKey(input, key, s.paste ? 'paste' : s.filter.editing ? 'filter' : 'navigate');
      handle(first.input, first.key);
      // the rest waits until React has rendered this key's state, which the next key builds on
      if (first.rest) setImmediate(() => onKey(first.rest));
    },
    [handle],
  );
  useInput(onKey);

  const context = `${title} · ${s.shown ? `${count} of ${s.frames.length}` : s.frames.length} packets`;
  return (
    <Box flexDirection="column" width={columns} height={screenRows}>
      <FilterBar {...s.filter} error={draft.error} />
      {s.help ? (
        <Help height={screenRows - 2} />
      ) : (
        <>
          <PacketList frames={s.frames} shown={s.shown} packets={packets} scroll={s.list} height={heights.list} width={columns} focused={s.focus === 'list'} />
          <DetailTree rows={rows} sources={sources} scroll={s.tree} height={heights.tree} width={columns} focused={s.focus === 'tree'} />
          <HexPane sources={sources} source={source} field={fieldOf(row)} cursor={s.hexCursor} height={heights.hex} width={columns} focused={s.focus === 'hex'} />
        </>
      )}
      {s.paste ? <PastePrompt {...s.paste} /> : <StatusBar row={row} notice={s.notice} context={context} width={columns} />}
    </Box>
  );
}
