import { afterEach, describe, expect, it, vi } from 'vitest';

// Before ink (and chalk) load: keep the styles in the frames so highlighting can be asserted.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { cleanup } from 'ink-testing-library';
import { dissectFull } from '../../src/index.js';
import type { Frame } from '../../src/io/index.js';
import { ladderText } from '../../src/cli/flow.js';
import { fit } from '../../src/tui/fit.js';
import { defaultGrammar } from '../../src/grammar/default.js';
import { quickValues } from '../../src/output/quick-values.js';
import { flowCapture, KEY, lineWith, renderApp, sampleFrames } from './helpers.js';

const INVERSE = '\u001b[7m';
const inverseRun = (raw: string, text: string) => raw.includes(`${INVERSE}${text}\u001b[27m`);

afterEach(() => cleanup());

describe('packet list', () => {
  it('lists every packet with direction, protocol, length, expert severity and message names', async () => {
    const { text, until } = renderApp();
    await until((s) => s.includes('samples.txt · 7 packets'), 'the first frame');
    const screen = text();
    expect(screen).toMatch(/No\.\s+Dir\s+Protocol\s+Length\s+Expert\s+Info/);
    expect(lineWith(screen, '    1  DL')).toMatch(/NAS-EPS\s+3\s+Identity request/);
    expect(lineWith(screen, '    3  DL')).toMatch(/NAS-EPS\s+27\s+Chat\s+Security mode command/);
    expect(lineWith(screen, '    4  DL')).toContain('Attach accept, Activate default EPS bearer context request');
    expect(lineWith(screen, '    7  UL')).toMatch(/Error\s+Identity response/);
    expect(screen).toContain('Non-Access-Stratum (NAS)PDU (nas-eps), 3 bytes @0');
  });

  it('moves with j/k, arrows, G and g, showing the selected packet in the other panes', async () => {
    const { text, press, until } = renderApp();
    await press('j', 'j');
    await until((s) => s.includes('Message authentication code: 0xa8a82a32'), 'packet 3 details');
    await until((_, raw) => raw.split('\n').some((l) => l.startsWith(`${INVERSE}    3  DL`)), 'packet 3 in inverse video');
    await press('k');
    await until((s) => s.includes('Identity response (0x56)'), 'packet 2');
    await press(KEY.down, KEY.down);
    await until((s) => s.includes('Attach accept (0x42)'), 'packet 4');
    await press('G');
    await until((s) => s.includes('0000  07 56 08 '), 'the last packet');
    await press('g');
    await until((s) => s.includes('Identity request (0x55)'), 'the first packet');
    expect(text()).toContain('3 bytes @0');
  });

  it('takes keys that arrive in one chunk one at a time', async () => {
    const { press, until } = renderApp();
    await press('jj\tj');
    await until((s) => s.includes('Security header type (nas_eps.security_header_type), 4 bits @0') && s.includes('0xa8a82a32'), 'packet 3, second tree row');
  });

  it('summarizes only the rows it shows, so 100 000 packets open at once', async () => {
    const bytes = sampleFrames()[0].bytes;
    const frames: Frame[] = Array.from({ length: 100_000 }, (_, i) => ({ bytes, source: `gen:${i + 1}` }));
    const dissect = vi.fn((f: Frame) => dissectFull(f.bytes, 'nas-eps'));
    const { text, press, until } = renderApp({ frames, dissect });
    await until((s) => s.includes('100000 packets'), 'the first frame');
    // the visible list rows (7 in 24 terminal rows) and the selected packet
    expect(dissect.mock.calls.length).toBeLessThanOrEqual(8);
    await press('G');
    await until((s) => s.includes('100000  -'), 'the last packet');
    expect(dissect.mock.calls.length).toBeLessThanOrEqual(16);
    expect(text().split('\n').length).toBe(24);
  });
});

