/** EEA/EIA throughput per algorithm on 1 kB messages, against EEA0 (a copy) in the same run. */
import { encrypt, mac, type AlgId } from '../src/security/algorithms.js';
import { measure, table } from './harness.js';

const key = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
const data = Uint8Array.from({ length: 1024 }, (_, i) => i & 0xff);

export function cryptoBench(): string {
  const names = ['0', '1 (SNOW 3G)', '2 (AES)', '3 (ZUC)'];
  const rows = ([0, 1, 2, 3] as AlgId[]).flatMap((alg) => [
    measure(`EEA${names[alg]}`, 'kB', () => {
      encrypt(alg, key, 0x1234, 0, 1, data, data.length * 8);
      return 1;
    }),
    measure(`EIA${names[alg]}`, 'kB', () => {
      mac(alg, key, 0x1234, 0, 1, data, data.length * 8);
      return 1;
    }),
  ]);
  return table('EPS algorithms, 1 kB messages', rows, rows[0]);
}
