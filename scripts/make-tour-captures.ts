/**
 * Writes the small pcapng captures the README's tour opens: captures/nas-eps-samples.pcapng (the
 * sample messages, as `mtcgk convert --to pcapng` writes them) and captures/diameter.pcapng (the
 * Diameter messages of the Figure 1.b flow). Both use the exported-PDU link type, which Wireshark
 * opens with no settings. Run: npx tsx scripts/make-tour-captures.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LINKTYPE_EXPORTED_PDU, readFrames, writePcapng, type Frame } from '../src/io/index.js';

const path = (name: string) => new URL(`../captures/${name}`, import.meta.url);
const read = (name: string): Frame[] => readFrames(readFileSync(path(name)), { source: name });
// fixed times, so that the files are the same on every run
const timed = (frames: Frame[]) => frames.map((f, i) => ({ ...f, time: 1_700_000_000 + i / 10 }));

const samples = read('nas-eps-samples.txt').map((f) => ({ ...f, protocol: 'nas-eps' }));
writeFileSync(path('nas-eps-samples.pcapng'), writePcapng(timed(samples), { linkType: LINKTYPE_EXPORTED_PDU }));

const diameter = read('flows/fig-1b/flow.pcapng').filter((f) => f.protocol === 'diameter');
writeFileSync(path('diameter.pcapng'), writePcapng(timed(diameter), { linkType: LINKTYPE_EXPORTED_PDU }));
