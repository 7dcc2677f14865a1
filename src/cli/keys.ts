/**
 * `mtcgk keys export|import`: the group keys of a keys file as an RFC 6031 symmetric key package
 * (DER), the form in which a Group GW hands them to an HSS, and back.
 */
import { readFileSync } from 'node:fs';
import { writeOutputFile } from '../io/output-file.js';
import { exportGroupKeys, groupKeyJson, importGroupKeys } from '../keys/symmetric-key-package.js';
import { KeysError, mergeKeys, parseKeys } from '../security/keys.js';
import { UsageError } from './args.js';

export const KEYS_USAGE = `Usage: mtcgk keys export --der --keys FILE [--keys FILE...] --out F.der
       mtcgk keys import --der F.der [--out keys.json]   (without --out: the JSON on stdout)`;

function options(argv: string[], valued: string[], flags: string[]): { named: Map<string, string[]>; set: Set<string> } {
  const named = new Map<string, string[]>();
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (valued.includes(a)) {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`option ${a} requires a value`);
      named.set(a, [...(named.get(a) ?? []), v]);
      i++;
    } else if (flags.includes(a)) set.add(a);
    else if (a.startsWith('-')) throw new UsageError(`unknown keys option "${a}"\n${KEYS_USAGE}`);
    else throw new UsageError(`unexpected argument "${a}"\n${KEYS_USAGE}`);
  }
  return { named, set };
}

function one(named: Map<string, string[]>, name: string): string | undefined {
  const v = named.get(name);
  if (v && v.length > 1) throw new UsageError(`option ${name} given twice`);
  return v?.[0];
}

function read(file: string): Buffer {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    throw new KeysError(`The file "${file}" could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function runKeys(argv: string[], out: (s: string) => void): void {
  const [verb, ...rest] = argv;
  if (verb === 'export') {
    const { named, set } = options(rest, ['--keys', '--out'], ['--der']);
    if (!set.has('--der')) throw new UsageError('keys export writes DER only: give --der');
    const files = named.get('--keys');
    if (!files?.length) throw new UsageError('keys export needs --keys FILE');
    const target = one(named, '--out');
    if (target === undefined) throw new UsageError('keys export needs --out F.der (DER is binary)');
    const keys = mergeKeys(files.map((f) => parseKeys(read(f).toString('utf8'), f)));
    const der = exportGroupKeys(keys.groups);
    writeOutputFile(target, der, { secret: true });
    out(`${keys.groups.length} group key set${keys.groups.length === 1 ? '' : 's'} (${2 * keys.groups.length} keys) written to ${target} (${der.length} octets)`);
    return;
  }
  if (verb === 'import') {
    const { named } = options(rest, ['--der', '--out'], []);
    const source = one(named, '--der');
    if (source === undefined) throw new UsageError('keys import needs --der F.der');
    const target = one(named, '--out');
    const groups = importGroupKeys(new Uint8Array(read(source)), source);
    const text = JSON.stringify({ groups }, null, 2);
    // The result must be a keys file mtcgk reads (e.g. an algorithm a group may not use: EIA0).
    const checked = parseKeys(text, source);
    const json = JSON.stringify({ groups: checked.groups.map(groupKeyJson) }, null, 2);
    if (target === undefined) out(json);
    else {
      writeOutputFile(target, json + '\n', { secret: true });
      out(`${groups.length} group key set${groups.length === 1 ? '' : 's'} written to ${target}`);
    }
    return;
  }
  throw new UsageError(`keys takes export or import\n${KEYS_USAGE}`);
}
