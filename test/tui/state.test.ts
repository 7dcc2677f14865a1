import { describe, expect, it } from 'vitest';
import { dissectFull, fromHex } from '../../src/index.js';
import { walk } from '../../src/engine/tree.js';
import type { Frame } from '../../src/io/index.js';
import { cells, listColumns } from '../../src/tui/columns.js';
import { bytesCopy, copiedRow, osc52, subtreeEnd, treeCopy } from '../../src/tui/copying.js';
import { runFind } from '../../src/tui/filtering.js';
import { findIn } from '../../src/tui/finding.js';
import { firstKey, NO_KEY } from '../../src/tui/keys.js';
import { paneHeights, paneWidths } from '../../src/tui/layout.js';
import { initialState, nextMark, reducer, searchOrder } from '../../src/tui/state.js';
import { allKeys, revealByte, revealNode, treeRows } from '../../src/tui/tree-rows.js';
import { sampleFrames } from './helpers.js';

describe('reducer', () => {
  it('keeps the selected packet when a filter leaves it shown, else moves to the one before it', () => {
    let s = initialState(sampleFrames());
    s = reducer(s, { type: 'selectPacket', cursor: 4, height: 5 });
    expect(reducer(s, { type: 'filtered', shown: [1, 4, 6], height: 10 }).list.cursor).toBe(1);
    const moved = reducer(s, { type: 'filtered', shown: [0, 2, 6], height: 10 });
    expect(moved.list.cursor).toBe(1);
    expect(moved.tree.cursor).toBe(0);
  });

  it('fills the list after a filter that shows fewer rows than were scrolled past', () => {
    const frames = Array.from({ length: 65 }, (_, i) => sampleFrames()[i % 7]!);
    let s = reducer(initialState(frames), { type: 'selectPacket', cursor: 64, height: 16 });
    expect(s.list).toEqual({ cursor: 64, top: 49 });
    s = reducer(s, { type: 'filtered', shown: [4, 6, 43, 59], height: 16 });
    expect(s.list).toEqual({ cursor: 3, top: 0 });
    s = reducer(s, { type: 'filtered', shown: undefined, height: 16 });
    expect(s.list).toEqual({ cursor: 59, top: 44 });
  });

  it('opens with a -Y filter applied and nothing shown until it has run', () => {
    const s = initialState(sampleFrames(), 'nas_eps.emm.cause');
    expect(s.filter).toMatchObject({ draft: 'nas_eps.emm.cause', applied: 'nas_eps.emm.cause', editing: false, progress: 0 });
    expect(s.shown).toEqual([]);
    expect(initialState(sampleFrames()).shown).toBeUndefined();
  });

  it('opens the ladder on the row it is given (the selected packet), scrolled to show it', () => {
    const s = reducer(initialState(sampleFrames()), { type: 'ladder', cursor: 9, height: 4 });
    expect(s).toMatchObject({ view: 'ladder', ladder: { cursor: 9, top: 6, left: 0 } });
  });

  it('switches to the ladder and back keeping its place, and goes from it to a packet in the list', () => {
    let s = initialState(sampleFrames());
    s = reducer(s, { type: 'focus', step: 1 });
    s = reducer(s, { type: 'selectRow', cursor: 2, height: 5, byte: 1 });
    s = reducer(s, { type: 'ladder' });
    expect(s.view).toBe('ladder');
    s = reducer(s, { type: 'ladderMove', cursor: 6, height: 3 });
    s = reducer(s, { type: 'ladderPan', left: 10 });
    expect(s.ladder).toEqual({ cursor: 6, top: 4, left: 10 });
    s = reducer(reducer(s, { type: 'ladder' }), { type: 'ladder' });
    expect(s.view).toBe('ladder');
    expect(s.ladder).toEqual({ cursor: 6, top: 4, left: 10 });
    s = reducer(s, { type: 'ladderPick', cursor: 5, height: 3 });
    expect(s).toMatchObject({ view: 'packets', focus: 'list', list: { cursor: 5, top: 3 }, tree: { cursor: 0, top: 0 }, hexCursor: 0 });
  });

  it('scrolls the list only as far as the cursor needs', () => {
    let s = initialState(sampleFrames());
    for (const cursor of [1, 2, 3, 4]) s = reducer(s, { type: 'selectPacket', cursor, height: 3 });
    expect(s.list).toEqual({ cursor: 4, top: 2 });
    s = reducer(s, { type: 'selectPacket', cursor: 3, height: 3 });
    expect(s.list).toEqual({ cursor: 3, top: 2 });
  });

  it('appends pasted packets, counting the ones the filter hides', () => {
    const frames = sampleFrames();
    let s = reducer(initialState(frames), { type: 'filtered', shown: [0], height: 10 });
    s = reducer(s, { type: 'append', frames: frames.slice(0, 2), shown: [true, false] });
    expect(s.frames).toHaveLength(9);
    expect(s.shown).toEqual([0, 7]);
    expect(s.list.cursor).toBe(1);
    expect(s.notice).toBe('added packet 8-9; 1 hidden by the filter');
  });
});