describe('details tree', () => {
  it('shows bit prefixes and generated fields in brackets, and expands and collapses nodes', async () => {
    const { text, press, until } = renderApp();
    await press('j', 'j', KEY.tab);
    await until((s) => s.includes('0011 .... = Security header type: Integrity protected'), 'the bit prefix');
    expect(text()).toContain('[+] [MAC status: Unverified]');
    await press('j', 'j', 'j', 'j', 'j');
    await until((s) => s.includes('NAS message (nas_eps.nas_message), 21 bytes @6'), 'the NAS message row');
    expect(text()).toContain('[+] NAS-EPS PDU - NAS message');
    await press(KEY.enter);
    await until((s) => s.includes('[-] NAS-EPS PDU - NAS message') && s.includes('        0000 .... = Security header type: Plain NAS message'), 'the expanded message');
    await press('h');
    await until((s) => s.includes('[+] NAS-EPS PDU - NAS message'), 'collapsed again');
    await press('l');
    await until((s) => s.includes('[-] NAS-EPS PDU - NAS message'), 'expanded with l');
    await press('E');
    await until((s) => s.includes('[+] Non-Access-Stratum (NAS)PDU') && !s.includes('Sequence number'), 'everything collapsed');
    await press('e');
    await until((s) => s.includes('[-] Non-Access-Stratum (NAS)PDU') && s.includes('[-] NAS-EPS PDU - NAS message'), 'everything expanded');
  });

  it('shows expert items under their node and goes to the parent with ←', async () => {
    const { press, until } = renderApp();
    await press('G', KEY.tab, 'G');
    await until((s) => s.includes('Mobile identity (nas_eps.ie.mobile_identity), 9 bytes @2'), 'the last row');
    await press(KEY.right);
    await until((s) => s.includes('[Expert Info (Error/Malformed): Mobile identity: length 8 but 0 octets left]'), 'the expert item');
    await press('j', KEY.left);
    await until((s) => s.includes('Mobile identity (nas_eps.ie.mobile_identity), 9 bytes @2'), 'back on the parent');
  });
});

describe('hex pane', () => {
  it('highlights the selected field in inverse video, with a bit strip for bit fields', async () => {
    const { text, press, until } = renderApp();
    await press('j', 'j', KEY.tab, 'j', 'j', 'j');
    await until((s) => s.includes('Message authentication code (nas_eps.msg_auth_code), 4 bytes @1'), 'the MAC selected');
    await until((_, raw) => inverseRun(raw, 'a8 a8 2a 32') && inverseRun(raw, '..*2'), 'the MAC octets highlighted');
    expect(lineWith(text(), '0000 ')).toBe('0000  37 a8 a8 2a 32 00 07 5d 01 00 05 f0 f0 c0 40 70   7..*2..]......@p');
    await press('k');
    await until((s) => s.includes('37 = .... 0111'), 'the bit strip of the protocol discriminator');
    await until((_, raw) => inverseRun(raw, '37') && !inverseRun(raw, '37 a8'), 'only the first octet highlighted');
  });

  it('selects the deepest field under the hex cursor', async () => {
    const { text, press, until } = renderApp();
    await press('j', 'j', KEY.tab, KEY.tab);
    await until((s) => s.includes('── Packet bytes'), 'the hex pane');
    await press(KEY.right);
    await until((s) => s.includes('Message authentication code (nas_eps.msg_auth_code), 4 bytes @1'), 'the MAC under the cursor');
    await press(KEY.down);
    await until((s) => s.includes('Element ID (nas_eps.emm.elem_id), 1 byte @17'), 'the field 16 octets on');
    expect(text()).toContain('[-] HashMME');
  });
});

