/**
 * Smoke test of the real binary as a user runs it, in a tmux pane. It needs tmux and fails without it
 * (CI installs tmux). CI=false because ink draws nothing until exit when it thinks it runs in CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineWith, SAMPLES } from './helpers.js';

// a server of our own (-S), so that the user's tmux sessions are left alone
const socketDir = mkdtempSync(join(tmpdir(), 'mtcgk-tui-'));
const target = 'smoke';
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', join(socketDir, 'socket'), ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', target);
const keys = async (...k: string[]) => {
  for (const key of k) {
    tmux('send-keys', '-t', target, key);
    await new Promise((r) => setTimeout(r, 150));
  }
};

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
});
