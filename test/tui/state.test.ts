import { describe, expect, it } from 'vitest';
import { dissectFull, fromHex } from '../../src/index.js';
import { firstKey, NO_KEY } from '../../src/tui/keys.js';
import { initialState, reducer } from '../../src/tui/state.js';
import { allKeys, revealByte, treeRows } from '../../src/tui/tree-rows.js';
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
