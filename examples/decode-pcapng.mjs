#!/usr/bin/env node
// Decodes a capture with the mtcgk package API: a pcapng (or pcap, hex lines, any format mtcgk reads),
// optionally with a keys file to verify MACs and decipher. One line per message, or its value as JSON.
//
//   node examples/decode-pcapng.mjs CAPTURE.pcapng [--keys KEYS.json] [--proto nas-eps|gmsg] [--json]
//
// In this repository `mtcgk` resolves to the package itself (build it first: npm install runs the build).
import { readFileSync } from 'node:fs';
import { dissectFull, INBOUND, parseKeys, readFrames, SecuritySession, walk } from 'mtcgk';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const json = args.includes('--json') && args.splice(args.indexOf('--json'), 1);
const keysFile = option('--keys');
const protocol = option('--proto') ?? 'nas-eps';
const [file] = args;
if (!file) {
  console.error('usage: node examples/decode-pcapng.mjs CAPTURE.pcapng [--keys KEYS.json] [--proto nas-eps|gmsg] [--json]');
  process.exit(1);
}

// Frames from the file: pcapng blocks, each with its bytes, protocol (exported PDU tags or the link type),
// direction (EPB flags: inbound is downlink, as seen from the UE) and time.
const frames = readFrames(readFileSync(file), { source: file, inboundDirection: INBOUND });
// One security session for the whole capture: NAS COUNT and the algorithms of a Security Mode Command carry over.
const session = new SecuritySession(keysFile ? parseKeys(readFileSync(keysFile, 'utf8'), keysFile) : undefined);

/** Message names in a decoded value, outermost first (a protected message names its inner message). */
function names(value) {
  const out = [];
  const visit = (v) => {
    if (!v || typeof v !== 'object') return;
    if (typeof v.message === 'string' && v.message !== 'security_protected_nas_message') out.push(v.message);
    Object.values(v).forEach(visit);
  };
  visit(value);
  return out.length ? out.join(' > ') : value?.message === 'security_protected_nas_message' ? '(ciphered)' : 'unknown';
}

frames.forEach((frame, i) => {
  const r = dissectFull(frame.bytes, frame.protocol ?? protocol, { session, direction: frame.direction });
  if (json) return console.log(JSON.stringify({ number: i + 1, direction: frame.direction, value: r.value }));
  const mac = [...walk(r.tree)].find((n) => n.filter === 'nas_eps.msg_auth_code.status' || n.filter === 'gmsg.mac.status')?.show;
  const problems = r.expert.filter((e) => e.severity === 'error' || e.severity === 'warn').map((e) => e.id);
  console.log([String(i + 1).padStart(4), (frame.direction ?? '-').toUpperCase(), names(r.value), mac ? `MAC ${mac}` : '', problems.join(',')].filter(Boolean).join('  '));
});