describe('keys in one chunk', () => {
  it('splits navigation keys one by one, and prompt text at control keys', () => {
    expect(firstKey('jj\tj', NO_KEY, 'navigate')).toMatchObject({ input: 'j', rest: 'j\tj' });
    expect(firstKey('\tj', undefined, 'navigate')).toMatchObject({ input: '', key: { tab: true }, rest: 'j' });
    expect(firstKey('a == 1\rq', NO_KEY, 'filter')).toMatchObject({ input: 'a == 1', rest: '\rq' });
    expect(firstKey('\x7f\x7f', NO_KEY, 'filter')).toMatchObject({ key: { delete: true }, rest: '\x7f' });
    expect(firstKey('0755\r0756', NO_KEY, 'paste')).toMatchObject({ input: '0755\r0756', rest: '' });
  });
});

describe('tree rows', () => {
  const tree = dissectFull(fromHex('37a8a82a3200075d010005f0f0c04070c14f08a35e5f5912506ad4'), 'nas-eps').tree;

  it('opens by filter-name keys, so the same subtree stays open in the next packet', () => {
    const rows = treeRows(tree, new Set(['nas-eps', 'nas-eps/nas_eps.nas_message']));
    expect(rows.find((r) => r.node.filter === 'nas_eps.nas_message')?.open).toBe(true);
    expect(rows.some((r) => r.node.filter === 'nas_eps.nas_msg_emm_type' && r.depth === 2)).toBe(true);
    expect(treeRows(tree, allKeys(tree)).length).toBeGreaterThan(60);
  });

  it('finds the deepest field at a byte and opens the way to it', () => {
    const { node, expanded } = revealByte(tree, 'frame', 12, new Set());
    expect(node.filter).toBe('nas_eps.emm.eia0');
    expect([...expanded]).toEqual(['nas-eps', 'nas-eps/nas_eps.nas_message', 'nas-eps/nas_eps.nas_message/nas_eps.ie.replayed_ue_security_capabilities']);
  });
});

describe('layout, marks, find and copy mode in the state', () => {
  it('toggles the layout (|) and maximising the focused pane (\\)', () => {
    let s = initialState(sampleFrames());
    expect(s).toMatchObject({ layout: 'stacked', maximised: false });
    s = reducer(s, { type: 'layout' });
    expect(s.layout).toBe('side');
    s = reducer(reducer(s, { type: 'maximise' }), { type: 'layout' });
    expect(s).toMatchObject({ layout: 'stacked', maximised: true });
    expect(reducer(s, { type: 'maximise' }).maximised).toBe(false);
  });

  it('marks and unmarks the selected packet, by frame, and finds the next and previous mark among the shown packets, wrapping', () => {
    let s = initialState(sampleFrames());
    for (const cursor of [1, 4, 5]) s = reducer(reducer(s, { type: 'selectPacket', cursor, height: 5 }), { type: 'mark' });
    s = reducer(reducer(s, { type: 'selectPacket', cursor: 5, height: 5 }), { type: 'mark' });
    expect([...s.marks].sort()).toEqual([1, 4]);
    expect(nextMark(s, 1)).toBe(1);
    expect(nextMark(s, -1)).toBe(4);
    s = reducer(s, { type: 'selectPacket', cursor: 2, height: 5 });
    expect(nextMark(s, 1)).toBe(4);
    expect(nextMark(s, -1)).toBe(1);
    // frames 0, 4, 6 shown: frame 4 is list row 1
    s = reducer(s, { type: 'filtered', shown: [0, 4, 6], height: 5 });
    expect(nextMark(s, 1)).toBe(1);
    s = reducer(s, { type: 'filtered', shown: [0, 6], height: 5 });
    expect(nextMark(s, 1)).toBeUndefined();
  });

  it('visits the rows after the cursor, wrapping round to it', () => {
    expect(searchOrder(2, 5, 1)).toEqual([3, 4, 0, 1, 2]);
    expect(searchOrder(2, 5, -1)).toEqual([1, 0, 4, 3, 2]);
    expect(searchOrder(0, 0, 1)).toEqual([]);
  });

  it('keeps the find text; an empty one searches for the last again', () => {
    let s = reducer(initialState(sampleFrames()), { type: 'findOpen' });
    s = reducer(reducer(s, { type: 'findDraft', text: 'attach' }), { type: 'findApply' });
    expect(s.find).toEqual({ draft: 'attach', applied: 'attach', editing: false });
    s = reducer(reducer(s, { type: 'findOpen' }), { type: 'findApply' });
    expect(s.find.applied).toBe('attach');
    s = reducer(reducer(reducer(s, { type: 'findOpen' }), { type: 'findDraft', text: 'x' }), { type: 'findCancel' });
    expect(s.find).toMatchObject({ applied: 'attach', editing: false });
  });

  it('goes to a found packet, and to the field that matched', () => {
    let s = reducer(initialState(sampleFrames()), { type: 'selectRow', cursor: 3, height: 5, byte: 2 });
    s = reducer(s, { type: 'found', cursor: 6, height: 3, notice: 'found' });
    expect(s).toMatchObject({ list: { cursor: 6, top: 4 }, tree: { cursor: 0, top: 0 }, hexCursor: 0, notice: 'found' });
    const expanded = new Set(['a']);
    s = reducer(s, { type: 'found', cursor: 1, height: 3, notice: 'again', field: { expanded, row: 9, height: 4, byte: 5 } });
    expect(s).toMatchObject({ list: { cursor: 1, top: 1 }, tree: { cursor: 9, top: 6 }, hexCursor: 5, expanded, notice: 'again' });
  });

  it('enters copy mode, widens and narrows, and keeps what it copied', () => {
    let s = reducer(initialState(sampleFrames()), { type: 'copyStart' });
    expect(s.copy).toEqual({ up: 0 });
    s = reducer(s, { type: 'copyLevel', up: 2 });
    expect(s.copy).toEqual({ up: 2 });
    s = reducer(s, { type: 'copied', text: 'a8a82a32' });
    expect(s).toMatchObject({ copy: undefined, copied: 'a8a82a32', notice: 'copied 8 characters' });
    expect(reducer(s, { type: 'copyLevel', up: 1 }).copy).toBeUndefined();
    expect(reducer(reducer(s, { type: 'copyStart' }), { type: 'copyEnd' }).copy).toBeUndefined();
  });
});