describe('display filter', () => {
  it('hides the packets a valid filter rejects, in green', async () => {
    const { text, press, until } = renderApp();
    await press('/', 'nas_eps.seq_no == 0');
    await until((_, raw) => raw.includes('\u001b[42m') && raw.includes('nas_eps.seq_no == 0'), 'the draft in green');
    await press(KEY.enter);
    await until((s) => s.includes('1 of 7 packets'), 'the filter applied');
    expect(lineWith(text(), '    3  DL')).toContain('Security mode command');
    expect(text()).not.toContain('Identity request');
    await press('/', KEY.backspace.repeat(19), KEY.enter);
    await until((s) => s.includes('· 7 packets'), 'the filter cleared');
  });

  it('filters from the compiled values when given them, to the same packets, and dissects what they hand over', async () => {
    const ir = defaultGrammar();
    let asked = 0;
    const quick = (names: ReadonlySet<string>) => {
      const values = quickValues(ir, names);
      return values && ((f: Frame, n: number) => (asked++, values(f, n, f.protocol ?? 'nas-eps')));
    };
    const { text, press, until } = renderApp({ quick });
    await press('/', 'nas_eps.seq_no == 0', KEY.enter);
    await until((s) => s.includes('1 of 7 packets'), 'the filter applied');
    expect(lineWith(text(), '    3  DL')).toContain('Security mode command');
    expect(asked).toBe(7);
  });

  it('shows why an invalid filter is invalid, in red, and keeps it from being applied', async () => {
    const { text, press, until } = renderApp();
    await press('/', 'nas_eps.nope == 1');
    await until((s) => s.includes('"nas_eps.nope" is neither a field nor a protocol name. (column 1)'), 'the error');
    expect(text()).toContain('Filter: nas_eps.nope == 1');
    await until((_, raw) => raw.includes('\u001b[41m'), 'red');
    await press(KEY.enter);
    await new Promise((r) => setTimeout(r, 50));
    expect(text()).toContain('· 7 packets');
    expect(text()).toContain('neither a field');
    await press(KEY.escape);
    await until((s) => s.includes('press / to filter'), 'the draft dropped');
  });
});

describe('paste mode', () => {
  it('adds pasted hex as a new packet and selects it', async () => {
    const { text, press, until } = renderApp();
    await press('p');
    await until((s) => s.includes('Paste hex (Enter adds, Esc cancels):'), 'the prompt');
    await press('07 5d 01 00 05 f0 f0 c0 40 70 c1', KEY.enter);
    await until((s) => s.includes('added packet 8') && s.includes('· 8 packets'), 'packet 8');
    expect(lineWith(text(), '    8  -')).toMatch(/NAS-EPS\s+11\s+Security mode command/);
    expect(text()).toContain('NAS EPS Mobility Management Message Type: Security mode command (0x5d)');
  });

  it('reports hex it cannot read and keeps the prompt open', async () => {
    const { press, until } = renderApp();
    await press('p', '07 5z', KEY.enter);
    await until((s) => s.includes('non-hex character "z"'), 'the error');
    await press(KEY.escape);
    await until((s) => s.includes('Non-Access-Stratum (NAS)PDU (nas-eps), 3 bytes @0'), 'the status bar back');
  });
});

