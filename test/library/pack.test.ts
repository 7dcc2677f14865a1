/**
 * The published package: `npm pack` (which builds dist/ with the prepare script, here in a copy of
 * the package so the work tree's dist/ is left alone), `npm install <tarball>` in an empty project,
 * then the package used by its name, as a user would.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKTYPE_EXPORTED_PDU, readFrames, writePcapng } from '../../src/index.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mtcgk-pack-'));
const project = join(dir, 'project');
const sh = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
const node = (code: string) => sh(process.execPath, ['--input-type=module', '-e', code], project).trim();

describe('npm pack, npm install, import from the package name', () => {
  beforeAll(() => {
    const pkg = join(dir, 'pkg');
    for (const p of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'grammars', 'docs/library.md']) cpSync(join(repo, p), join(pkg, p), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    sh('npm', ['pack', '--pack-destination', dir], pkg);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'mtcgk-user', private: true, type: 'module' }));
    sh('npm', ['install', '--prefer-offline', '--no-package-lock', join(dir, tarball)], project);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('dissects 075501 through the package root', () => {
    const out = node(`
      import { dissect } from 'mtcgk';
      const tree = dissect(Uint8Array.from([0x07, 0x55, 0x01]), 'nas-eps');
      const shape = (n) => ({ filter: n.filter, bitOffset: n.bitOffset, bitLength: n.bitLength, expert: n.expert.length, children: n.children.map(shape) });
      console.log(JSON.stringify({ value: tree.value, shape: shape(tree) }));
    `);
    const { value, shape } = JSON.parse(out);
    expect(value).toEqual({ message: 'identity_request', identity_type: { type: 1 } });
    expect(shape).toMatchObject({ filter: 'nas-eps', bitOffset: 0, bitLength: 24, expert: 0 });
    expect(shape.children.map((c: { filter: string }) => c.filter)).toEqual(expect.arrayContaining(['nas_eps.security_header_type', 'gsm_a.L3_protocol_discriminator', 'nas_eps.nas_msg_emm_type']));
    const type = shape.children.find((c: { filter: string }) => c.filter === 'nas_eps.nas_msg_emm_type');
    expect(type).toMatchObject({ bitOffset: 8, bitLength: 8 });
  });

  it('exports the library API, the Node additions and package.json, and nothing deep', () => {
    const out = node(`
      import * as m from 'mtcgk';
      import * as n from 'mtcgk/node';
      import { createRequire } from 'node:module';
      const pkg = createRequire(import.meta.url)('mtcgk/package.json');
      const bytes = m.encode({ message: 'identity_request', identity_type: { type: 1 } });
      let deep = 'allowed';
      try { await import('mtcgk/dist/engine/dissect.js'); } catch (e) { deep = e.code; }
      console.log(JSON.stringify({
        hex: m.toHex(bytes), decoded: m.decode(bytes).message, version: pkg.version, deep,
        api: ['dissectFull', 'protect', 'unprotect', 'parseKeys', 'SecuritySession', 'protectGroupMessage', 'verifyGroupMessage',
          'deriveGroupKeys', 'readPcapng', 'writePcapng', 'readFrames', 'Arbitraries', 'dissectStream'].filter((k) => typeof m[k] !== 'function'),
        node: typeof n.dissectFile, tui: import.meta.resolve('mtcgk/tui').endsWith('/dist/tui/index.js'),
      }));
    `);
    expect(JSON.parse(out)).toEqual({ hex: '075501', decoded: 'identity_request', version: expect.any(String), deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED', api: [], node: 'function', tui: true });
  });

  it('runs examples/decode-pcapng.mjs on a pcapng with keys', () => {
    const frames = readFrames(readFileSync(join(repo, 'captures/nas-eps-protected.txt')), { source: 'p' });
    writeFileSync(join(project, 'caps.pcapng'), writePcapng(frames, { linkType: LINKTYPE_EXPORTED_PDU }));
    cpSync(join(repo, 'examples/decode-pcapng.mjs'), join(project, 'decode-pcapng.mjs'));
    const out = sh(process.execPath, ['decode-pcapng.mjs', 'caps.pcapng', '--keys', join(repo, 'captures/nas-eps-protected.keys.json')], project)
      .trim()
      .split('\n');
    expect(out).toHaveLength(frames.length);
    expect(out[0]).toMatch(/^ *1 {2}DL {2}security_mode_command {2}MAC good$/);
    expect(out[2]).toMatch(/^ *3 {2}DL {2}identity_request {2}MAC good$/);
  });

  it('installs the mtcgk command', () => {
    expect(sh(join(project, 'node_modules/.bin/mtcgk'), ['--hex', '075501', '-T', 'fields', '-e', 'nas_eps.nas_msg_emm_type'], project).trim()).toBe('0x55');
  });
});
