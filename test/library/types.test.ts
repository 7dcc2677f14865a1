/**
 * The generated types describe the values the library really gives and takes: decoded sample
 * captures and grammar-derived arbitrary values must type-check as their protocol's message union,
 * and the typed encode/decode overloads accept and reject what they should. Runs tsc on a file
 * written here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Arbitraries, defaultGrammar, dissectFull, parseKeys, readFrames, SecuritySession } from '../../src/index.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mtcgk-types-'));

function values(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (protocol: string, v: unknown) => (out[protocol] ??= []).push(JSON.stringify(v));
  const keysOf = (f: string) => (f.startsWith('group') ? 'group-keys.keys.json' : 'nas-eps-protected.keys.json');
  for (const file of ['nas-eps-samples.txt', 'nas-eps-protected.txt', 'group-keys-nas.txt', 'group-keys-audit.txt', 'group-messages.txt', 'group-messages-attacks.txt']) {
    const text = readFileSync(join(repo, 'captures', file));
    const session = new SecuritySession(parseKeys(readFileSync(join(repo, 'captures', keysOf(file)), 'utf8'), 'keys'));
    const protocol = file.startsWith('group-messages') ? 'gmsg' : 'nas-eps';
    for (const f of readFrames(text, { source: file })) {
      const r = dissectFull(f.bytes, protocol, { session, direction: f.direction });
      if (!r.expert.some((e) => e.group === 'malformed')) add(protocol, r.value);
    }
  }
  const ir = defaultGrammar();
  const arb = new Arbitraries(ir);
  for (const [name, protocol] of ir.messageProtocols) {
    if (!arb.ir.protocols.has(protocol)) continue;
    try {
      for (const v of fc.sample(arb.message(name, protocol), { numRuns: 1, seed: 7 })) add(protocol, v);
    } catch {
      // a message only reachable nested in another (not at its protocol's root)
    }
  }
  return out;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generated types', () => {
  it('type-check decoded captures and arbitrary values, and the typed encode/decode', () => {
    const vals = values();
    expect(Object.keys(vals)).toEqual(expect.arrayContaining(['nas-eps', 'gmsg']));
    const src = (p: string) => JSON.stringify(join(repo, p).replace(/\.ts$/, '.js'));
    const lines = [
      `import type { MessageByName } from ${src('src/types/messages.ts')};`,
      `import { decode, encode, fromHex, type Messages } from ${src('src/index.ts')};`,
      // each value against its message's type (checking against the whole union is much slower)
      ...Object.values(vals).flatMap((vs) => vs.map((v, i) => `export const v${i}_${JSON.parse(v).message}: MessageByName<${JSON.stringify(JSON.parse(v).message)}> = ${v};`)),
      `encode({ message: 'identity_request', identity_type: { type: 1 } });`,
      `encode<Messages.AttachReject>({ message: 'attach_reject', emm_cause: { cause: 3 } });`,
      `const u: unknown = JSON.parse('{}'); encode(u, 'gmsg');`,
      `const loose: Record<string, unknown> = { message: 'identity_request' }; encode(loose);`,
      `const d = decode(fromHex('075501')); if (d.message === 'identity_request') { const t: number = d.identity_type.type; void t; } encode(d);`,
      `const g: Messages.GroupMessage = decode(fromHex('10'), 'gmsg'); void g;`,
      `// @ts-expect-error a mandatory IE is missing`,
      `encode({ message: 'identity_request' });`,
      `// @ts-expect-error a field of the wrong type`,
      `encode({ message: 'identity_request', identity_type: { type: 'imsi' } });`,
      `// @ts-expect-error an IE the message does not have`,
      `encode({ message: 'identity_request', identity_type: { type: 1 }, emm_cause: { cause: 3 } });`,
      `// @ts-expect-error a field the IE does not have`,
      `encode({ message: 'identity_request', identity_type: { type: 1, kind: 2 } });`,
      `// @ts-expect-error no such message`,
      `const n: Messages.AnyNasEpsMessage = { message: 'no_such_message' }; void n;`,
      '',
    ];
    writeFileSync(join(dir, 'values.ts'), lines.join('\n'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(repo, 'node_modules/@types')],
        },
        files: ['values.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      output = (e as { stdout: string }).stdout;
    }
    expect(output).toBe('');
  }, 60_000);
});
