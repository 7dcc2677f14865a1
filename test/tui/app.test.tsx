import { afterEach, describe, expect, it, vi } from 'vitest';

// Before ink (and chalk) load: keep the styles in the frames so highlighting can be asserted.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { cleanup } from 'ink-testing-library';
import { dissectFull } from '../../src/index.js';
import type { Frame } from '../../src/io/index.js';
import { KEY, lineWith, renderApp, sampleFrames } from './helpers.js';

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
    await until((s) => s.includes('Element ID (nas_eps.elem_id), 1 byte @17'), 'the field 16 octets on');
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