describe('help and keys', () => {
  it('opens help with ? and closes it with any key', async () => {
    const { text, press, until } = renderApp();
    await press('?');
    await until((s) => s.includes('Keys (any key closes this help)'), 'the help');
    expect(text()).toMatch(/Tab \/ Shift-Tab\s+next \/ previous pane/);
    expect(text()).toMatch(/p\s+paste hex as a new packet/);
    expect(text()).toMatch(/L\s+ladder diagram of the flow \(as -z flow\); L or Esc: back/);
    expect(text()).toMatch(/Ctrl-F {2}n N\s+find text in the packet rows and details; next \/ previous match/);
    expect(text()).toMatch(/m {2}' "\s+mark \/ unmark the packet; next \/ previous marked packet/);
    expect(text()).toMatch(/c\s+copy mode: ← → wider \/ narrower, Enter copies to the clipboard, Esc leaves/);
    expect(text()).toMatch(/\| {2}\\\s+details and bytes side by side \/ stacked; maximise the pane \/ restore/);
    // the last line fits a 24-row terminal
    expect(text()).toMatch(/\? {2}q\s+this help; quit/);
    await press('x');
    await until((s) => s.includes('Packet details'), 'the panes back');
  });

  it('reloads keys with r and dissects again', async () => {
    const reloadKeys = vi.fn();
    const dissect = vi.fn((f: Frame) => dissectFull(f.bytes, 'nas-eps'));
    const { press, until } = renderApp({ reloadKeys, dissect });
    await until((s) => s.includes('Packet details'), 'the first frame');
    const before = dissect.mock.calls.length;
    await press('r');
    await until((s) => s.includes('keys reloaded'), 'the notice');
    expect(reloadKeys).toHaveBeenCalledOnce();
    expect(dissect.mock.calls.length).toBeGreaterThan(before);
  });

  it('moves the focus with Tab and Shift-Tab', async () => {
    const { press, until } = renderApp();
    await press(KEY.tab);
    await until((_, raw) => raw.includes('\u001b[36m── Packet details'), 'the tree focused');
    await press(KEY.shiftTab);
    await until((_, raw) => raw.includes('\u001b[36m  No.'), 'the list focused');
  });
});

describe('ladder view', () => {
  /** Packet N selected in the list: its row in inverse video. */
  /** The status line's text in the ladder view: the packet under the cursor. */
  const status = (screen: string) => screen.split('\n').at(-1) ?? '';
  const on = (n: number) => (screen: string) => status(screen).startsWith(`packet ${n}:`);
  // the number, then the Time column (the flow captures have timestamps)
  const listed = (raw: string, n: number) => raw.split('\n').some((l) => l.startsWith(`${INVERSE}${String(n).padStart(5)}  `) && /^\d+\.\d{6} /.test(l.slice(INVERSE.length + 7)));

  it('opens with L, only then dissecting every packet, and shows what -z flow prints', async () => {
    const { frames, keys, dissect } = flowCapture('fig-1b');
    const spy = vi.fn(dissect);
    const { text, press, until } = renderApp({ frames, dissect: spy, title: 'flow.pcapng' });
    await until((s) => s.includes('flow.pcapng · 56 packets') && s.includes('Packet details'), 'the packets');
    expect(spy.mock.calls.length).toBeLessThan(frames.length);
    await press('L');
    await until((s) => s.includes('MTC-IWF') && s.includes('UE3'), 'the ladder');
    expect(new Set(spy.mock.calls.map(([f]) => f)).size).toBe(frames.length);

    const screen = text();
    const lines = screen.split('\n');
    expect(lines).toHaveLength(24);
    expect(lines[1].trimEnd()).toMatch(/^ +# step +SCS +MTC-IWF +HSS +MME +UE1 +UE2 +UE3$/);
    // the filter line, the header and 21 rows, each as -z flow prints it (cut to the 100 columns)
    const expected = ladderText(frames, keys, 'nas-eps').split('\n');
    for (let i = 0; i < 22; i++) expect(lines[1 + i].trimEnd()).toBe(fit(expected[i], 100).trimEnd());
    // arrows between the parties' lanes, steps, and message names (cut at 100 columns)
    expect(lineWith(screen, '    1 1 ')).toMatch(/^ {4}1 1 {8}\| {10}\| {10}\| {10}\|<-{9}\| {10}\| {10}\| {7}Attach req…$/);
    expect(lineWith(screen, '    8 x ')).toMatch(/^ {4}8 x {8}\| {10}\|<-{9}\| {10}\|.* {7}Reporting-…$/);
    expect(lineWith(screen, '   10 3 ')).toMatch(/^ {3}10 3 {8}\| {10}\|-{20}>\| {10}\|/);
    expect(lineWith(screen, '      2 ')).toMatch(/^ {6}2 {8}\| {10}\* {10}\|.* {7}MTC-IWF Gr…$/);
    expect(lines[23]).toMatch(/^packet 1: Attach request \(NAS\/S1-MME\) · Enter: show it · L\/Esc: back +flow\.pcapng · 56 packets$/);
  });

  it('moves with j/k/arrows/PgDn, and Enter shows the packet in the list', async () => {
    const { frames, dissect } = flowCapture('fig-1b');
    const { text, press, until } = renderApp({ frames, dissect, title: 'flow.pcapng' });
    await press('L', 'j', 'j', KEY.down);
    await until(on(4), 'the cursor on packet 4');
    expect(status(text())).toMatch(/^packet 4: Authentication request \(NAS\/S1-MME\) · Enter: show it/);
    await until((_, raw) => raw.includes(`${INVERSE}    4 1 `), 'packet 4 in inverse video');
    // 21 rows on: row 24, packet 24 (row 9 is the step before packet 10)
    await press(KEY.pageDown);
    await until(on(24), 'a page down');
    expect(text()).toContain('   24 1 ');
    expect(text()).not.toContain('    1 1 ');
    await press('k', KEY.up);
    await until(on(22), 'two rows up');
    await press(KEY.enter);
    await until((s, raw) => s.includes('Packet details') && listed(raw, 22), 'packet 22 selected in the list');
    expect(text()).toContain('NAS EPS Mobility Management Message Type: Authentication response (0x53)');
    // the ladder keeps its place; Esc goes back too
    await press('L');
    await until(on(22), 'the ladder again, on packet 22');
    await press(KEY.escape);
    await until((s, raw) => s.includes('Packet details') && listed(raw, 22), 'the packets again');
    // another packet selected in the list: the ladder opens on it
    await press('j', 'j', 'j');
    await until((_, raw) => listed(raw, 25), 'packet 25 selected in the list');
    await press('L');
    await until(on(25), 'the ladder on packet 25');
  });

  it('goes from a step inside a node to the packet after it, and keeps a packet the filter hides in the ladder', async () => {
    const { frames, dissect } = flowCapture('fig-1b');
    const { text, press, until } = renderApp({ frames, dissect, title: 'flow.pcapng' });
    await press('L', ...'jjjjjjjjj');
    await until((s) => status(s).startsWith('packet 10, step before it: MTC-IWF Group GW generates Gk_conf'), 'the node step before packet 10');
    await press(KEY.enter);
    await until((_, raw) => listed(raw, 10), 'packet 10 selected');
    await press('/', 'gmsg', KEY.enter);
    await until((s) => s.includes('3 of 56 packets'), 'the filter applied');
    // the ladder opens on the selected (shown) packet; back up to the step before packet 10
    await press('L', 'g', ...'jjjjjjjjj', KEY.enter);
    await until((s) => s.includes('packet 10 is hidden by the filter'), 'the notice');
    await until((s) => s.includes('    1 1 ') && s.includes('MTC-IWF Gr…'), 'still the ladder');
    await press('G', KEY.enter);
    await until((s, raw) => s.includes('Packet details') && listed(raw, 56), 'packet 56 selected');
    expect(lineWith(text(), '   56  ')).toContain('Protected group message');
  });

  it('colours a finding, and scrolls sideways to its text', async () => {
    const { frames, dissect } = flowCapture('fig-1b-replay');
    const { text, press, until } = renderApp({ frames, dissect, title: 'flow.pcapng' });
    await press('L', 'G');
    await until(on(29), 'the last packet');
    const replayed = lineWith(text(), '   29 7 ');
    expect(replayed).toContain('|=========== replayed ==========>|');
    expect(replayed).not.toContain('[warn replayed');
    await until((_, raw) => raw.includes(`\u001b[33m${INVERSE}   29 7 `) || raw.includes(`${INVERSE}\u001b[33m   29 7 `), 'in yellow');
    await press(...'llllllllllllllll');
    await until((s) => s.includes('[warn replayed: sequence number 1 was already received]'), 'the finding');
    // the No. and step columns stay while the lanes pan
    expect(lineWith(text(), '   29 7 ')).toMatch(/^ {3}29 7 {3}\S/);
    expect(text().split('\n')[1]).toMatch(/^ {4}# step/);
    expect(text()).not.toContain('|=========== replayed ==========>|');
    await press(...'hhhhhhhhhhhhhhhh');
    await until((s) => s.includes('   29 7 '), 'back to the left');
  });
});

describe('pane heights', () => {
  it('gives the list no more rows than it has packets, and the rest to the details', async () => {
    const { text, until } = renderApp({ frames: sampleFrames().slice(0, 2) });
    await until((s) => s.includes('Packet details'), 'the panes');
    const lines = text().split('\n');
    const second = lines.findIndex((l) => l.startsWith('    2  '));
    expect(second).toBeGreaterThan(0);
    expect(lines[second + 1]).toContain('Packet details');
  });
});

describe('columns, layout, marks, find and copy mode', () => {
  const CTRL_F = '\u0006';
  const status = (screen: string) => screen.split('\n').at(-1) ?? '';
  /** Packet N selected in the list (in inverse video), marked or not. */
  const selected = (raw: string, n: number) => raw.split('\n').some((l) => l.startsWith(`${INVERSE}${String(n).padStart(5)}`) && /^[ *] /.test(l.slice(INVERSE.length + 5)));

  it('shows the time since the first packet, and the parties of a flow capture as Source and Destination', async () => {
    const { frames, dissect } = flowCapture('fig-1b');
    const { text, until } = renderApp({ frames, dissect, title: 'flow.pcapng' });
    await until((s) => s.includes('flow.pcapng · 56 packets'), 'the packets');
    expect(text()).toMatch(/No\.\s+Time\s+Source\s+Destination\s+Dir\s+Protocol\s+Length\s+Expert\s+Info/);
    // the capture's packets are 10 ms apart; their comments name the parties (step 1 MME->HSS ...)
    expect(lineWith(text(), '    1  ')).toMatch(/^ {4}1 {2}0\.000000 {2}UE1 +MME +- +NAS-EPS +21 +Attach request/);
    expect(lineWith(text(), '    3  ')).toMatch(/^ {4}3 {2}0\.020000 {2}HSS +MME +- +DIAMETER +372 +cmd=Authentication-Inform/);
  });

  it('puts the details and bytes side by side with |, and maximises the focused pane with \\, Tab going through the panes', async () => {
    const { text, press, until } = renderApp();
    await press('|');
    await until((s) => /── Packet details ─+ ── Packet bytes/.test(s), 'details and bytes on one line');
    expect(text().split('\n')).toHaveLength(24);
    // the dump's first line beside the tree's root
    expect(lineWith(text(), '0000  07 55 01')).toMatch(/^\[-\] Non-Access-Stratum \(NAS\)PDU +0000 {2}07 55 01/);
    await press('\\');
    await until((s) => !s.includes('Packet details') && !s.includes('Packet bytes'), 'the list alone');
    expect(text()).toContain('    7  UL');
    await press(KEY.tab);
    await until((s) => s.includes('Packet details') && !s.includes('No.') && !s.includes('Packet bytes'), 'the details alone');
    await press(KEY.tab);
    await until((s) => s.includes('Packet bytes') && !s.includes('Packet details'), 'the bytes alone');
    await press('\\', '|');
    await until((s) => s.includes('No.') && s.includes('── Packet details ──────') && !/Packet details.*Packet bytes/.test(s), 'stacked again');
  });

  it('marks packets with m and goes to the next and previous mark with \' and ", wrapping', async () => {
    const { text, press, until } = renderApp();
    await press('j', 'j', 'm', 'j', 'j', 'j', 'm');
    await until((s) => s.includes('    3* DL') && s.includes('    6* UL'), 'packets 3 and 6 marked');
    expect(text()).toContain('    1  DL');
    await press("'");
    await until((_, raw) => selected(raw, 3), 'the next mark, wrapping round to packet 3');
    await press("'");
    await until((_, raw) => selected(raw, 6), 'packet 6');
    await press('"', '"');
    await until((_, raw) => selected(raw, 6), 'back round to packet 6');
    await press('m', 'g', "'");
    await until((s, raw) => selected(raw, 3) && s.includes('    6  UL'), 'packet 6 unmarked: packet 3 is the only mark');
    await press('m', "'");
    await until((s) => status(s).startsWith('no marked packets: m marks one'), 'no marks');
  });

  it('finds text with ctrl-F in the rows, then n and N go to the next and previous match, wrapping', async () => {
    const { text, press, until } = renderApp();
    await press(CTRL_F);
    await until((s) => status(s).startsWith('Find (Enter searches, Esc cancels):'), 'the find prompt');
    await press('identity RESPONSE', KEY.enter);
    await until((s) => status(s).startsWith('packet 2 matches "identity RESPONSE"'), 'packet 2');
    await press('n');
    await until((s, raw) => status(s).startsWith('packet 7 matches') && selected(raw, 7), 'packet 7');
    await press('n');
    await until((s, raw) => status(s).startsWith('packet 2 matches "identity RESPONSE" (search wrapped)') && selected(raw, 2), 'round to packet 2');
    await press('N');
    await until((s, raw) => status(s).startsWith('packet 7 matches "identity RESPONSE" (search wrapped)') && selected(raw, 7), 'back to packet 7');
    await press(CTRL_F, 'no such text', KEY.enter);
    await until((s) => status(s).startsWith('no match for "no such text"'), 'no match');
    expect(text()).toContain('NAS EPS Mobility Management Message Type: Identity response (0x56)');
  });

  it('finds text in the details, and selects and shows the field', async () => {
    const { text, press, until } = renderApp();
    await press(CTRL_F, 'Replayed UE security', KEY.enter);
    await until((s) => status(s).startsWith('packet 3 matches'), 'packet 3');
    // the first field whose line has the text: the IE, under the NAS message, opened to show it
    await until((_, raw) => raw.includes('\u001b[1m    [+] UE security capability - Replayed UE security capabilities'), 'the field selected');
    expect(text()).toContain('[-] NAS-EPS PDU - NAS message');
    await press(KEY.tab);
    await until((s) => status(s).startsWith('Replayed UE security capabilities (nas_eps.ie.replayed_ue_security'), 'the field in the status bar');
    await until((_, raw) => raw.includes(`${INVERSE}    [+] UE security capability - Replayed UE security capabilities`), 'the field under the cursor');
  });

  it('copies the selected field, a wider one, its bytes and the packet row in copy mode (c, Enter), and leaves it with Esc', async () => {
    const clipboard = vi.fn();
    const { press, until } = renderApp({ clipboard });
    await press('j', 'j', KEY.tab, 'j', 'j', 'j');
    await until((s) => s.includes('Message authentication code (nas_eps.msg_auth_code), 4 bytes @1'), 'the MAC selected');
    await press('c');
    await until((s, raw) => status(s).startsWith('copy mode: Enter copies') && raw.includes('\u001b[43m'), 'copy mode, in yellow');
    await press(KEY.enter);
    await until((s) => status(s).startsWith('copied 39 characters'), 'the notice');
    expect(clipboard).toHaveBeenLastCalledWith('Message authentication code: 0xa8a82a32');

    // wider: the packet's root, every line of it as -V prints it
    await press('c', 'h', KEY.enter);
    await until(() => clipboard.mock.calls.length === 2, 'the second copy');
    const whole = clipboard.mock.lastCall![0] as string;
    expect(whole.split('\n')[0]).toBe('Non-Access-Stratum (NAS)PDU');
    expect(whole).toContain('\n    Message authentication code: 0xa8a82a32\n');
    expect(whole).toContain('\n        NAS EPS Mobility Management Message Type: Security mode command (0x5d)');

    await press(KEY.tab, 'c', KEY.enter);
    await until(() => clipboard.mock.calls.length === 3, 'the bytes copied');
    expect(clipboard).toHaveBeenLastCalledWith('a8a82a32');

    await press(KEY.tab, 'c', KEY.enter);
    await until(() => clipboard.mock.calls.length === 4, 'the row copied');
    expect(clipboard.mock.lastCall![0]).toMatch(/^ {4}3 {2}DL {3}NAS-EPS {7}27 {2}Chat {5}Security mode command$/);

    await press('c', KEY.escape);
    await until((s) => status(s).startsWith('Message authentication code (nas_eps.msg_auth_code), 4 bytes @1'), 'copy mode left');
    expect(clipboard).toHaveBeenCalledTimes(4);
  });
});
