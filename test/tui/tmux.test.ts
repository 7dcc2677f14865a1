/**
 * Smoke test of the real binary as a user runs it, in a tmux pane. It needs tmux and fails without it
 * (CI installs tmux). CI=false because ink draws nothing until exit when it thinks it runs in CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../../src/tui/fit.js';
import { lineWith, SAMPLES } from './helpers.js';

// a server of our own (-S), so that the user's tmux sessions are left alone
const socketDir = mkdtempSync(join(tmpdir(), 'mtcgk-tui-'));
// the session (window) the helpers below talk to
let target = 'smoke';
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', join(socketDir, 'socket'), ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', target);
const keys = async (...k: string[]) => {
  for (const key of k) {
    tmux('send-keys', '-t', target, key);
    await new Promise((r) => setTimeout(r, 150));
  }
};

/** The status line. */
const lastLine = (s: string) => s.trimEnd().split('\n').at(-1) ?? '';

async function until(ok: (s: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (ok(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mtcgk FILE on a terminal (tmux)', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }, 180_000);
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // the server is already gone
    }
    rmSync(socketDir, { recursive: true, force: true });
  });

  it('shows the three panes, expands a field, filters, and quits cleanly with q', async () => {
    expect(() => execFileSync('tmux', ['-V']), 'tmux must be installed').not.toThrow();
    tmux('new-session', '-d', '-s', target, '-x', '140', '-y', '45', `CI=false node bin/mtcgk.js ${SAMPLES}; echo "mtcgk exited with $?"; sleep 60`);
    await until((s) => s.includes('Packet details') && s.includes('· 7 packets'), 'the first frame');

    await keys('j', 'j', 'Tab', 'j', 'j', 'j', 'j', 'j');
    await until((s) => s.includes('NAS message (nas_eps.nas_message), 21 bytes @6'), 'the NAS message selected');
    await keys('Enter');
    const panes = await until((s) => s.includes('[-] NAS-EPS PDU - NAS message'), 'the NAS message expanded');
    expect(panes.split('\n')[0]).toContain('Filter: press / to filter');
    expect(lineWith(panes, '    1  DL')).toMatch(/NAS-EPS\s+3\s+Identity request/);
    expect(lineWith(panes, '    4  DL')).toContain('Attach accept');
    expect(panes).toContain('      Message authentication code: 0xa8a82a32');
    expect(panes).toContain('        NAS EPS Mobility Management Message Type: Security mode command (0x5d)');
    expect(panes).toContain('0000  37 a8 a8 2a 32 00 07 5d 01 00 05 f0 f0 c0 40 70   7..*2..]......@p');
    expect(panes).toContain('0010  c1 4f 08 a3 5e 5f 59 12 50 6a d4                  .O..^_Y.Pj.');
    expect(panes.trimEnd().split('\n').at(-1)).toMatch(/^NAS message \(nas_eps\.nas_message\), 21 bytes @6 +test\/fixtures\/tui\/samples\.txt · 7 packets$/);

    await keys('/');
    tmux('send-keys', '-t', target, '-l', 'nas_eps.nas_msg_emm_type in {0x55, 0x5d}');
    await keys('Enter');
    const filtered = await until((s) => s.includes('2 of 7 packets'), 'the filter applied');
    expect(filtered.split('\n')[0]).toContain('Filter: nas_eps.nas_msg_emm_type in {0x55, 0x5d}');
    expect(lineWith(filtered, '    1  DL')).toContain('Identity request');
    expect(lineWith(filtered, '    3  DL')).toContain('Security mode command');
    expect(filtered).not.toContain('Attach accept');

    await keys('q');
    const after = await until((s) => s.includes('mtcgk exited with'), 'the exit');
    expect(after).toContain('mtcgk exited with 0');
    // the alternate screen is gone: nothing of the panes is left behind
    expect(after).not.toContain('Packet details');
  }, 90_000);

  it('switches to the ladder of a flow capture with L, moves, and goes to a packet with Enter', async () => {
    const flow = 'captures/flows/fig-1a';
    target = 'ladder';
    tmux('new-session', '-d', '-s', target, '-x', '140', '-y', '45', `CI=false node bin/mtcgk.js ${flow}/flow.pcapng --keys ${flow}/keys.json; echo "mtcgk exited with $?"; sleep 60`);
    await until((s) => s.includes('Packet details') && s.includes('· 51 packets'), 'the first frame');

    await keys('L');
    const ladder = await until((s) => s.includes('# step'), 'the ladder');
    const lines = ladder.trimEnd().split('\n');
    expect(lines).toHaveLength(45);
    expect(lines[0]).toContain('Filter: press / to filter');
    expect(lines[1]).toMatch(/^ +# step +SCS +MTC-IWF +HSS +MME +UE1 +UE2 +UE3$/);
    // the header and 42 rows are what -z flow prints, cut to the pane's 140 columns
    const expected = execFileSync('node', ['bin/mtcgk.js', '-z', 'flow', '-r', `${flow}/flow.pcapng`, '--keys', `${flow}/keys.json`], { encoding: 'utf8' }).split('\n');
    for (let i = 0; i < 43; i++) expect(lines[1 + i].trimEnd()).toBe(fit(expected[i], 140).trimEnd());
    expect(lineWith(ladder, '    1 2 ')).toMatch(/^ {4}1 2 {8}\| {10}\|-{9}>\| {10}\|.* {7}Subscriber-Information-Request \(SIR, group keys\)/);
    expect(lineWith(ladder, '   12 4 ')).toMatch(/\| {10}\|-{9}>\| {10}\| {10}\| {7}Security mode command \(ciphered group keys\)/);
    expect(lineWith(ladder, '   27 3 ')).toMatch(/\|<-{31}\| {7}Attach request \(NAS\/S1-MME\)$/);
    expect(lineWith(ladder, '   38 5 ')).toMatch(/^ {3}38 5 {8}\|-{9}>\|.*Device-Action-Request \(DAR, group message\) \(Tsp\)$/);
    expect(lineWith(ladder, '      6 ')).toMatch(/^ {6}6 {8}\| {10}\* {10}\|.*MTC-IWF protects group message 1/);
    expect(lines.at(-1)).toMatch(/^packet 1, step before it: MTC-IWF Group GW generates .* captures\/flows\/fig-1a\/flow\.pcapng · 51 packets$/);

    // rows: the step before packet 1, packets 1 and 2, the step before packet 3, packets 3..39, a step, 40, 41, 42
    await keys('j', 'j', 'Down', 'NPage', 'k');
    const moved = await until((s) => lastLine(s).startsWith('packet 42:'), 'the cursor on packet 42');
    expect(lastLine(moved)).toMatch(/^packet 42: Device-Action-Request \(DAR, group message\) \(Tsp\) · Enter: show it · L\/Esc: back +captures/);
    expect(moved).toContain('   43 5 ');
    expect(moved).not.toContain('    1 2 ');

    await keys('Enter');
    const packet = await until((s) => s.includes('Packet details'), 'the packets');
    // 10 ms apart; the SCS sends the Device-Action-Request to the MTC-IWF
    expect(lineWith(packet, '   42  ')).toMatch(/^ {3}42 {2}0\.410000 {2}SCS +MTC-IWF +- +DIAMETER\s+476\s+cmd=Device-Action Request\(8388639\) flags=RP-- appl=3GPP Tsp/);
    expect(lastLine(packet)).toMatch(/^Diameter \(diameter\), 476 bytes @0 +captures\/flows\/fig-1a\/flow\.pcapng · 51 packets$/);

    await keys('L');
    await until((s) => lastLine(s).startsWith('packet 42:'), 'the ladder again, on packet 42');
    await keys('Escape');
    await until((s) => s.includes('Packet details'), 'the packets again');
    await keys('q');
    const after = await until((s) => s.includes('mtcgk exited with'), 'the exit');
    expect(after).toContain('mtcgk exited with 0');
    expect(after).not.toContain('# step');
  }, 90_000);

  it('shows every match of a filter after scrolling to the end (G), and -Y and -c given on the command line', async () => {
    target = 'viewport';
    tmux('new-session', '-d', '-s', target, '-x', '120', '-y', '40', `CI=false node bin/mtcgk.js captures/nas-eps-samples.txt; echo "mtcgk exited with $?"; sleep 60`);
    await until((s) => s.includes('Packet details') && s.includes('· 65 packets'), 'the first frame');
    await keys('G');
    await until((s) => s.includes('   65  '), 'the last packet');
    await keys('/');
    tmux('send-keys', '-t', target, '-l', 'nas_eps.emm.cause');
    await keys('Enter');
    const filtered = await until((s) => s.includes('4 of 65 packets'), 'the filter applied');
    // every match is on screen, the last one selected
    expect(lineWith(filtered, '    5  DL')).toContain('Attach reject');
    expect(lineWith(filtered, '    7  UL')).toContain('Authentication failure');
    expect(lineWith(filtered, '   44  UL')).toContain('EMM status');
    expect(lineWith(filtered, '   60  DL')).toContain('Service reject');
    await keys('q');
    await until((s) => s.includes('mtcgk exited with 0'), 'the exit');

    target = 'cmdline';
    tmux('new-session', '-d', '-s', target, '-x', '120', '-y', '40', `CI=false node bin/mtcgk.js -Y 'nas_eps.emm.cause' -c 50 captures/nas-eps-samples.txt; echo "mtcgk exited with $?"; sleep 60`);
    const opened = await until((s) => s.includes('3 of 50 packets'), 'the -Y filter applied to the first 50 packets');
    expect(opened.split('\n')[0]).toContain('Filter: nas_eps.emm.cause');
    expect(lineWith(opened, '    5  DL')).toContain('Attach reject');
    expect(lineWith(opened, '   44  UL')).toContain('EMM status');
    expect(opened).not.toContain('Service reject');
    await keys('q');
    await until((s) => s.includes('mtcgk exited with 0'), 'the exit');
  }, 90_000);

  it('shows Time, Source and Destination of a pcapng, marks, finds, switches the layout and copies to the clipboard', async () => {
    target = 'termshark';
    const file = 'captures/diameter.pcapng';
    tmux('new-session', '-d', '-s', target, '-x', '140', '-y', '45', `CI=false node bin/mtcgk.js ${file}; echo "mtcgk exited with $?"; sleep 60`);
    // tmux keeps what the program sends with OSC 52 as a paste buffer
    tmux('set-option', '-s', 'set-clipboard', 'on');
    const opened = await until((s) => s.includes('Packet details') && s.includes('· 26 packets'), 'the first frame');
    expect(opened.split('\n')[1]).toMatch(/^ +No\. +Time +Source +Destination +Dir +Protocol +Length +Expert +Info/);
    // the packets are 100 ms apart, and their comments name the parties (step 1 MME->HSS S6a diameter ...)
    expect(lineWith(opened, '    1  ')).toMatch(/^ {4}1 {2}0\.000000 {2}MME +HSS +- +DIAMETER +392 +cmd=Authentication-Information Request/);
    expect(lineWith(opened, '    2  ')).toMatch(/^ {4}2 {2}0\.100000 {2}HSS +MME +- +DIAMETER +372 +cmd=Authentication-Information Answer/);
    expect(lineWith(opened, '    4  ')).toMatch(/^ {4}4 {2}0\.300000 {2}HSS +MME +- +DIAMETER +332 +cmd=Update-Location Answer/);

    await keys('j', 'm');
    await until((s) => s.includes('    2* 0.100000'), 'packet 2 marked');
    await keys('G');
    await until((s) => s.includes('   26  2.500000') && !s.includes('    2* '), 'the last packet');
    await keys("'");
    await until((s) => s.includes('    2* 0.100000') && lastLine(s).startsWith('Diameter (diameter), 372 bytes @0'), 'back on packet 2 (372 bytes)');

    await keys('C-f');
    tmux('send-keys', '-t', target, '-l', 'update-location');
    await keys('Enter');
    await until((s) => lastLine(s).startsWith('packet 3 matches "update-location"'), 'the first match after packet 2');
    await keys('n');
    await until((s) => lastLine(s).startsWith('packet 4 matches "update-location"'), 'the next match');
    await keys('N');
    await until((s) => lastLine(s).startsWith('packet 3 matches "update-location"'), 'the previous match');

    await keys('|');
    await until((s) => /^── Packet details ─+ ── Packet bytes \[Frame\] ─+$/m.test(s), 'the details and bytes side by side');
    await keys('\\');
    const maximised = await until((s) => !s.includes('Packet details'), 'the list maximised');
    expect(lineWith(maximised, '   26  ')).toMatch(/^ {3}26 {2}2\.500000 /);
    await keys('\\');
    await until((s) => s.includes('Packet details'), 'the panes back');

    // the details of packet 3, copied from the root: what -V prints for it
    await keys('Tab', 'c', 'Enter');
    const copied = await until((s) => /^copied \d+ characters/.test(lastLine(s)), 'the copy');
    const printed = execFileSync('node', ['bin/mtcgk.js', '-r', file, '-V', '-Y', 'frame.number == 3'], { encoding: 'utf8' }).split('\n');
    const tree = printed.slice(1, printed.indexOf('', 1)).join('\n');
    expect(tmux('show-buffer')).toBe(tree);
    expect(lastLine(copied)).toMatch(new RegExp(`^copied ${tree.length} characters`));

    await keys('q');
    await until((s) => s.includes('mtcgk exited with 0'), 'the exit');
  }, 90_000);

  it('adds a pasted hexdump -C line as a packet', async () => {
    target = 'paste';
    tmux('new-session', '-d', '-s', target, '-x', '120', '-y', '40', `CI=false node bin/mtcgk.js ${SAMPLES}; echo "mtcgk exited with $?"; sleep 60`);
    await until((s) => s.includes('Packet details') && s.includes('· 7 packets'), 'the first frame');
    await keys('p');
    await until((s) => s.includes('Paste hex'), 'the paste prompt');
    tmux('send-keys', '-t', target, '-l', '00000000  07 55 01                                          |.U.|');
    await keys('Enter');
    const added = await until((s) => s.includes('· 8 packets'), 'the pasted packet');
    expect(lastLine(added)).toContain('added packet 8');
    expect(lineWith(added, '    8  -')).toMatch(/NAS-EPS\s+3\s+Identity request/);
    await keys('q');
    await until((s) => s.includes('mtcgk exited with 0'), 'the exit');
  }, 90_000);
});