describe('pane heights and widths', () => {
  const used = (h: Record<string, number>, titles: number) => 2 + titles + h.list + h.tree + h.hex;

  it('fills the screen in either layout, the list no longer than its packets', () => {
    // stacked: filter, 3 titles, status; 40 rows leave 35: the list 5 (its packets), the bytes 8, the details 22
    expect(paneHeights(40, 5, 'stacked', undefined)).toEqual({ list: 5, tree: 22, hex: 8 });
    expect(used(paneHeights(40, 100, 'stacked', undefined), 3)).toBe(40);
    // side by side: the details and bytes share the 36 - 14 rows under the list
    expect(paneHeights(40, 100, 'side', undefined)).toEqual({ list: 14, tree: 22, hex: 22 });
    expect(paneHeights(40, 5, 'side', undefined)).toEqual({ list: 5, tree: 31, hex: 31 });
  });

  it('gives a maximised pane every row but its title', () => {
    expect(paneHeights(30, 5, 'side', 'tree')).toEqual({ list: 0, tree: 27, hex: 0 });
    expect(paneHeights(30, 5, 'stacked', 'list')).toEqual({ list: 27, tree: 0, hex: 0 });
  });

  it('puts the bytes beside the details at a dump line wide, at most half the screen, with a column between', () => {
    expect(paneWidths(160, 'side')).toEqual({ tree: 87, hex: 72 });
    expect(paneWidths(140, 'side')).toEqual({ tree: 69, hex: 70 });
    expect(paneWidths(81, 'side')).toEqual({ tree: 40, hex: 40 });
    expect(paneWidths(80, 'stacked')).toEqual({ tree: 80, hex: 80 });
  });
});

