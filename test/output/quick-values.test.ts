import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/cli/catalogue.js';
import { compileFilter, filterFields } from '../../src/filter/index.js';
import { defaultGrammar } from '../../src/grammar/default.js';
import { readFrames } from '../../src/io/index.js';
import { packetValues } from '../../src/output/fields.js';
import { quickValues } from '../../src/output/quick-values.js';
import { dissectFrame } from '../../src/stream/index.js';

// Values from the compiled decoder against those of the tree, for what -Y, -T fields and the TUI's
// filter read: on every message of the shipped captures, every filter gives the same verdict.
const ir = defaultGrammar();
const captures = [
  'captures/nas-eps-samples.txt',
  'captures/nas-eps-protected.txt',
  'captures/group-keys-nas.txt',
  'captures/group-messages.txt',
  'captures/diameter.pcapng',
  'captures/flows/fig-1a/flow.pcapng',
];
const frames = captures.flatMap((file) => readFrames(readFileSync(file), { source: file }).map((f, i) => ({ f, number: i + 1, protocol: f.protocol ?? 'nas-eps' })));

const FILTERS = [
  'nas_eps.nas_msg_emm_type == 0x41',
  'nas_eps.security_header_type > 0 && !nas_eps.nas_msg_esm_type',
  'nas_eps.msg_auth_code',
  'frame.number <= 3 || nas-eps',
  'gmsg && gmsg.seq > 1 && gmsg.gki',
  'diameter.flags.request == 1',
  'frame.direction == "dl" and nas_eps.nas_msg_emm_type in {0x42, 0x44}',
];

describe('quick values', () => {
  it.each(FILTERS)('match the tree for -Y %s', (text) => {
    const names = filterFields(text, catalogue);
    const quick = quickValues(ir, names);
    const predicate = compileFilter(text, catalogue);
    let quickly = 0;
    for (const { f, number, protocol } of frames) {
      const values = quick?.(f, number, protocol);
      if (!values) continue;
      quickly++;
      const full = packetValues(dissectFrame(f, protocol, { direction: f.direction }), { number, source: f.source, direction: f.direction });
      expect(predicate(values), `${f.source}`).toBe(predicate(full));
      for (const n of names) expect(values.get(n), `${f.source} ${n}`).toEqual(full.get(n));
    }
    // Filters on the fields a grammar decodes take the quick path for most messages.
    if (quick) expect(quickly).toBeGreaterThan(frames.length / 2);
  });

  it('has no quick path for names only the tree has', () => {
    for (const name of ['_ws.col.Info', '_ws.expert.id', 'nas_eps.msg_auth_code.status', 'nas_eps.emm.elem_id']) expect(quickValues(ir, [name])).toBeUndefined();
  });
});
