/**
 * Differential oracle: tshark (Wireshark 4.0's packet-nas_eps.c) decodes the same inputs, and the
 * values of fields both decoders define are compared. Inputs go in batches through one pcapng
 * (USER0, DLT 147, mapped to nas-eps with the user_dlts table) and one tshark run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dissectFull } from '../api.js';
import { writePcapng } from '../io/index.js';
import { fieldValues } from '../output/fields.js';

/** Integer fields whose meaning and layout tshark 4.0 and this grammar share. */
export const ORACLE_FIELDS = [
  'nas_eps.security_header_type',
  'gsm_a.L3_protocol_discriminator',
  'nas_eps.nas_msg_emm_type',
  'nas_eps.nas_msg_esm_type',
  'nas_eps.bearer_id',
  'nas_eps.esm.proc_trans_id',
  'nas_eps.msg_auth_code',
  'nas_eps.seq_no',
  'nas_eps.emm.cause',
  'nas_eps.esm.cause',
  'nas_eps.emm.EPS_attach_result',
  'nas_eps.emm.eps_att_type',
  'nas_eps.emm.id_type2',
  'nas_eps.emm.type_of_id',
  'nas_eps.emm.nas_key_set_id',
  'nas_eps.emm.service_type',
  'nas_eps.emm.m_tmsi',
  'nas_eps.emm.mme_code',
  'nas_eps.emm.tai_tac',
  'nas_eps.esm.qci',
];

const UAT = 'uat:user_dlts:"User 0 (DLT=147)","nas-eps","0","","0",""';

export interface Disagreement {
  field: string;
  ours: string;
  theirs: string;
}

/** One value list as a comparable string: numbers in decimal whatever the base, in order. */
function normal(list: string): string {
  if (!list) return '';
  return list
    .split(',')
    .map((v) => {
      const t = v.trim().toLowerCase();
      if (/^0x[0-9a-f]+$/.test(t) || /^\d+$/.test(t)) return BigInt(t).toString();
      return t;
    })
    .join(',');
}

export function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class TsharkOracle {
  private dir = mkdtempSync(join(tmpdir(), 'mtcgk-oracle-'));
  runs = 0;

  constructor(readonly fields: string[] = ORACLE_FIELDS) {}

  /** tshark's values of the fields, one map per input (aggregated occurrences joined by ','). */
  theirs(inputs: Uint8Array[]): Array<Map<string, string>> {
    const file = join(this.dir, 'batch.pcapng');
    writeFileSync(
      file,
      writePcapng(
        inputs.map((bytes, i) => ({ bytes, protocol: 'nas-eps', source: `#${i + 1}` })),
        { linkType: 147 },
      ),
    );
    const args = ['-o', UAT, '-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', ...this.fields.flatMap((f) => ['-e', f])];
    const text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    this.runs++;
    const out = inputs.map(() => new Map<string, string>());
    for (const line of text.split('\n')) {
      if (!line) continue;
      const [num, ...cols] = line.split('\t');
      const m = out[Number(num) - 1];
      if (!m) continue;
      this.fields.forEach((f, i) => m.set(f, cols[i] ?? ''));
    }
    return out;
  }

  /** Our values of the same fields. */
  ours(bytes: Uint8Array): Map<string, string> {
    const values = fieldValues([dissectFull(bytes, 'nas-eps').tree]);
    return new Map(this.fields.map((f) => [f, (values.get(f) ?? []).join(',')]));
  }

  /** For each input, the fields where the two decoders disagree. */
  compare(inputs: Uint8Array[]): Disagreement[][] {
    const theirs = this.theirs(inputs);
    return inputs.map((b, i) => {
      const ours = this.ours(b);
      const diffs: Disagreement[] = [];
      for (const f of this.fields) {
        const o = ours.get(f) ?? '';
        const t = theirs[i].get(f) ?? '';
        if (normal(o) !== normal(t)) diffs.push({ field: f, ours: o, theirs: t });
      }
      return diffs;
    });
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