describe('packet list columns', () => {
  const frame = (f: Partial<Frame>): Frame => ({ bytes: new Uint8Array(4), source: 'x', ...f });
  const summary = { protocol: 'nas-eps', info: 'Attach request' };

  it('shows Time relative to the first packet, and Source and Destination from a flow label or the destination address', () => {
    const frames = [frame({ time: 1000.25 }), frame({ time: 1001.5, label: 'step 3 UE1->MME NAS/S1-MME nas-eps Attach request' }), frame({ destination: '10.0.0.7' })];
    expect(listColumns(frames, 200).map((c) => c.title)).toEqual(['No.', 'Time', 'Source', 'Destination', 'Dir', 'Protocol', 'Length', 'Expert']);
    expect(cells(frames, 0, summary)).toMatchObject({ no: '1', time: '0.000000', source: '', destination: '' });
    expect(cells(frames, 1, summary)).toMatchObject({ no: '2', time: '1.250000', source: 'UE1', destination: 'MME', protocol: 'NAS-EPS' });
    expect(cells(frames, 2, summary)).toMatchObject({ time: '', source: '', destination: '10.0.0.7', dir: '-' });
  });

  it('leaves out Time, Source and Destination when no packet has them', () => {
    expect(listColumns(sampleFrames(), 200).map((c) => c.title)).toEqual(['No.', 'Dir', 'Protocol', 'Length', 'Expert']);
  });

  it('drops columns on a narrow screen, leaving Info 20 columns or more', () => {
    const frames = [frame({ time: 0, label: 'step 1 MTC-IWF->HSS S6m diameter SIR' }), frame({ time: 12.5 })];
    // No. 5, Time 9, Source 7, Destination 11, Dir 3, Protocol 8, Length 6, Expert 7: 56, 8 gaps of 2, and 20 for Info
    expect(listColumns(frames, 92).map((c) => c.key)).toEqual(['no', 'time', 'source', 'destination', 'dir', 'protocol', 'length', 'expert']);
    expect(listColumns(frames, 91).map((c) => c.key)).toEqual(['no', 'time', 'source', 'destination', 'dir', 'protocol', 'expert']);
    // without Length, Dir and Time: 38, 5 gaps, 20
    expect(listColumns(frames, 68).map((c) => c.key)).toEqual(['no', 'source', 'destination', 'protocol', 'expert']);
    expect(listColumns(frames, 67).map((c) => c.key)).toEqual(['no', 'protocol', 'expert']);
    expect(listColumns(frames, 30).map((c) => c.key)).toEqual(['no']);
  });
});

describe('copy mode and find on a dissection', () => {
  const bytes = fromHex('37a8a82a3200075d010005f0f0c04070c14f08a35e5f5912506ad4');
  const result = dissectFull(bytes, 'nas-eps');
  const rows = treeRows(result.tree, allKeys(result.tree));
  const mac = rows.findIndex((r) => r.node.filter === 'nas_eps.msg_auth_code');

  it('copies a field as its -V line and its octets as hex, and the whole packet from the root', () => {
    expect(treeCopy(rows[mac], result.sources)).toBe('Message authentication code: 0xa8a82a32');
    expect(bytesCopy(rows[mac], result.sources)).toBe('a8a82a32');
    expect(copiedRow(rows, mac, 5)).toEqual({ index: 0, up: 1 });
    expect(bytesCopy(rows[0], result.sources)).toBe('37a8a82a3200075d010005f0f0c04070c14f08a35e5f5912506ad4');
    const whole = treeCopy(rows[0], result.sources).split('\n');
    expect(whole[0]).toBe('Non-Access-Stratum (NAS)PDU');
    expect(whole).toContain('    Message authentication code: 0xa8a82a32');
    expect(whole).toHaveLength(subtreeEnd(rows, 0));
  });

  it('widens one level at a time, up to the root', () => {
    const type = rows.findIndex((r) => r.node.filter === 'nas_eps.nas_msg_emm_type');
    expect(rows[copiedRow(rows, type, 1).index].node.filter).toBe('nas_eps.nas_message');
    expect(copiedRow(rows, type, 9)).toEqual({ index: 0, up: 2 });
    const message = copiedRow(rows, type, 1).index;
    expect(rows.slice(message + 1, subtreeEnd(rows, message)).every((r) => r.depth > rows[message].depth)).toBe(true);
    expect(rows[subtreeEnd(rows, message)]?.depth ?? 0).toBeLessThanOrEqual(rows[message].depth);
  });

  it('puts text on the clipboard with OSC 52, base64-encoded', () => {
    expect(osc52('hi')).toBe('\x1b]52;c;aGk=\x07');
    expect(osc52('µ')).toBe('\x1b]52;c;wrU=\x07');
  });

  it('finds text in the list row first, then in the fields, ignoring case', () => {
    expect(findIn('SECURITY MODE', '3 DL NAS-EPS Security mode command', result)).toEqual({});
    expect(findIn('0XA8A82A32', '3', result)?.node?.filter).toBe('nas_eps.msg_auth_code');
    expect(findIn('Identity response', '3', result)).toBeUndefined();
  });

  it('opens the way to a found field', () => {
    const type = [...walk(result.tree)].find((n) => n.filter === 'nas_eps.nas_msg_emm_type')!;
    const expanded = revealNode(result.tree, type, new Set());
    expect(treeRows(result.tree, expanded).some((r) => r.node === type)).toBe(true);
    expect([...expanded]).toEqual(['nas-eps', 'nas-eps/nas_eps.nas_message']);
  });

  it('runs a search in slices and reports the first match, or none', async () => {
    const first = await new Promise((done) => runFind(5, (i) => i >= 3, done));
    expect(first).toBe(3);
    const none = await new Promise((done) => runFind(5, () => false, done));
    expect(none).toBeUndefined();
  });
});
